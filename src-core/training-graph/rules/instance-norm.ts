// Gradient rule of InstanceNormalization in closed form: statistics recomputed in two passes, dX as one short expression.
import { attrFloat, int, ints } from '../../graph/attrs';
import { INSTANCE_NORM_EPS } from '../../graph/ops/instance-norm';
import { sizeOf } from '../../graph/tensor';
import type { Emitter } from '../emitter';
import type { GradContext, GradRule } from '../grad-rule';

/** The normalised input and 1 / sqrt(var + eps) [N, C, 1, ...] of one forward node. */
interface Stats {
  readonly xhat: string;
  readonly rstd: string;
}

// x-hat and rstd serve every input's VJP; emitted once per forward node
const statsCache = new WeakMap<Emitter, Map<string, Stats>>();

const everyIs = (c: GradContext, i: number, value: number): boolean => {
  const t = c.constant(i);
  return t !== undefined && t.dtype === 'float32' && t.data.every((v) => v === value);
};

function spatialAxes(c: GradContext): number[] {
  return Array.from({ length: c.inputType(0).shape.length - 2 }, (_, i) => i + 2);
}

function stats(c: GradContext): Stats {
  let byNode = statsCache.get(c.e);
  if (!byNode) statsCache.set(c.e, (byNode = new Map()));
  const cached = byNode.get(c.node.name);
  if (cached) return cached;
  const { e } = c;
  const axes = spatialAxes(c);
  const count = sizeOf(c.inputType(0).shape.slice(2) as number[]);
  const eps = attrFloat(c.node.attrs, 'epsilon', INSTANCE_NORM_EPS);
  const x = c.input(0);
  const centred = e.op('Sub', [x, e.op('ReduceMean', [x], { axes: ints(axes), keepdims: int(1) })]);
  const variance = e.op('Div', [e.op('ReduceSumSquare', [centred], { axes: ints(axes), keepdims: int(1) }), e.scalar(count)]);
  const rstd = e.op('Div', [e.scalar(1), e.op('Sqrt', [e.op('Add', [variance, e.scalar(eps)])])]);
  // with scale 1 and bias 0 (group norm's use) the forward output is x-hat itself
  const xhat = everyIs(c, 1, 1) && everyIs(c, 2, 0) ? c.output() : e.op('Mul', [centred, rstd]);
  const s = { xhat, rstd };
  byNode.set(c.node.name, s);
  return s;
}

/** scale [C] as [C, 1, ...] against X [N, C, ...]. */
const channelColumn = (c: GradContext, v: string): string => c.e.reshapeTo(v, [c.inputType(1).shape[0], ...spatialAxes(c).map(() => 1)]);

/**
 * dX = rstd (g - mean(g) - x-hat mean(g x-hat)) with g = dY scale, means over each slice; dScale = sum dY x-hat and
 * dBias = sum dY over the batch and the slice. About a third of the passes over the data that differentiating the
 * composition (mean, centre, square, mean, divide) takes.
 */
export const instanceNormGradRule: GradRule = {
  op: 'InstanceNormalization',
  inputsToSave: [0, 1],
  saveOutput: true,
  vjp: [
    (c) => {
      const { e } = c;
      const { xhat, rstd } = stats(c);
      const axes = { axes: ints(spatialAxes(c)), keepdims: int(1) };
      const g = everyIs(c, 1, 1) ? c.dy : e.op('Mul', [c.dy, channelColumn(c, c.input(1))]);
      const gMean = e.op('ReduceMean', [g], axes);
      const gDotX = e.op('ReduceMean', [e.op('Mul', [g, xhat])], axes);
      return e.op('Mul', [e.op('Sub', [e.op('Sub', [g, gMean]), e.op('Mul', [xhat, gDotX])]), rstd]);
    },
    (c) => c.e.op('ReduceSum', [c.e.op('Mul', [c.dy, stats(c).xhat]), c.e.ints([0, ...spatialAxes(c)])], { keepdims: int(0) }),
    (c) => c.e.op('ReduceSum', [c.dy, c.e.ints([0, ...spatialAxes(c)])], { keepdims: int(0) }),
  ],
};
