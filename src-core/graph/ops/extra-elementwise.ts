// Rows the training step needs beside the model ops: Sign, Min, Max and ReduceSumSquare.
import { attrInt, attrInts } from '../attrs';
import { binaryOp } from './binary';
import { reduceMeanOp, reduceSumOp } from './reduce';
import { unaryOp } from './unary';
import { asFloat, int64Tensor } from '../tensor';
import type { OpDef } from '../op-def';

/** Sign: -1, 0 or 1 (the derivative mask of Relu is Sign of its output). */
export const signOp: OpDef = unaryOp('Sign', (x) => (x > 0 ? 1 : x < 0 ? -1 : 0));
/** Elementwise minimum of two broadcast inputs. */
export const minOp: OpDef = binaryOp('Min', (x, y) => Math.min(x, y));
/** Elementwise maximum of two broadcast inputs. */
export const maxOp: OpDef = binaryOp('Max', (x, y) => Math.max(x, y));

/** ReduceSumSquare at opset 17: axes as an attribute, like ReduceMean. */
export const reduceSumSquareOp: OpDef = {
  op: 'ReduceSumSquare',
  arity: [1, 1],
  attrs: ['axes', 'keepdims'],
  infer: reduceMeanOp.infer,
  evaluate([x], attrs) {
    const a = asFloat(x, 'ReduceSumSquare input');
    const sq = Float32Array.from(a.data, (v) => v * v);
    const axes = attrInts(attrs, 'axes');
    const inputs = axes ? [{ ...a, data: sq }, int64Tensor(axes, [axes.length])] : [{ ...a, data: sq }];
    return reduceSumOp.evaluate(inputs, { keepdims: { kind: 'int', value: attrInt(attrs, 'keepdims', 1) } });
  },
};
