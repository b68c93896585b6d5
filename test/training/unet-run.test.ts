// A class-conditional U-Net run end to end through the studio's API: MNIST saved to the workspace, trained in the worker, paused, resumed, sampled and exported.
import { readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDirectClient } from '../../src-core/api/direct-client';
import type { StudioApi } from '../../src-core/api/studio-api';
import { describeModel } from '../../src-core/onnx/studio-format';
import type { TrainingConfigInput } from '../../src-core/training/config';
import { readRunRecord, runDir } from '../../src-main/runs';
import { createStudioHost, type StudioHost } from '../../src-main/services/studio-host';
import { latestCheckpoint, requireWorker, tempWorkspace, until, WORKER } from './helpers';

const IMAGES = 200;
const STEPS = 24;
const SIDE = 28;
const D = SIDE * SIDE;

let workspace = '';
let host: StudioHost | null = null;
afterAll(async () => {
  await host?.close();
  if (workspace) await rm(workspace, { recursive: true, force: true });
});

/** Per-pixel mean and std of [n, d] rows in float64 (a zero std read as 1, as constant pixels pass through). */
function pixelStats(data: Float32Array, d: number): { mean: number[]; std: number[] } {
  const n = data.length / d;
  const mean = new Array<number>(d).fill(0);
  const std = new Array<number>(d).fill(0);
  for (let j = 0; j < d; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += data[i * d + j];
    mean[j] = s / n;
    let q = 0;
    for (let i = 0; i < n; i++) q += (data[i * d + j] - mean[j]) ** 2;
    std[j] = Math.sqrt(q / n) || 1;
  }
  return { mean, std };
}

/** Pearson correlation of two equally long vectors. */
function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] / n;
    mb += b[i] / n;
  }
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

/** The mean image of [n, d] samples. */
function meanImage(samples: Float32Array, d: number): Float64Array {
  const n = samples.length / d;
  const out = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[j] += samples[i * d + j] / n;
  return out;
}

