// One API suite run over every transport (direct, WebSocket, Electron IPC): same calls, same answers, same errors.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { StudioError } from '../../src-core/errors';
import type { MethodName, Params } from '../../src-core/api/contract';
import { TRANSPORTS, type Connection } from './transports';

async function rejection(p: Promise<unknown>): Promise<StudioError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(StudioError);
    return err as StudioError;
  }
  throw new Error('expected the call to fail');
}

function checksum(a: Float32Array): number {
  let h = 0;
  for (let i = 0; i < a.length; i++) h = (h * 31 + Math.round(a[i] * 1e4)) | 0;
  return h;
}

const moons = { id: 'two-moons', count: 2000, noise: 0.05, seed: 7 };
let reference: number | undefined;

for (const [name, open] of Object.entries(TRANSPORTS)) {
  describe(`API over ${name}`, () => {
    let c: Connection;
    beforeEach(async () => {
      c = await open();
    });
    afterEach(async () => {
      await c.close();
    });

    it('reports the app and its host', async () => {
      const info = await c.api.call('app.info', {});
      expect(info.name).toBe('Diffusion Studio');
      expect(info.workspace).toBe(c.workspace);
      expect(info.host).toBe({ direct: 'direct', websocket: 'server', ipc: 'electron' }[name]);
    });

    it('lists the built-in 2D data sets with their parameters', async () => {
      const list = await c.api.call('datasets.list', {});
      const ids = list.map((d) => d.id);
      for (const id of ['eight-gaussians', 'two-moons', 'circles', 'checkerboard', 'swiss-roll', 'pinwheel', 'spirals', 'gaussian-mixture']) {
        expect(ids).toContain(id);
      }
      const count = list[0].params.find((p) => p.name === 'count');
      expect(count?.integer).toBe(true);
    });

    it('generates the same points, as float32, whatever the transport', async () => {
      const out = await c.api.call('datasets.generate', moons);
      expect(out.data).toBeInstanceOf(Float32Array);
      expect(out.shape).toEqual([2000, 2]);
      expect(out.data.length).toBe(4000);
      expect(out.stats.mean).toHaveLength(2);
      const sum = checksum(out.data);
      reference ??= sum;
      expect(sum).toBe(reference);
    });

    it('answers malformed parameters with a typed error naming the field', async () => {
      const err = await rejection(c.api.call('datasets.generate', { ...moons, count: -3 }));
      expect(err.code).toBe('invalid-message');
      expect(err.message).toMatch(/count/);
      expect(err.details).toEqual([{ path: ['count'], message: 'must be at least 1' }]);
      const extra = await rejection(c.api.call('datasets.list', { surprise: 1 } as unknown as Params<'datasets.list'>));
      expect(extra.code).toBe('invalid-message');
      expect(extra.details).toEqual([{ path: [], message: "unknown setting 'surprise'" }]);
    });

    it('answers a bad training config with each problem as a detail a form can place beside its field', async () => {
      const err = await rejection(c.api.call('training.start', { config: { batchSize: -3, model: { family: 'mlp', hidden: [] }, optimiser: { lr: 'fast' } } }));
      expect(err.code).toBe('invalid-argument');
      expect(err.details).toEqual(
        expect.arrayContaining([
          { path: ['batchSize'], message: 'must be at least 1' },
          { path: ['model', 'hidden'], message: 'needs at least 1 entry' },
          { path: ['optimiser', 'lr'], message: "must be a number, got 'fast'" },
        ]),
      );
      expect((await c.api.call('training.list', {})).runs).toHaveLength(0);
    });

    it('refuses an empty run name beside its field, and a rename of a run that does not exist', async () => {
      const empty = await rejection(c.api.call('training.rename', { runId: 'abc', name: '   ' }));
      expect(empty.details).toEqual([{ path: ['name'], message: 'a run needs a name' }]);
      const missing = await rejection(c.api.call('training.rename', { runId: 'abc', name: 'x' }));
      expect(missing.code).toBe('not-found');
    });

    it('draws a user-defined Gaussian mixture and rejects an invalid one naming the problem', async () => {
      const mixture = { weights: [1, 3], means: [[-4, 0], [4, 0]], covariances: [[[0.01, 0], [0, 0.01]], [[0.01, 0], [0, 0.01]]] };
      const out = await c.api.call('datasets.generate', { id: 'gaussian-mixture', count: 4000, noise: 0, seed: 1, mixture });
      let right = 0;
      for (let i = 0; i < 4000; i++) if (out.data[2 * i] > 0) right++;
      expect(right / 4000).toBeGreaterThan(0.72); // weight 3/4, binomial sd ~0.007
      expect(right / 4000).toBeLessThan(0.78);
      const bad = { ...mixture, covariances: [[[1, 0], [0, -1]], [[1, 0], [0, 1]]] };
      const err = await rejection(c.api.call('datasets.generate', { id: 'gaussian-mixture', count: 10, seed: 1, mixture: bad }));
      expect(err.code).toBe('invalid-argument');
      expect(err.message).toMatch(/component 0.*positive definite/);
    });

    it('answers an unknown method and an unknown data set with their codes', async () => {
      const err = await rejection(c.api.call('no.such.method' as MethodName, {} as never));
      expect(err.code).toBe('unknown-method');
      const unknown = await rejection(c.api.call('datasets.generate', { ...moons, id: 'no-such-set' }));
      expect(unknown.code).toBe('unknown-name');
      expect(unknown.message).toMatch(/two-moons/); // the message lists what exists
    });

    it('saves a set to the workspace, lists it and announces the change', async () => {
      const seen: string[][] = [];
      const off = c.api.on('datasets.changed', (p) => seen.push(p.saved.map((s) => s.name)));
      const saved = await c.api.call('datasets.save', { name: 'my moons', source: moons });
      expect(existsSync(join(c.workspace, 'datasets', saved.id, 'meta.json'))).toBe(true);
      expect(existsSync(join(c.workspace, 'datasets', saved.id, 'data.f32'))).toBe(true);
      const list = await c.api.call('datasets.saved', {});
      expect(list.map((s) => s.id)).toEqual([saved.id]);
      await expect.poll(() => seen.length).toBe(1);
      expect(seen[0]).toEqual(['my moons']);
      off();
      await c.api.call('datasets.save', { name: 'second', source: moons });
      await new Promise((r) => setTimeout(r, 50));
      expect(seen.length).toBe(1); // unsubscribed
    });
  });
}
