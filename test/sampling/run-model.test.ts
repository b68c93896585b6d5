// Sampling from a training run: its latest checkpoint's EMA weights, picked up again when a newer checkpoint lands.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Rng } from '../../src-core/rng';
import { parseTrainingConfig, type TrainingConfigInput } from '../../src-core/training/config';
import { buildModel } from '../../src-core/training/model-from-config';
import { initParams } from '../../src-core/graph';
import { exportRun } from '../../src-main/export/export-run';
import { configHash, writeCheckpoint } from '../../src-main/runs';
import { createInProcessRunner } from '../../src-main/sampling/onnx-runner';
import { SamplingService } from '../../src-main/sampling/sampling-service';
import { makeRun, tempDir } from './fixtures';

const config: TrainingConfigInput = { data: { source: 'builtin', id: 'eight-gaussians', params: { count: 256 } }, model: { family: 'mlp', hidden: [32, 32] }, steps: 200 };

describe('sampling a run', () => {
  it('equals sampling its exported file, and follows a newer checkpoint', async () => {
    const { dir, id } = await makeRun(config, 40);
    const workspace = join(dir, '..', '..');
    const service = new SamplingService(null, createInProcessRunner(), workspace);
    const request = { sampler: 'heun', steps: 8, n: 300, seed: 5 };

    const live = await service.run({ ...request, model: { kind: 'run', runId: id } });
    const file = join(tempDir(), 'm.onnx');
    await exportRun(dir, file);
    const exported = await service.run({ ...request, model: { kind: 'onnx', path: file } });
    expect(live.samples).toEqual(exported.samples);

    // a later checkpoint (the run kept training) changes what the run samples
    const valid = parseTrainingConfig(config);
    const model = buildModel(valid.model, [2]);
    const ema = initParams(model.layout, new Rng(99));
    const zeros = new Float32Array(ema.length);
    await writeCheckpoint(dir, {
      step: 80, weights: ema, ema, optimiser: { step: 80, m: zeros, v: zeros }, rng: {}, dataCursor: { epoch: 0, position: 0, permutationSeed: 1 },
      configHash: configHash(valid), backend: 'cpu',
    });
    const later = await service.run({ ...request, model: { kind: 'run', runId: id } });
    expect(later.samples).not.toEqual(live.samples);
    await exportRun(dir, file);
    const exportedLater = await service.run({ ...request, model: { kind: 'onnx', path: file } });
    expect(later.samples).toEqual(exportedLater.samples);
    await service.close();
  });

  it('refuses a run outside a workspace and an unknown run', async () => {
    await expect(new SamplingService(null, createInProcessRunner()).run({ sampler: 'euler', steps: 2, n: 2, model: { kind: 'run', runId: 'abc' } })).rejects.toThrow(/workspace/);
    const service = new SamplingService(null, createInProcessRunner(), tempDir());
    await expect(service.run({ sampler: 'euler', steps: 2, n: 2, model: { kind: 'run', runId: 'no-such-run' } })).rejects.toMatchObject({ name: 'StudioError' });
  });
});
