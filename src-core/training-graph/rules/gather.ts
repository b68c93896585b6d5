// Gradient rule of Gather on axis 0 (an embedding lookup): the table's gradient is onehot(indices)^T dY, one Gemm.
import { StudioError } from '../../errors';
import { attrInt, int } from '../../graph/attrs';
import { floatTensor } from '../../graph/tensor';
import { sizeOf } from '../../graph/tensor';
import type { GradRule } from '../grad-rule';

/** Rows picked twice get both contributions, which a scatter-add would also give; a one-hot Gemm is one kernel and exact. */
export const gatherGradRule: GradRule = {
  op: 'Gather',
  inputsToSave: [1],
  saveOutput: false,
  vjp: [
    (c) => {
      if (attrInt(c.node.attrs, 'axis', 0) !== 0) throw new StudioError('invalid-argument', 'Gather gradient supports axis 0 only');
      const data = c.inputType(0).shape;
      const rest = data.slice(1);
      if (typeof data[0] !== 'number' || rest.some((d) => typeof d !== 'number')) {
        throw new StudioError('invalid-shape', `Gather gradient needs a fixed-size table, got [${data.join(', ')}]`);
      }
      const width = sizeOf(rest as number[]);
      const values = c.e.floats('onehot-01', () => floatTensor([0, 1], [2]));
      const hot = c.e.op('OneHot', [c.input(1), c.e.constant(`tg.depth_${c.node.name}`, { dtype: 'int64', shape: [], data: BigInt64Array.of(BigInt(data[0])) }), values], { axis: int(-1) });
      const rows = c.e.reshapeTo(hot, ['rows', data[0]]);
      const dy = c.e.reshapeTo(c.dy, ['rows', width]);
      return c.e.reshapeTo(c.e.op('Gemm', [rows, dy], { transA: int(1) }), data);
    },
    null,
  ],
};
