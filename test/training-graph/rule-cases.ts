// The op cases every gradient rule is checked on: input shapes, value ranges and attributes, plus a central-difference harness.
import { int, ints, float, str, evaluateGraph, floatTensor, int64Tensor, opTable, type Attrs, type Shape, type Tensor } from '../../src-core/graph';
import { Rng } from '../../src-core/rng';
import { Emitter, emitBackprop } from '../../src-core/training-graph';

/** How one input is drawn: normal, in a range (positive, away from a kink), int64 indices, or a constant. */
type InputSpec =
  | { readonly kind: 'float'; readonly shape: Shape; readonly lo?: number; readonly hi?: number; readonly awayFromZero?: boolean }
  | { readonly kind: 'indices'; readonly shape: Shape; readonly below: number }
  | { readonly kind: 'const'; readonly tensor: Tensor };

/** One op application to differentiate. */
interface RuleCase {
  readonly name: string;
  readonly op: string;
  readonly inputs: readonly InputSpec[];
  readonly attrs?: Attrs;
}

const f = (shape: Shape, lo?: number, hi?: number): InputSpec => ({ kind: 'float', shape, lo, hi });
const axes = (v: readonly number[]): InputSpec => ({ kind: 'const', tensor: int64Tensor(v, [v.length]) });