describe('U-Net run', () => {
  it('trains a class-conditional U-Net on saved MNIST digits in the worker, pauses, resumes, samples and exports', async () => {
    requireWorker();
    workspace = await tempWorkspace();
    // previews every 50 ms with the service's default size: an image run must keep them small enough to go on training
    host = createStudioHost({ workspace, version: 't', host: 'direct', training: { workerPath: WORKER, autoRestart: false, settings: { progressIntervalMs: 20, previewIntervalMs: 50 } } });
    const api: StudioApi = createDirectClient(host.dispatch, host.events);
    const progress: { runId: string; step: number; loss: number | null }[] = [];
    const statuses: string[] = [];
    const previews: { shape: number[]; points: Float32Array }[] = [];
    api.on('training.progress', (p) => progress.push({ runId: p.runId, step: p.step, loss: p.loss }));
    api.on('training.status', (s) => statuses.push(s.run.status));
    api.on('training.preview', (p) => previews.push({ shape: p.shape, points: p.points }));

    const saved = await api.call('datasets.mnist', { count: IMAGES });
    expect(saved.shape).toEqual([IMAGES, 1, SIDE, SIDE]);
    expect(saved.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const loaded = await api.call('datasets.load', { id: saved.id });
    expect(loaded.labels?.length).toBe(IMAGES);

    const config: TrainingConfigInput = {
      data: { source: 'workspace', id: saved.id, normalise: 'standardise' },
      model: { family: 'unet', channels: [8, 16], resBlocks: 1, groups: 8, timeEmbedding: { kind: 'sinusoidal', dim: 16 }, classes: 10, labelDropout: 0.2 },
      steps: STEPS, batchSize: 8, checkpointEvery: 8, seed: 3, backend: 'onnxruntime',
      optimiser: { lr: 2e-3 },
    };
    const { runId } = await api.call('training.start', { config, name: 'digits' });
    const dir = runDir(workspace, runId);

    // pause part-way: a checkpoint at the step reached, and no progress while paused
    await until(() => progress.some((p) => p.runId === runId && p.step >= 4), 30_000, 'U-Net progress');
    await api.call('training.pause', { runId });
    await until(() => statuses.includes('paused'), 30_000, 'paused');
    const pausedAt = (await readRunRecord(dir)).lastStep;
    expect(pausedAt).toBeGreaterThanOrEqual(4);
    expect(pausedAt).toBeLessThan(STEPS);
    expect((await latestCheckpoint(dir)).step).toBe(pausedAt);
    const seen = progress.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(progress.length).toBe(seen);
    await api.call('training.resume', { runId });
    await until(() => statuses.includes('completed') || statuses.includes('failed'), 60_000, 'the run to end');

    const { run } = await api.call('training.get', { runId });
    expect(run.error).toBeNull();
    expect(run.status).toBe('completed');
    expect(run.lastStep).toBe(STEPS);
    expect(run.backend?.name).toBe('onnxruntime');
    const mine = progress.filter((p) => p.runId === runId);
    expect(mine[mine.length - 1].step).toBe(STEPS);
    expect(mine.every((p) => p.loss === null || Number.isFinite(p.loss))).toBe(true);
    const metrics = await api.call('training.metrics', { runId });
    expect(metrics.total).toBe(STEPS);
    expect(Array.from(metrics.step)).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
    const ckpt = await latestCheckpoint(dir);
    expect(ckpt.step).toBe(STEPS);
    expect(ckpt.ema.every(Number.isFinite)).toBe(true);
    // previews of an image run are images, a few of them
    expect(previews.length).toBeGreaterThanOrEqual(1);
    const preview = previews[previews.length - 1];
    expect(preview.shape.slice(1)).toEqual([1, SIDE, SIDE]);
    expect(preview.points.length).toBe(preview.shape[0] * D);
    expect(preview.shape[0]).toBeLessThanOrEqual(64);

    // the normalisation the run recorded: per-pixel statistics of the saved images
    const expected = pixelStats(loaded.data, D);
    const recorded = JSON.parse(await readFile(join(dir, 'normalisation.json'), 'utf8')) as { data: { kind: string; mean: number[]; std: number[] } };
    expect(recorded.data.kind).toBe('standardise');
    expect(recorded.data.mean).toHaveLength(D);
    for (let j = 0; j < D; j++) {
      expect(recorded.data.mean[j]).toBeCloseTo(expected.mean[j], 5);
      expect(recorded.data.std[j]).toBeCloseTo(expected.std[j], 5);
    }

    // sampling the run: class labels with guidance, images in data units
    const n = 40;
    const labels = Int32Array.from({ length: n }, (_, i) => i % 10);
    const request = { sampler: 'heun', steps: 4, grid: 'uniform', denoiseLast: false, n, seed: 5, labels };
    const fromRun = await api.call('sampling.run', { ...request, guidance: 2, model: { kind: 'run', runId } });
    expect(fromRun.shape).toEqual([n, 1, SIDE, SIDE]);
    expect(fromRun.samples.length).toBe(n * D);
    expect(fromRun.samples.every(Number.isFinite)).toBe(true);
    // in data units the mean sample follows the data's mean image (in the network's units it would be ~0 with no such structure)
    expect(correlation(meanImage(fromRun.samples, D), expected.mean)).toBeGreaterThan(0.5);
    const unguided = await api.call('sampling.run', { ...request, guidance: 1, model: { kind: 'run', runId } });
    // Heun: two evaluations a step; the guided pair (conditional and null label) counts as one
    expect([fromRun.nfe, unguided.nfe]).toEqual([8, 8]);
    expect(Array.from(unguided.samples)).not.toEqual(Array.from(fromRun.samples));

    // export: a studio-format model that ONNX Runtime samples to the same images
    const exported = await api.call('models.export', { runId, name: 'digits', guidance: 2 });
    expect(exported.step).toBe(STEPS);
    const d = describeModel(new Uint8Array(readFileSync(exported.path)));
    expect(d.conditional).toBe(true);
    expect(d.meta).toMatchObject({ parameterisation: 'velocity', dataShape: [1, SIDE, SIDE], classes: { count: 10, nullClass: 10, guidance: 2 }, runId });
    expect(d.meta.normalisation?.mean).toEqual(recorded.data.mean);
    expect(d.meta.normalisation?.scale).toEqual(recorded.data.std);
    // no guidance given: the file's own default (2, written at export) applies
    const fromFile = await api.call('sampling.run', { ...request, model: { kind: 'onnx', path: exported.path } });
    expect(fromFile.shape).toEqual([n, 1, SIDE, SIDE]);
    expect(fromFile.nfe).toBe(fromRun.nfe);
    for (let i = 0; i < n * D; i++) expect(fromFile.samples[i]).toBeCloseTo(fromRun.samples[i], 4);
    const listed = await api.call('models.list', { runId });
    expect(listed.exports.map((e) => e.name)).toEqual(['digits.onnx']);
  }, 60_000);
});
