// The backend contract's loss, (1/n) sum_i w_i mean_j (pred_ij - target_ij)^2, with its gradient written in closed form.
import { int } from '../graph/attrs';
import { sizeOf } from '../graph/tensor';
import type { Emitter } from './emitter';

/** The loss value [] and its gradient with respect to the prediction. */
interface LossNodes {
  readonly loss: string;
  readonly dPrediction: string;
}

/**
 * Emits the weighted mean squared error of pred [N, ...] against target with per-row weights [N].
 * dL/dpred = 2 w_i (pred - target) / (n D) comes first and the loss reuses it: L = 0.5 sum(diff * dL/dpred),
 * so the loss costs one product and one sum more than its gradient. n is read at run time (Shape + Cast).
 * `gradScale` multiplies the returned gradient (and so every gradient behind it) at no cost: it folds into the
 * scalar factor, and the loss divides it out in its own scalar factor.
 */
export function emitWeightedMse(e: Emitter, pred: string, target: string, weight: string, lossName: string, gradScale = 1): LossNodes {
  const shape = e.typeOf(pred).shape;
  const perRow = sizeOf(shape.slice(1) as number[]);
  const diff = e.op('Sub', [pred, target]);
  const n = e.op('Cast', [e.op('Shape', [weight])], { to: int(1) });
  const coef = e.op('Div', [e.scalar((2 * gradScale) / perRow), n]);
  const column = e.reshapeTo(weight, [shape[0], ...shape.slice(1).map(() => 1)]);
  const dPrediction = e.op('Mul', [diff, e.op('Mul', [column, coef])]);
  const sum = e.op('ReduceSum', [e.op('Mul', [diff, dPrediction])], { keepdims: int(0) });
  const loss = e.op('Mul', [sum, e.scalar(0.5 / gradScale)], {}, lossName);
  return { loss, dPrediction };
}