/** Every op of the gradient table, in the forms the model families and the compiler use. */
export const RULE_CASES: readonly RuleCase[] = [
  ...['Neg', 'Sigmoid', 'Tanh', 'Exp', 'Sin', 'Cos'].map((op) => ({ name: op, op, inputs: [f(['N', 3])] })),
  { name: 'Log', op: 'Log', inputs: [f(['N', 3], 0.3, 2)] },
  { name: 'Sqrt', op: 'Sqrt', inputs: [f(['N', 3], 0.3, 2)] },
  { name: 'Relu', op: 'Relu', inputs: [{ kind: 'float', shape: ['N', 3], awayFromZero: true }] },
  { name: 'Add, bias broadcast', op: 'Add', inputs: [f(['N', 3]), f([3])] },
  { name: 'Add, both broadcast', op: 'Add', inputs: [f(['N', 1]), f([1, 3])] },
  { name: 'Sub, column broadcast', op: 'Sub', inputs: [f(['N', 3]), f(['N', 1])] },
  { name: 'Mul, row broadcast', op: 'Mul', inputs: [f(['N', 3]), f([1, 3])] },
  { name: 'Div, broadcast', op: 'Div', inputs: [f(['N', 3]), f([3], 0.5, 2)] },
  { name: 'Pow', op: 'Pow', inputs: [f(['N', 3], 0.5, 2), f([3], 0.5, 2.5)] },
  { name: 'Gemm', op: 'Gemm', inputs: [f(['N', 5]), f([5, 4]), f([4])] },
  { name: 'Gemm transA', op: 'Gemm', inputs: [f([5, 3]), f([5, 4]), f([4])], attrs: { transA: int(1), alpha: float(0.7), beta: float(1.3) } },
  { name: 'Gemm transB', op: 'Gemm', inputs: [f([3, 5]), f([4, 5]), f([1, 4])], attrs: { transB: int(1), alpha: float(-1.5) } },
  { name: 'Gemm transA transB', op: 'Gemm', inputs: [f([5, 3]), f([4, 5]), f([3, 4])], attrs: { transA: int(1), transB: int(1), beta: float(0.5) } },
  { name: 'Gemm without C', op: 'Gemm', inputs: [f(['N', 5]), f([5, 4])] },
  { name: 'MatMul', op: 'MatMul', inputs: [f(['N', 3]), f([3, 4])] },
  { name: 'MatMul rank 3', op: 'MatMul', inputs: [f([2, 3, 4]), f([4, 2])] },
  { name: 'Concat axis 1', op: 'Concat', inputs: [f(['N', 2]), f(['N', 3]), f(['N', 1])], attrs: { axis: int(1) } },
  { name: 'Concat axis 0', op: 'Concat', inputs: [f([2, 3]), f([1, 3])], attrs: { axis: int(0) } },
  { name: 'Reshape', op: 'Reshape', inputs: [f(['N', 6]), axes([-1, 2, 3])] },
  { name: 'Unsqueeze', op: 'Unsqueeze', inputs: [f(['N']), axes([1])] },
  { name: 'Transpose', op: 'Transpose', inputs: [f([2, 3, 4])], attrs: { perm: ints([2, 0, 1]) } },
  { name: 'ReduceSum last axis', op: 'ReduceSum', inputs: [f(['N', 3, 4]), axes([2])], attrs: { keepdims: int(0) } },
  { name: 'ReduceSum two axes kept', op: 'ReduceSum', inputs: [f(['N', 3, 4]), axes([1, -1])], attrs: { keepdims: int(1) } },
  { name: 'ReduceSum all', op: 'ReduceSum', inputs: [f([2, 3])], attrs: { keepdims: int(0) } },
  { name: 'ReduceMean', op: 'ReduceMean', inputs: [f(['N', 3, 4])], attrs: { axes: ints([1]), keepdims: int(0) } },
  { name: 'Gather embedding', op: 'Gather', inputs: [f([5, 3]), { kind: 'indices', shape: ['N'], below: 5 }], attrs: { axis: int(0) } },
  // the U-Net's ops: 'same' and strided convolutions (an odd size leaves a row the stride drops), 1x1, attention, upsampling
  { name: 'Conv 3x3 pad 1 with bias', op: 'Conv', inputs: [f(['N', 2, 5, 4]), f([3, 2, 3, 3]), f([3])], attrs: { pads: ints([1, 1, 1, 1]) } },
  { name: 'Conv 3x3 stride 2 pad 1, odd size', op: 'Conv', inputs: [f(['N', 2, 5, 6]), f([3, 2, 3, 3]), f([3])], attrs: { pads: ints([1, 1, 1, 1]), strides: ints([2, 2]) } },
  { name: 'Conv 1x1 without bias', op: 'Conv', inputs: [f(['N', 3, 3, 3]), f([2, 3, 1, 1])] },
  // fewer outputs than inputs (dW from windows of X for M < C, from shifted dY for 3 M <= C: the up path's first
  // convs, the output conv), non-square kernels with uneven pads, pads past the kernel (dX falls back to
  // ConvTranspose), a strided 1x1 (windows without padding) and a stride that divides evenly
  { name: 'Conv 3x3 pad 1, M < C, odd sizes', op: 'Conv', inputs: [f(['N', 4, 5, 3]), f([2, 4, 3, 3]), f([2])], attrs: { pads: ints([1, 1, 1, 1]) } },
  { name: 'Conv 3x3 pad 1, 3 M = C (shifted dY)', op: 'Conv', inputs: [f(['N', 6, 5, 3]), f([2, 6, 3, 3]), f([2])], attrs: { pads: ints([1, 1, 1, 1]) } },
  { name: 'Conv 3x2 uneven pads, one output channel (shifted dY)', op: 'Conv', inputs: [f(['N', 3, 4, 5]), f([1, 3, 3, 2])], attrs: { pads: ints([0, 1, 2, 0]) } },
  { name: 'Conv 1x1, one output channel (shifted dY)', op: 'Conv', inputs: [f(['N', 3, 2, 3]), f([1, 3, 1, 1]), f([1])] },
  { name: 'Conv 3x2 uneven pads', op: 'Conv', inputs: [f(['N', 2, 4, 5]), f([3, 2, 3, 2])], attrs: { pads: ints([0, 1, 2, 0]) } },
  { name: 'Conv 1x1 pad 1', op: 'Conv', inputs: [f(['N', 2, 3, 2]), f([3, 2, 1, 1]), f([3])], attrs: { pads: ints([1, 1, 1, 1]) } },
  { name: 'Conv 1x1 stride 2, odd size', op: 'Conv', inputs: [f(['N', 3, 5, 3]), f([2, 3, 1, 1])], attrs: { strides: ints([2, 2]) } },
  { name: 'Conv 3x3 stride 2 pad 1, even size', op: 'Conv', inputs: [f(['N', 2, 4, 4]), f([2, 2, 3, 3])], attrs: { pads: ints([1, 1, 1, 1]), strides: ints([2, 2]) } },
  { name: 'Einsum attention scores', op: 'Einsum', inputs: [f(['N', 3, 4]), f(['N', 3, 5])], attrs: { equation: str('bci,bcj->bij') } },
  { name: 'Einsum attention output', op: 'Einsum', inputs: [f(['N', 4, 5]), f(['N', 3, 5])], attrs: { equation: str('bij,bcj->bci') } },
  { name: 'Softmax last axis', op: 'Softmax', inputs: [f(['N', 3, 5])], attrs: { axis: int(-1) } },
  { name: 'Expand nearest upsampling', op: 'Expand', inputs: [f(['N', 2, 3, 1, 2, 1]), axes([1, 1, 1, 2, 1, 2])] },
  { name: 'Expand new leading axes', op: 'Expand', inputs: [f([3, 1]), axes([2, 3, 4])] },
  { name: 'Expand whole rows (nearest upsampling)', op: 'Expand', inputs: [f(['N', 2, 3, 1, 4]), axes([1, 1, 1, 2, 1])] },
  // group norm's form: [N, groups, rest] with scale 1 and bias 0 constants (the rule reuses the output as x-hat), and
  // the general form with learnt scale and bias over a 4-D input
  {
    name: 'InstanceNormalization, group norm form',
    op: 'InstanceNormalization',
    inputs: [f(['N', 2, 6]), { kind: 'const', tensor: floatTensor([1, 1], [2]) }, { kind: 'const', tensor: floatTensor([0, 0], [2]) }],
    attrs: { epsilon: float(1e-5) },
  },
  { name: 'InstanceNormalization, scale and bias', op: 'InstanceNormalization', inputs: [f(['N', 3, 2, 3]), f([3], 0.5, 1.5), f([3])], attrs: { epsilon: float(0.01) } },
  { name: 'Pad two axes', op: 'Pad', inputs: [f(['N', 2, 3]), axes([0, 1, 0, 0, 2, 1])] },
];

