// metrics.compare over every transport: distances with closed forms, the exact-W2 size limit, and bad point sets refused at their field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Params } from '../../src-core/api/contract';
import { EXACT_W2_MAX, EXACT_W2_NOTE, MAX_PROJECTIONS } from '../../src-core/api/methods/metrics';
import { StudioError } from '../../src-core/errors';
import { Rng } from '../../src-core/rng';
import { TRANSPORTS, type Connection } from './transports';

/** n points of a standard normal in d dimensions. */
function normal(n: number, d: number, seed: number): Float32Array<ArrayBuffer> {
  return new Rng(seed).fillNormal(new Float32Array(n * d) as Float32Array<ArrayBuffer>);
}

async function refusal(p: Promise<unknown>): Promise<StudioError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(StudioError);
    return err as StudioError;
  }
  throw new Error('expected the call to be refused');
}

describe.each(Object.keys(TRANSPORTS))('metrics.compare over %s', (transport) => {
  let c: Connection;
  beforeAll(async () => {
    c = await TRANSPORTS[transport]();
  });
  afterAll(() => c.close());
  const compare = (p: Params<'metrics.compare'>) => c.api.call('metrics.compare', p);

  it('gives the closed forms of two 1-D pairs: {0, 1} against {c, c + 1}', async () => {
    // W2^2 = c^2 (the translation is the optimal map, and in 1-D every direction is +-1); energy 2c - |0 - 1| - |c - (c + 1)| = 2c - 2
    const c0 = 3;
    const r = await compare({ samples: { data: Float64Array.of(0, 1), shape: [2, 1] }, reference: { data: Float64Array.of(c0 + 1, c0), shape: [2, 1] }, projections: 8 });
    expect(r).toMatchObject({ n: 2, m: 2, dim: 1 });
    expect(r.exactW2Squared).toBeCloseTo(c0 * c0, 12);
    expect(r.slicedW2Squared).toBeCloseTo(c0 * c0, 12);
    expect(r.energyDistance).toBeCloseTo(2 * c0 - 2, 12);
    expect(r.exactW2Note).toBeUndefined();
  });

  it('takes float32 points, and a translation by c moves W2^2 by |c|^2 while a fresh draw of the same law stays near 0', async () => {
    const n = 400;
    const x = normal(n, 2, 1);
    const shifted = await compare({ samples: { data: x, shape: [n, 2] }, reference: { data: x.map((v) => v + 1), shape: [n, 2] }, seed: 3 });
    // |c|^2 = 2 exactly; the float32 sums of v + 1 round within 1e-6
    expect(shifted.exactW2Squared).toBeCloseTo(2, 5);
    // sliced: the mean over directions of (theta . c)^2 = |c|^2 / d = 1, up to the spread of 256 random directions
    expect(shifted.slicedW2Squared).toBeGreaterThan(0.85);
    expect(shifted.slicedW2Squared).toBeLessThan(1.15);
    const same = await compare({ samples: { data: x, shape: [n, 2] }, reference: { data: normal(n, 2, 2), shape: [n, 2] }, seed: 3 });
    for (const k of ['mmd2', 'energyDistance', 'slicedW2Squared'] as const) expect(Math.abs(same[k])).toBeLessThan(shifted[k] / 10);
    // the seed draws the directions: the same seed repeats the figure, another one moves it
    const again = await compare({ samples: { data: x, shape: [n, 2] }, reference: { data: x.map((v) => v + 1), shape: [n, 2] }, seed: 3 });
    expect(again.slicedW2Squared).toBe(shifted.slicedW2Squared);
    const other = await compare({ samples: { data: x, shape: [n, 2] }, reference: { data: x.map((v) => v + 1), shape: [n, 2] }, seed: 4 });
    expect(other.slicedW2Squared).not.toBe(shifted.slicedW2Squared);
  });

  it(`leaves the exact W2 out, saying why, for unequal sizes and for more than ${EXACT_W2_MAX} points`, async () => {
    const unequal = await compare({ samples: { data: normal(30, 2, 1), shape: [30, 2] }, reference: { data: normal(20, 2, 2), shape: [20, 2] } });
    expect(unequal).toMatchObject({ n: 30, m: 20, exactW2Squared: null, exactW2Note: EXACT_W2_NOTE });
    expect(unequal.mmd2).toEqual(expect.any(Number));
    const big = EXACT_W2_MAX + 1;
    const over = await compare({ samples: { data: normal(big, 1, 1), shape: [big, 1] }, reference: { data: normal(big, 1, 2), shape: [big, 1] }, projections: 1 });
    expect(over).toMatchObject({ exactW2Squared: null, exactW2Note: EXACT_W2_NOTE });
  }, 30_000);

  it('refuses bad point sets at their field, in words', async () => {
    const two = { data: Float32Array.of(0, 0, 1, 1), shape: [2, 2] as [number, number] };
    const at = async (p: unknown) => (await refusal(compare(p as Params<'metrics.compare'>))).details.map((d) => d.path.join('.'));
    expect(await at({ samples: two, reference: { data: Float32Array.of(0, 0, 0, 1, 1, 1), shape: [2, 3] } })).toEqual(['reference.shape.1']);
    expect(await at({ samples: { data: Float32Array.of(0, 0, 1), shape: [2, 2] }, reference: two })).toEqual(['samples.shape']);
    expect(await at({ samples: { data: Float32Array.of(0, 0), shape: [1, 2] }, reference: two })).toEqual(['samples.shape.0']);
    expect(await at({ samples: two, reference: two, projections: MAX_PROJECTIONS + 1 })).toEqual(['projections']);
    // a typed array of another kind is named where it sits, never read element by element
    const wrong = await refusal(compare({ samples: { data: new Int32Array(4), shape: [2, 2] }, reference: two } as unknown as Params<'metrics.compare'>));
    expect(wrong.details.map((d) => d.path.join('.'))).toEqual(['samples.data']);
    expect(wrong.message).toMatch(/Int32Array of 4 values/);
    const nan = await refusal(compare({ samples: { data: Float32Array.of(0, NaN, 1, 1), shape: [2, 2] }, reference: two }));
    expect(nan.message).toMatch(/samples\[1\] is NaN/);
  });
});
