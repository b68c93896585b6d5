// The product rule's SiLU form, h * sigmoid(h), against the derivative's closed form, with the sigmoid shared or not.
import { describe, expect, it } from 'vitest';
import { evaluateGraph, floatTensor, type Tensor } from '../../src-core/graph';
import { Rng } from '../../src-core/rng';
import { Emitter, emitBackprop } from '../../src-core/training-graph';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
// d/dh [h sigmoid(h)] = s (1 + h (1 - s)), in float64
const siluSlope = (h: number) => sigmoid(h) * (1 + h * (1 - sigmoid(h)));

/** Emits the given forward nodes and the gradient of sum(dy * out) with respect to input 'h'; returns dh and the graph's node names. */
function gradient(build: (e: Emitter, h: string, a: string) => string, h: Float32Array, a: Float32Array, dy: Float32Array) {
  const e = new Emitter('silu');
  const hIn = e.b.input('h', 'float32', ['N', 4]);
  const aIn = e.b.input('a', 'float32', ['N', 4]);
  const first = e.b.build().graph.nodes.length;
  const out = build(e, hIn, aIn);
  const dyIn = e.b.input('dy', 'float32', ['N', 4]);
  const forward = e.b.build().graph.nodes.slice(first);
  const grads = emitBackprop(e, forward, new Map([[out, dyIn]]), [hIn, aIn]);
  e.b.output(grads.get(hIn) as string);
  const graph = e.b.build().graph;
  const n = h.length / 4;
  const feeds: Record<string, Tensor> = { h: floatTensor(h, [n, 4]), a: floatTensor(a, [n, 4]), dy: floatTensor(dy, [n, 4]) };
  return { dh: evaluateGraph(graph, new Float32Array(0), feeds)[grads.get(hIn) as string].data as Float32Array, names: graph.nodes.map((x) => x.name) };
}

function data() {
  const rng = new Rng(9);
  // normal values and the tails, where 1 + h - y must still give the slope's 1 and e^h h
  const h = Float32Array.from([...Array.from(rng.fillNormal(new Float32Array(16)), (v) => 3 * v), 18, -18, 40, -40, 0, 1e-4, -1e-4, 7]);
  return { h, a: rng.fillNormal(new Float32Array(24)), dy: rng.fillNormal(new Float32Array(24)) };
}

const worst = (got: Float32Array, want: (i: number) => number) => Math.max(...Array.from(got, (g, i) => Math.abs(g - want(i)) / (1e-30 + Math.abs(want(i)) + 1e-6)));

describe('SiLU through the product rule', () => {
  it('gives dy s (1 + h (1 - s)) in one expression, without the sigmoid rule', () => {
    const { h, a, dy } = data();
    const { dh, names } = gradient((e, x) => e.op('Mul', [x, e.op('Sigmoid', [x], {}, 'sig')], {}, 'silu'), h, a, dy);
    expect(worst(dh, (i) => dy[i] * siluSlope(h[i]))).toBeLessThan(1e-5);
    expect(names.some((x) => x.startsWith('tg.silu/'))).toBe(true);
    expect(names.some((x) => x.startsWith('tg.sig/'))).toBe(false);
  });
  it('still adds the gradient of another use of the sigmoid', () => {
    const { h, a, dy } = data();
    // z = h s + a s: the second product sends dy a to s, and s' = s (1 - s)
    const { dh } = gradient(
      (e, x, y) => {
        const s = e.op('Sigmoid', [x]);
        return e.op('Add', [e.op('Mul', [x, s]), e.op('Mul', [y, s])]);
      },
      h,
      a,
      dy,
    );
    expect(worst(dh, (i) => dy[i] * (siluSlope(h[i]) + a[i] * sigmoid(h[i]) * (1 - sigmoid(h[i]))))).toBeLessThan(1e-5);
  });
  it('keeps the plain product rule when the sigmoid is of another value', () => {
    const { h, a, dy } = data();
    // z = h sigmoid(a): dz/dh = sigmoid(a)
    const { dh } = gradient((e, x, y) => e.op('Mul', [x, e.op('Sigmoid', [y])]), h, a, dy);
    expect(worst(dh, (i) => dy[i] * sigmoid(a[i]))).toBeLessThan(1e-6);
  });
});
