// Sampling from a training run: its latest checkpoint's EMA weights, picked up again when a newer checkpoint lands.
import { describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
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

  it('serves overlapping requests while newer checkpoints land, and keeps only the newest few live files', async () => {
    const { dir, id } = await makeRun(config, 40);
    const service = new SamplingService(null, createInProcessRunner(), join(dir, '..', '..'));
    const valid = parseTrainingConfig(config);
    const layout = buildModel(valid.model, [2]).layout;
    const checkpoint = (step: number) => {
      const ema = initParams(layout, new Rng(step));
      const zeros = new Float32Array(ema.length);
      return writeCheckpoint(dir, {
        step, weights: ema, ema, optimiser: { step, m: zeros, v: zeros }, rng: {}, dataCursor: { epoch: 0, position: 0, permutationSeed: 1 },
        configHash: configHash(valid), backend: 'cpu',
      });
    };
    const request = { sampler: 'heun', steps: 40, n: 4000, seed: 5, model: { kind: 'run', runId: id } } as const;
    // the first request is still sampling when a newer checkpoint lands and two more requests start
    let started: () => void = () => undefined;
    const sampling = new Promise<void>((resolve) => (started = resolve));
    const first = service.run(request, (info) => info.step === 1 && started());
    await sampling;
    await checkpoint(80);
    const [a, b, c] = await Promise.all([first, service.run(request), service.run(request)]);
    expect(b.samples).toEqual(c.samples);
    expect(a.samples).not.toEqual(b.samples);

    for (const step of [120, 160, 200, 240]) {
      await checkpoint(step);
      await service.run({ ...request, steps: 2, n: 10 });
    }
    const live = (await readdir(join(dir, '.live'))).filter((n) => n.endsWith('.onnx'));
    expect(live).toHaveLength(3);
    expect(live.some((n) => n.startsWith('step-240-'))).toBe(true);
    await service.close();
  });

  it('refuses a run outside a workspace and an unknown run', async () => {
    await expect(new SamplingService(null, createInProcessRunner()).run({ sampler: 'euler', steps: 2, n: 2, model: { kind: 'run', runId: 'abc' } })).rejects.toThrow(/workspace/);
    const service = new SamplingService(null, createInProcessRunner(), tempDir());
    await expect(service.run({ sampler: 'euler', steps: 2, n: 2, model: { kind: 'run', runId: 'no-such-run' } })).rejects.toMatchObject({ name: 'StudioError' });
  });
});
