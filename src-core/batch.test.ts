// Batches and the registry: shapes are checked, names are unique.
import { describe, expect, it } from 'vitest';
import { batch, cloneBatch, like, rowSize, rows, zeros } from './batch';
import { Registry } from './registry';
import { StudioError } from './errors';

describe('batch', () => {
  it('reads rows and row size from the shape', () => {
    const b = batch(new Float32Array(24), [4, 2, 3]);
    expect(rows(b)).toBe(4);
    expect(rowSize(b)).toBe(6);
  });
  it('refuses a shape that does not match the buffer, or a bad entry', () => {
    expect(() => batch(new Float32Array(5), [2, 2])).toThrow(/holds 4 numbers but the buffer has 5/);
    expect(() => batch(new Float32Array(0), [])).toThrow(StudioError);
    expect(() => batch(new Float32Array(2), [2, 1.5 as number])).toThrow(StudioError);
  });
  it('copies and allocates with the same buffer type', () => {
    const b = batch(Float64Array.from([1, 2]), [1, 2]);
    const c = cloneBatch(b);
    c.data[0] = 9;
    expect(b.data[0]).toBe(1);
    expect(like(b.data)).toBeInstanceOf(Float64Array);
    expect(zeros([2, 3]).data).toBeInstanceOf(Float32Array);
    expect(zeros([2, 3], 'float64').data).toBeInstanceOf(Float64Array);
  });
});

describe('Registry', () => {
  it('throws on a duplicate name and lists known names on a miss', () => {
    const r = new Registry<number>('sampler');
    r.register('euler', 1);
    expect(() => r.register('euler', 2)).toThrow(/already registered/);
    expect(r.get('euler')).toBe(1);
    try {
      r.get('heun');
      throw new Error('expected a miss');
    } catch (err) {
      expect((err as StudioError).code).toBe('unknown-name');
      expect((err as StudioError).message).toMatch(/known: euler/);
    }
    expect(r.names()).toEqual(['euler']);
  });
});
