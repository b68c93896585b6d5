// Sampling through ONNX Runtime equals sampling through tfjs (cpu backend) with the same noise, for the deterministic samplers on the reference MLP.
//
// Tolerance. Both paths run the same sampler code on the same float32 state; only the network's output differs, by
// float32 rounding in another order of summation (ONNX Runtime's MLAS against tfjs's JavaScript kernels). The test
// measures that per-call difference delta, relative to the prediction's scale, on every state the run visits: it must
// stay under 1e-5 (float32's 1.2e-7 grown by 256-term dot products over four layers; about 1.5e-6 is typical). Each
// step is an affine map of state and prediction with the same coefficients in both paths, so a step adds at most
// h * delta (the h sum to at most 1 over the run; for DPM-Solver++ the x0 weights telescope the same way), and the
// flow carries an earlier difference forward growing it by at most exp(L), L the network's Lipschitz constant in x
// (about 1 for weights initialised for unit gain). The samples, relative to their scale, may thus differ by about
// e * delta; we allow 10 * delta (measured: 0.2 to 0.4 * delta).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { buildMlp, initParams } from '../../src-core/graph';
import type { Model } from '../../src-core/model';
import { studioMetadata, type StudioModelMeta } from '../../src-core/onnx/studio-format';
import { writeOnnx } from '../../src-core/onnx/writer';
import { Rng } from '../../src-core/rng';
import { sample } from '../../src-core/sampling';
import { createSchedule } from '../../src-core/schedules';
import { tfjsModel, type TfjsModel } from '../../src-core/training/tfjs/tfjs-model';
import { onnxModel } from '../../src-main/sampling/onnx-model';
import { createInProcessRunner } from '../../src-main/sampling/onnx-runner';
import { activateCpu } from '../../src-main/training/backends/cpu-backend';
import { tempDir } from '../sampling/fixtures';

const mlp = buildMlp({ dataDim: 2, hidden: [256, 256, 256], timeEmbedding: { kind: 'raw' } });
const params = initParams(mlp.layout, new Rng(31));
const n = 256;
const noise = new Rng(32).fillNormal(new Float32Array(n * 2));
const flowMeta: StudioModelMeta = { parameterisation: 'velocity', schedule: { name: 'linear', sigmaMin: 0 }, dataShape: [2], normalisation: null, classes: null, runId: null, seed: null, studioVersion: null };
// x0 rather than eps: an eps-network with random weights drives DPM-Solver's states to ~1e5, an x0 one keeps them O(1)
const vpMeta: StudioModelMeta = { ...flowMeta, parameterisation: 'x0', schedule: { name: 'vp-linear' } };
const CASES = [
  { sampler: 'euler', meta: flowMeta, steps: 20, tMax: 1 },
  { sampler: 'heun', meta: flowMeta, steps: 10, tMax: 1 },
  { sampler: 'dpmpp-2m', meta: vpMeta, steps: 20, tMax: 0.99 },
] as const;

const dir = tempDir('studio-parity-');
const runner = createInProcessRunner({ threads: 1 });
const tfModels: TfjsModel[] = [];
beforeAll(() => activateCpu());
afterAll(async () => {
  for (const m of tfModels) m.dispose();
  await runner.close();
});

function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Wraps two models so every call also records how far apart their predictions are on the same state. */
function watched(main: Model, other: Model, worst: { delta: number }): Model {
  return {
    parameterisation: main.parameterisation,
    schedule: main.schedule,
    async predict(x, t) {
      const [a, b] = await Promise.all([main.predict(x, t), other.predict({ data: x.data.slice(), shape: x.shape }, t)]);
      let scale = 0;
      for (const v of a) scale = Math.max(scale, Math.abs(v));
      worst.delta = Math.max(worst.delta, maxAbs(a, b) / scale);
      return a;
    },
  };
}

describe('ONNX Runtime and tfjs sample alike', () => {
  for (const { sampler, meta, steps, tMax } of CASES) {
    it(`${sampler}, ${steps} steps, ${meta.parameterisation} on ${meta.schedule.name}`, async () => {
      const path = join(dir, `${sampler}.onnx`);
      writeFileSync(path, writeOnnx(mlp.graph, params, { metadata: studioMetadata(meta) }));
      const viaOrt = onnxModel(runner, await runner.open(path));
      const viaTfjs = tfjsModel(mlp.graph, params, meta.parameterisation, createSchedule(meta.schedule));
      tfModels.push(viaTfjs);
      expect(tf.getBackend()).toBe('cpu');
      const grid = { name: 'uniform', steps, tMax };
      const a = await sample(sampler, viaOrt, { data: noise.slice(), shape: [n, 2] }, { grid });
      const worst = { delta: 0 };
      const b = await sample(sampler, watched(viaTfjs, viaOrt, worst), { data: noise.slice(), shape: [n, 2] }, { grid });
      expect(a.nfe).toBe(b.nfe);
      const diff = maxAbs(a.x.data, b.x.data);
      const scale = Math.max(...Array.from(a.x.data, Math.abs));
      // one evaluation: float32 rounding only, relative to the prediction's scale
      expect(worst.delta).toBeGreaterThan(0);
      expect(worst.delta).toBeLessThan(1e-5);
      expect(diff / scale).toBeLessThan(10 * worst.delta);
      // the samples moved: parity is not two copies of the noise
      expect(maxAbs(a.x.data, noise)).toBeGreaterThan(0.1 * scale);
    });
  }

  it('rejects labels for an unconditional graph and a wrong parameter count', () => {
    const schedule = createSchedule(flowMeta.schedule);
    expect(() => tfjsModel(mlp.graph, params, 'velocity', schedule, [0, 1])).toThrow(/takes no labels/);
    expect(() => tfjsModel(mlp.graph, params.subarray(1), 'velocity', schedule)).toThrow(/parameters/);
  });
});
