// Quality bar: CFM with the MLP on eight gaussians, the trained EMA model's samples against held-out data, next to the oracle's.
import { describe, expect, it } from 'vitest';
import { datasetMixture, generateDataset } from '../../src-core/data';
import { mmd2 } from '../../src-core/metrics/mmd';
import { slicedW2Squared } from '../../src-core/metrics/wasserstein';
import { createOracle } from '../../src-core/oracle';
import { Rng } from '../../src-core/rng';
import { sample } from '../../src-core/sampling';
import { createSchedule } from '../../src-core/schedules';
import { parseTrainingConfig } from '../../src-core/training/config';
import { buildModel } from '../../src-core/training/model-from-config';
import { readRunRecord } from '../../src-main/runs';
import { resolveTrainingBackend } from '../../src-main/training/backend-choice';
import { emaModel } from '../../src-main/training/preview';
import { identityNormalisation } from '../../src-core/training/trainer';
import { latestCheckpoint, newRun, recordingSupervisor, tempWorkspace } from './helpers';

const SAMPLES = 5000;
const STEPS = 20; // Heun: 40 network evaluations

describe('quality', () => {
  it('CFM on eight gaussians: sliced W2 and MMD of EMA samples within 1.5x of the oracle at the same NFE', async () => {
    const ws = await tempWorkspace();
    const input = {
      data: { source: 'builtin' as const, id: 'eight-gaussians', params: { count: 20_000, seed: 0 } },
      model: { family: 'mlp' as const, hidden: [128, 128, 128] },
      steps: 4000, batchSize: 256, checkpointEvery: 4000, seed: 0, emaDecay: 0.995,
      optimiser: { lr: 2e-3, warmupSteps: 200, decay: 'cosine' as const, minLr: 1e-4 },
    };
    const { id, dir } = await newRun(ws, input);
    const { supervisor } = recordingSupervisor();
    const t0 = Date.now();
    await supervisor.launch(dir);
    await supervisor.waitForExit(id);
    const trainSec = (Date.now() - t0) / 1000;
    expect((await readRunRecord(dir)).status).toBe('completed');

    const config = parseTrainingConfig(input);
    const schedule = createSchedule(config.objective.schedule);
    const model = buildModel(config.model, [2]);
    const ckpt = await latestCheckpoint(dir);
    const o = config.optimiser;
    const { backend } = await resolveTrainingBackend('auto', {
      graph: model.graph, layout: model.layout, batchSize: SAMPLES,
      optimiser: { kind: o.kind, beta1: o.beta1, beta2: o.beta2, eps: o.eps, weightDecay: o.weightDecay, gradClip: o.gradClip, emaDecay: config.emaDecay },
      state: { step: ckpt.optimiser.step, params: ckpt.weights, m: ckpt.optimiser.m, v: ckpt.optimiser.v, ema: ckpt.ema },
    });
    const noise = new Rng(11).fillNormal(new Float32Array(SAMPLES * 2));
    const grid = { grid: { name: 'uniform', steps: STEPS } };
    const trained = await sample('heun', emaModel({ backend, parameterisation: 'velocity', schedule, itemShape: [2], normalisation: identityNormalisation(2) }), { data: noise.slice(), shape: [SAMPLES, 2] }, grid);
    backend.dispose();
    const oracle = await sample('heun', createOracle(datasetMixture('eight-gaussians', input.data.params), schedule, 'velocity'), { data: Float64Array.from(noise), shape: [SAMPLES, 2] }, grid);
    const heldOut = generateDataset('eight-gaussians', { count: SAMPLES, seed: 12345 });
    const sw = (x: { data: Float32Array | Float64Array }) => Math.sqrt(slicedW2Squared({ data: x.data, shape: [SAMPLES, 2] }, heldOut, { rng: new Rng(5), projections: 256 }));
    const mmd = (x: { data: Float32Array | Float64Array }) => mmd2({ data: x.data, shape: [SAMPLES, 2] }, heldOut, { biased: true });
    const figures = { trainSec, nfe: trained.nfe, swTrained: sw(trained.x), swOracle: sw(oracle.x), mmdTrained: mmd(trained.x), mmdOracle: mmd(oracle.x) };
    console.log(JSON.stringify(figures));
    expect(figures.swTrained).toBeLessThanOrEqual(1.5 * figures.swOracle);
    expect(figures.mmdTrained).toBeLessThanOrEqual(1.5 * figures.mmdOracle);
  }, 120_000);
});
