// sampling.likelihood over every transport: typed arrays both ways, progress events, and a cancel sent while the
// in-process oracle computes (the computation must leave the event loop room for the message).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StudioError } from '../../src-core/errors';
import { Rng } from '../../src-core/rng';
import { TRANSPORTS, type Connection } from './transports';

const oracle = {
  kind: 'oracle' as const,
  mixture: { weights: [0.6, 0.4], means: [[-1, 0], [1, 0.5]], covariances: [[[0.2, 0], [0, 0.2]], [[0.3, 0.1], [0.1, 0.2]]] },
  schedule: { name: 'linear' },
  parameterisation: 'velocity' as const,
};
const x = new Rng(3).fillNormal(new Float32Array(32 * 2));

for (const [name, open] of Object.entries(TRANSPORTS)) {
  describe(`sampling.likelihood over ${name}`, () => {
    let c: Connection;
    beforeEach(async () => {
      c = await open();
    });
    afterEach(async () => {
      await c.close();
    });

    it('answers with per-point NLL as float64 and reports progress', async () => {
      const steps: number[] = [];
      const off = c.api.on('sampling.progress', (p) => {
        if (p.id === `nll-${name}`) steps.push(p.step);
      });
      const r = await c.api.call('sampling.likelihood', { id: `nll-${name}`, model: oracle, x, solver: 'rk4', steps: 4, divergence: 'exact', seed: 0, perPoint: true });
      off();
      expect(r.nll).toBeInstanceOf(Float64Array);
      expect(r.nll).toHaveLength(32);
      expect(r.nats).toBeCloseTo(Array.from(r.nll ?? []).reduce((a, b) => a + b, 0) / 32, 10);
      expect(r).toMatchObject({ n: 32, dim: 2, nfe: 80, normalisationLogDet: 0 });
      expect(steps).toEqual([1, 2, 3, 4]);
    });

    it('stops on a sampling.cancel sent after the first step', async () => {
      const id = `cancel-${name}`;
      let sent: Promise<unknown> | null = null;
      const off = c.api.on('sampling.progress', (p) => {
        if (p.id === id && !sent) sent = c.api.call('sampling.cancel', { id });
      });
      const run = c.api.call('sampling.likelihood', { id, model: oracle, x, solver: 'rk4', steps: 100_000, divergence: 'exact', seed: 0, perPoint: false });
      const err = await run.then(
        () => null,
        (e: unknown) => e,
      );
      off();
      expect(err).toBeInstanceOf(StudioError);
      expect((err as StudioError).code).toBe('cancelled');
      expect(await sent).toEqual({ cancelled: true });
    });
  });
}
