// The lab methods over every transport (direct, WebSocket, Electron IPC): typed arrays in the reply, lab.progress under the run's id,
// lab.cancel stopping a computation in flight, and bad params refused with each problem's path.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StudioError } from '../../src-core/errors';
import { TRANSPORTS, type Connection } from '../contract/transports';

for (const [name, open] of Object.entries(TRANSPORTS)) {
  describe(`lab methods over ${name}`, () => {
    let c: Connection;
    beforeEach(async () => {
      c = await open();
    });
    afterEach(async () => {
      await c.close();
    });

    it('lab.processes answers typed arrays of the asked sizes and reports progress under its id', async () => {
      const seen: number[] = [];
      const off = c.api.on('lab.progress', (p) => {
        if (p.id === `p-${name}`) seen.push(p.done / p.total);
      });
      const r = await c.api.call('lab.processes', { id: `p-${name}`, params: { process: 'ou', theta: 1, sigma: 1, x0: 1, tEnd: 1, paths: 200, steps: 50, method: 'exact', bins: 20, seed: 1 } });
      off();
      expect(r.id).toBe(`p-${name}`);
      expect(r.result.paths).toBeInstanceOf(Float32Array);
      expect(r.result.paths).toHaveLength(51 * 200);
      expect(r.result.times).toBeInstanceOf(Float64Array);
      expect(r.result.histogram.density).toHaveLength(51 * 20);
      expect(r.result.mean[50]).toBeCloseTo(Math.exp(-1), 12);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((f) => f >= 0 && f <= 1)).toBe(true);
    });

    it('lab.cancel stops a computation after its first progress report', async () => {
      const id = `cancel-${name}`;
      let sent: Promise<unknown> | null = null;
      const off = c.api.on('lab.progress', (p) => {
        if (p.id === id && !sent) sent = c.api.call('lab.cancel', { id });
      });
      const started = performance.now();
      const err = await c.api
        .call('lab.forwardSde', { id, params: { schedule: { name: 'vp-linear', betaMin: 0.1, betaMax: 20 }, data: { id: 'two-moons' }, particles: 5000, steps: 10_000, snapshots: 101, method: 'euler-maruyama', seed: 0 } })
        .then(() => null, (e: unknown) => e);
      off();
      expect(err).toBeInstanceOf(StudioError);
      expect((err as StudioError).code).toBe('cancelled');
      expect(await sent).toEqual({ cancelled: true });
      expect(performance.now() - started).toBeLessThan(5000);
      expect(await c.api.call('lab.cancel', { id })).toEqual({ cancelled: false });
    });

    it("refuses params out of range with the field's path", async () => {
      const err = await c.api.call('lab.processes', { params: { paths: 3, process: 'ou', theta: 1, sigma: 1, x0: 0, tEnd: 1, steps: 10, method: 'exact', bins: 10, seed: 0 } }).then(() => null, (e: unknown) => e);
      expect((err as StudioError).code).toBe('invalid-message');
      expect((err as StudioError).details).toContainEqual({ path: ['params', 'paths'], message: 'must be at least 10' });
    });
  });
}
