// The op table: every op the graph IR knows, one row each, in a Registry that refuses duplicates.
import { Registry } from '../../registry';
import type { OpDef } from '../op-def';
import { binaryOps } from './binary';
import { concatOp } from './concat';
import { gatherOp } from './gather';
import { gemmOp } from './gemm';
import { matMulOp } from './matmul';
import { reduceMeanOp, reduceSumOp } from './reduce';
import { reshapeOp } from './reshape';
import { transposeOp } from './transpose';
import { unaryOps } from './unary';
import { unsqueezeOp } from './unsqueeze';
import { sliceOp } from './slice';
import { expandOp } from './expand';
import { castOp, shapeOp } from './shape-cast';
import { oneHotOp } from './one-hot';
import { maxOp, minOp, reduceSumSquareOp, signOp } from './extra-elementwise';
import { convOp } from './conv';
import { convTransposeOp } from './conv-transpose';
import { einsumOp } from './einsum';
import { softmaxOp } from './softmax';
import { padOp } from './pad';
import { instanceNormOp } from './instance-norm';

/** Every row; a new op (Conv, a group-norm piece) is one more file and one more entry here. */
export const OP_ROWS: readonly OpDef[] = [
  ...unaryOps,
  ...binaryOps,
  gemmOp,
  matMulOp,
  concatOp,
  reshapeOp,
  transposeOp,
  unsqueezeOp,
  reduceMeanOp,
  reduceSumOp,
  gatherOp,
  // rows the training-step compiler emits (gradients, clipping, parameter views)
  sliceOp,
  expandOp,
  shapeOp,
  castOp,
  oneHotOp,
  signOp,
  minOp,
  maxOp,
  reduceSumSquareOp,
  // rows of the U-Net (Conv, Einsum and Softmax for attention, InstanceNormalization for group norm) and of its gradients (ConvTranspose)
  convOp,
  convTransposeOp,
  einsumOp,
  softmaxOp,
  instanceNormOp,
  // the convolution gradients' shifted windows
  padOp,
];

/** A fresh op table holding the given rows; a repeated op name throws duplicate-name. */
export function createOpTable(rows: readonly OpDef[] = OP_ROWS): Registry<OpDef> {
  const table = new Registry<OpDef>('op');
  for (const row of rows) table.register(row.op, row);
  return table;
}

/** The studio's op table. */
export const opTable: Registry<OpDef> = createOpTable();
