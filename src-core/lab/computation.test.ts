// The Lab's registry and driver: a name registers once, params are checked, progress is reported and throttled, and a cancel stops a computation at its next progress call.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { StudioError } from '../errors';
import { createLabRegistry, defineComputation, LAB_COMPUTATIONS, labComputations, runComputation, type LabComputation } from './index';

/** A computation that counts to `units`, spinning about `spinMs` per unit, and reports each one. */
const counting = defineComputation({
  name: 'counting',
  title: 'counts',
  params: z.strictObject({ units: z.number().int().min(1), spinMs: z.number().min(0).default(0) }),
  result: z.object({ counted: z.number().int() }),
  async run(p, ctx) {
    let counted = 0;
    for (let i = 0; i < p.units; i++) {
      const until = performance.now() + p.spinMs;
      while (performance.now() < until) {
        // busy work, as a numerical loop is
      }
      counted++;
      await ctx.progress(i + 1, p.units);
    }
    return { counted };
  },
});

describe('Lab computation registry', () => {
  it('refuses a name registered twice', () => {
    expect(() => createLabRegistry([counting, { ...counting }])).toThrow(expect.objectContaining({ code: 'duplicate-name' }));
    expect(createLabRegistry([counting]).names()).toEqual(['counting']);
  });

  it('holds every computation of the list under its own name', () => {
    const list: readonly LabComputation[] = LAB_COMPUTATIONS;
    expect(labComputations.names()).toEqual(list.map((c) => c.name));
    for (const c of list) expect(labComputations.get(c.name)).toBe(c);
  });
});

describe('runComputation', () => {
  it('checks the params with the studio messages, each problem with its path', async () => {
    const err = await runComputation(counting, { units: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StudioError);
    expect((err as StudioError).code).toBe('invalid-argument');
    expect((err as StudioError).details).toEqual([{ path: ['units'], message: 'must be at least 1' }]);
  });

  it('reports progress at most every progressMs and always the last step', async () => {
    const seen: number[] = [];
    const r = await runComputation(counting, { units: 200, spinMs: 0.5 }, { onProgress: (done) => seen.push(done), progressMs: 20 });
    expect(r).toEqual({ counted: 200 });
    expect(seen.at(-1)).toBe(200);
    // 200 units of 0.5 ms is about 100 ms: some reports, far fewer than units
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.length).toBeLessThan(50);
  });

  it('stops at the next progress call once cancelled, also when the cancel comes from a timer (the work yields)', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    let last = 0;
    const started = performance.now();
    const err = await runComputation(counting, { units: 100_000, spinMs: 0.2 }, { signal: controller.signal, onProgress: (done) => (last = done) }).catch((e: unknown) => e);
    expect((err as StudioError).code).toBe('cancelled');
    expect(last).toBeLessThan(100_000);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
