// Export of a run made on disk: ONNX's checker accepts the file, ONNX Runtime matches the reference evaluator, the metadata says how to sample.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateGraph, floatTensor, int64Tensor, type Tensor } from '../../src-core/graph';
import { describeModel } from '../../src-core/onnx/studio-format';
import { Rng } from '../../src-core/rng';
import { parseTrainingConfig, type TrainingConfigInput } from '../../src-core/training/config';
import { buildModel } from '../../src-core/training/model-from-config';
import { exportRun } from '../../src-main/export/export-run';
import { createRun } from '../../src-main/runs';
import { runOnnxChecker, runOrt } from '../onnx/ort-helpers';
import { PYTHON_ONNX, have } from '../prerequisites';
import { makeRun, tempDir } from './fixtures';

// without python3-onnx the checker's assertion is left out here (one line says so); under CI the file fails instead
const checker = have(PYTHON_ONNX);

const CASES: [string, TrainingConfigInput][] = [
  ['reference MLP, velocity on linear', { data: { source: 'builtin', id: 'eight-gaussians', params: { count: 256 } }, steps: 40 }],
  [
    'standardised, sinusoidal, eps on vp-cosine',
    {
      data: { source: 'builtin', id: 'two-moons', params: { count: 300 }, normalise: 'standardise' },
      model: { family: 'mlp', hidden: [64, 64], timeEmbedding: { kind: 'sinusoidal', dim: 16 }, residual: true },
      objective: { parameterisation: 'eps', schedule: { name: 'vp-cosine' } },
      seed: 12,
      steps: 40,
    },
  ],
  ['class-conditional', { data: { source: 'builtin', id: 'eight-gaussians', params: { count: 256 } }, model: { family: 'mlp', hidden: [32, 32], classes: 8, labelDropout: 0.1 }, steps: 40 }],
];

function relErr(a: Float32Array, b: Float32Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / Math.max(den, 1e-12);
}

describe('exportRun', () => {
  for (const [name, config] of CASES) {
    it(`exports a ${name} run that ONNX Runtime and the checker accept`, async () => {
      const run = await makeRun(config);
      const out = join(tempDir(), 'model.onnx');
      const r = await exportRun(run.dir, out);
      const bytes = new Uint8Array(readFileSync(out));
      expect(r.bytes).toBe(bytes.length);
      expect(r.step).toBe(40);
      if (checker) expect(runOnnxChecker(bytes, 'export')).toEqual({ ok: true, stderr: '' });

      const valid = parseTrainingConfig(config);
      const d = describeModel(bytes);
      expect(d.meta).toMatchObject({ parameterisation: valid.objective.parameterisation, dataShape: [2], runId: run.id, seed: valid.seed, studioVersion: expect.any(String) });
      expect(d.meta.schedule).toEqual(valid.objective.schedule);
      expect(d.meta.normalisation === null).toBe(valid.data.normalise === 'none');
      if (d.meta.normalisation) expect(d.meta.normalisation.scale.every((s) => s > 0.1)).toBe(true);
      expect(d.conditional).toBe(valid.model.classes !== null);

      // the EMA weights, not the raw ones, are in the file
      const model = buildModel(valid.model, [2]);
      const n = 64;
      const rng = new Rng(5);
      const feeds: Record<string, Tensor> = {
        x: floatTensor(rng.fillNormal(new Float32Array(n * 2)), [n, 2]),
        t: floatTensor(rng.fillUniform(new Float32Array(n)), [n]),
      };
      if (model.nullClass !== undefined) feeds.y = int64Tensor(Array.from({ length: n }, (_, i) => i % (model.nullClass! + 1)), [n]);
      const want = evaluateGraph(model.graph, run.ema, feeds).prediction.data as Float32Array;
      const got = (await runOrt(bytes, feeds)).prediction;
      expect(relErr(got, want)).toBeLessThan(1e-5);
      const raw = evaluateGraph(model.graph, run.weights, feeds).prediction.data as Float32Array;
      expect(relErr(got, raw)).toBeGreaterThan(1e-2);
    });
  }

  it('writes the raw weights when asked', async () => {
    const run = await makeRun(CASES[0][1]);
    const out = join(tempDir(), 'raw.onnx');
    await exportRun(run.dir, out, { rawWeights: true });
    const model = buildModel(parseTrainingConfig(CASES[0][1]).model, [2]);
    const feeds = { x: floatTensor([0.5, -1], [1, 2]), t: floatTensor([0.3], [1]) };
    const got = (await runOrt(new Uint8Array(readFileSync(out)), feeds)).prediction;
    expect(relErr(got, evaluateGraph(model.graph, run.weights, feeds).prediction.data as Float32Array)).toBeLessThan(1e-5);
  });

  it('refuses a run without a checkpoint, and a folder that is not a run', async () => {
    const { dir } = await createRun(tempDir('studio-ws-'), parseTrainingConfig(CASES[0][1]));
    await expect(exportRun(dir, join(tempDir(), 'x.onnx'))).rejects.toThrow(/has no checkpoint yet/);
    await expect(exportRun(tempDir(), join(tempDir(), 'x.onnx'))).rejects.toThrow(/is not a run folder: it has no config.json or run.json/);
  });
});