const N = 4;

function draw(spec: InputSpec, rng: Rng): Tensor {
  if (spec.kind === 'const') return spec.tensor;
  const shape = spec.shape.map((d) => (typeof d === 'string' ? N : d));
  const size = shape.reduce((a, b) => a * b, 1);
  // the first two indices repeat a row, so the rule must add both contributions
  if (spec.kind === 'indices') return int64Tensor(Array.from({ length: size }, (_, i) => (i < 2 ? 0 : rng.int(spec.below))), shape);
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    let v = spec.lo !== undefined ? spec.lo + (spec.hi! - spec.lo) * rng.uniform() : rng.normal();
    if (spec.awayFromZero && Math.abs(v) < 0.2) v += v < 0 ? -0.2 : 0.2;
    data[i] = v;
  }
  return floatTensor(data, shape);
}

/** Largest error of one rule against central differences, scaled as |analytic - numeric| / (1 + |numeric|). */
export function checkRule(c: RuleCase, seed: number, h = 1e-2): { worst: number; checked: number } {
  const rng = new Rng(seed);
  const e = new Emitter(`grad.${c.name}`);
  const values = c.inputs.map((s) => draw(s, rng));
  const names = c.inputs.map((s, i) => (s.kind === 'const' ? e.constant(`c${i}`, s.tensor) : e.b.input(`in${i}`, s.kind === 'float' ? 'float32' : 'int64', s.shape)));
  const out = e.op(c.op, names, c.attrs ?? {}, 'out');
  const outShape = e.typeOf(out).shape;
  const dy = e.b.input('dy', 'float32', outShape);
  const wrt = names.filter((_, i) => c.inputs[i].kind === 'float');
  const node = { name: 'out', op: c.op, inputs: names, outputs: ['out'], attrs: c.attrs ?? {} };
  const grads = emitBackprop(e, [node], new Map([['out', dy]]), wrt);
  for (const w of wrt) e.b.output(grads.get(w) as string);
  const graph = e.b.build().graph;
  const feeds: Record<string, Tensor> = {};
  names.forEach((n, i) => {
    if (c.inputs[i].kind !== 'const') feeds[n] = values[i];
  });
  const forwardOut = opTable.get(c.op).evaluate(values, c.attrs ?? {})[0];
  const dyT = draw({ kind: 'float', shape: forwardOut.shape }, rng) as Tensor & { data: Float32Array };
  feeds.dy = dyT;
  const analytic = evaluateGraph(graph, new Float32Array(0), feeds);
  // S(inputs) = sum(dy * op(inputs)) in float64; its gradient is the VJP
  const S = (vals: readonly Tensor[]): number => {
    const y = opTable.get(c.op).evaluate(vals, c.attrs ?? {})[0].data as Float32Array;
    let s = 0;
    for (let i = 0; i < y.length; i++) s += dyT.data[i] * y[i];
    return s;
  };
  let worst = 0;
  let checked = 0;
  c.inputs.forEach((s, i) => {
    if (s.kind !== 'float') return;
    const g = analytic[grads.get(names[i]) as string].data as Float32Array;
    const x = values[i].data as Float32Array;
    for (let j = 0; j < x.length; j++) {
      const plus = x.slice();
      const minus = x.slice();
      plus[j] += h;
      minus[j] -= h;
      const at = (d: Float32Array) => values.map((v, k) => (k === i ? floatTensor(d, v.shape) : v));
      const numeric = (S(at(plus)) - S(at(minus))) / (plus[j] - minus[j]);
      worst = Math.max(worst, Math.abs(g[j] - numeric) / (1 + Math.abs(numeric)));
      checked++;
    }
  });
  return { worst, checked };
}
