// Flat parameter layout: seeded, deterministic initialisation with the intended scales.
import { describe, expect, it } from 'vitest';
import { StudioError } from '../errors';
import { Rng } from '../rng';
import { initParams, paramSlice, type ParamLayout } from './param-layout';

const layout: ParamLayout = {
  size: 256 * 64 + 64 + 64 * 64 + 10,
  entries: [
    { name: 'w', offset: 0, shape: [256, 64], init: { kind: 'he-normal', fanIn: 256 }, trainable: true },
    { name: 'b', offset: 256 * 64, shape: [64], init: { kind: 'zeros' }, trainable: true },
    { name: 'v', offset: 256 * 64 + 64, shape: [64, 64], init: { kind: 'xavier-uniform', fanIn: 64, fanOut: 64 }, trainable: true },
    { name: 'f', offset: 256 * 64 + 64 + 4096, shape: [10], init: { kind: 'normal', std: 3 }, trainable: false },
  ],
};

const std = (a: Float32Array) => Math.sqrt(a.reduce((s, v) => s + v * v, 0) / a.length);

describe('initParams', () => {
  it('is a function of the seed', () => {
    const same = (a: Float32Array, b: Float32Array) => a.every((v, i) => v === b[i]);
    expect(same(initParams(layout, new Rng(7)), initParams(layout, new Rng(7)))).toBe(true);
    expect(same(initParams(layout, new Rng(7)), initParams(layout, new Rng(8)))).toBe(false);
  });
  it('draws He, Xavier and zeros with the right scales', () => {
    const p = initParams(layout, new Rng(1));
    expect(std(paramSlice(layout, p, 'w'))).toBeCloseTo(Math.sqrt(2 / 256), 2);
    expect(paramSlice(layout, p, 'b').every((v) => v === 0)).toBe(true);
    const v = paramSlice(layout, p, 'v');
    const limit = Math.sqrt(6 / 128);
    expect(v.every((x) => Math.abs(x) <= limit)).toBe(true);
    expect(std(v)).toBeCloseTo(limit / Math.sqrt(3), 2);
  });
  it('paramSlice shares memory and names the known entries on a miss', () => {
    const p = initParams(layout, new Rng(1));
    paramSlice(layout, p, 'b')[0] = 5;
    expect(p[256 * 64]).toBe(5);
    expect(() => paramSlice(layout, p, 'nope')).toThrow(/known: w, b, v, f/);
    expect(() => paramSlice(layout, new Float32Array(3), 'w')).toThrow(StudioError);
  });
});
