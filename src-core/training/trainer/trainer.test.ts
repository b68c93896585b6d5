// Tests of the loop pieces: data cursor, learning rate, batches (couplings, dropout, exact continuation), smoothing, non-finite stop.
import { describe, expect, it } from 'vitest';
import { generateDataset } from '../../data';
import { createSchedule } from '../../schedules';
import type { StepResult, TrainBatch, TrainerState, TrainingBackend } from '../backend';
import { parseTrainingConfig, type TrainingConfigInput } from '../config';
import {
  BatchBuilder, DataSource, NonFiniteLossError, SmoothedLoss, Trainer, createRngStreams, learningRate, restoreRngStreams, rngStates,
  type DataRows, type StepReport,
} from './index';

const rows = (): DataRows => ({ data: generateDataset('eight-gaussians', { count: 200, seed: 3 }).data, rowSize: 2 });

function builderFor(input: TrainingConfigInput, data = rows()) {
  const config = parseTrainingConfig({ batchSize: 32, ...input });
  const streams = createRngStreams(config.seed);
  const source = new DataSource(data, streams.data);
  const builder = new BatchBuilder(config, { data: source, streams, schedule: createSchedule(config.objective.schedule), nullClass: config.model.classes ?? undefined });
  return { config, streams, source, builder };
}

const copy = (b: TrainBatch) => ({ xt: b.xt.slice(), t: b.t.slice(), target: b.target.slice(), weight: b.weight.slice(), y: b.y?.slice() });

describe('DataSource', () => {
  it('visits every row once per epoch and continues exactly from a saved cursor', () => {
    const data: DataRows = { data: Float32Array.from({ length: 10 }, (_, i) => i), rowSize: 1 };
    const streams = createRngStreams(1);
    const a = new DataSource(data, streams.data);
    const out = new Float64Array(10);
    a.next(10, out);
    expect([...out].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    a.next(3, out);
    const cursor = a.cursor();
    const saved = streams.data.state();
    const straight = new Float64Array(25);
    a.next(25, straight);
    const b = new DataSource(data, restoreRngStreams({ ...rngStates(streams), data: saved }).data, cursor);
    const resumed = new Float64Array(25);
    b.next(25, resumed);
    expect(resumed).toEqual(straight);
    expect(cursor.epoch).toBe(1);
    expect(cursor.position).toBe(3);
  });
});

describe('learningRate', () => {
  it('warms up linearly and decays by a cosine to minLr', () => {
    const o = { lr: 1e-3, warmupSteps: 10, decay: 'cosine' as const, minLr: 1e-5 };
    expect(learningRate(o, 0, 110)).toBeCloseTo(1e-4, 12);
    expect(learningRate(o, 9, 110)).toBeCloseTo(1e-3, 12);
    expect(learningRate(o, 10, 110)).toBeCloseTo(1e-3, 12);
    expect(learningRate(o, 60, 110)).toBeCloseTo((1e-3 + 1e-5) / 2, 12);
    expect(learningRate(o, 110, 110)).toBeCloseTo(1e-5, 12);
    expect(learningRate({ ...o, decay: 'none' }, 100, 110)).toBe(1e-3);
  });
});

describe('BatchBuilder', () => {
  it('builds x_t and the velocity target of the linear path from a data row and its noise', () => {
    const { builder } = builderFor({});
    const data = rows().data;
    const known = new Set<string>();
    for (let i = 0; i < data.length; i += 2) known.add(`${data[i]},${data[i + 1]}`);
    const b = builder.next();
    for (let r = 0; r < b.n; r++) {
      const t = b.t[r];
      expect(t).toBeGreaterThanOrEqual(0);
      expect(t).toBeLessThanOrEqual(1);
      // linear: x_t = (1 - t) x0 + t eps and u = eps - x0, so x0 = x_t - t u
      const x0 = [0, 1].map((j) => b.xt[2 * r + j] - t * b.target[2 * r + j]);
      const nearest = Math.min(...[...known].map((k) => Math.hypot(...k.split(',').map((v, j) => Number(v) - x0[j]))));
      expect(nearest).toBeLessThan(1e-4);
      expect(b.weight[r]).toBe(1);
    }
  });

  it('continues bit for bit from saved stream states and cursor, for every coupling', () => {
    for (const coupling of ['independent', { ot: 'exact' }, { sinkhorn: 0.5 }, { schrodinger: 0.3 }] as const) {
      const { builder, streams, source, config } = builderFor({ coupling, objective: { timeSampling: { logNormal: { mean: 0, std: 1 } } } });
      for (let i = 0; i < 3; i++) builder.next();
      const states = rngStates(streams);
      const cursor = source.cursor();
      const straight = [0, 1, 2].map(() => copy(builder.next()));
      const s2 = restoreRngStreams(states);
      const b2 = new BatchBuilder(config, { data: new DataSource(rows(), s2.data, cursor), streams: s2, schedule: createSchedule(config.objective.schedule) });
      const resumed = [0, 1, 2].map(() => copy(b2.next()));
      expect(resumed).toEqual(straight);
    }
  });

  it('exact OT pairs noise and data with a smaller total squared distance than independent pairing', () => {
    const cost = (coupling: TrainingConfigInput['coupling']): number => {
      const { builder } = builderFor({ coupling, batchSize: 128 });
      const b = builder.next();
      let s = 0;
      // on linear with velocity: x1 - x0 = u, so the pair's squared distance is |u|^2
      for (let i = 0; i < b.target.length; i++) s += b.target[i] ** 2;
      return s;
    };
    expect(cost({ ot: 'exact' })).toBeLessThan(0.6 * cost('independent'));
  });

  it('trains on pairs fixed in advance: the linear path and the bridge run between the given rows, never re-paired', () => {
    // pair k is (x0, x1) = ((k, 0), (k, 10)); any re-pairing or fresh noise would show as another x1 - x0
    const pairs = (n: number, x0: Float64Array, x1: Float64Array) => {
      for (let k = 0; k < n; k++) [x0[2 * k], x0[2 * k + 1], x1[2 * k], x1[2 * k + 1]] = [k, 0, k, 10];
    };
    for (const coupling of [{ ot: 'exact' }, { schrodinger: 0.2 }] as const) {
      const config = parseTrainingConfig({ batchSize: 16, coupling });
      const streams = createRngStreams(4);
      const b = new BatchBuilder(config, { data: new DataSource(rows(), streams.data), streams, schedule: createSchedule(config.objective.schedule), pairs }).next();
      for (let k = 0; k < 16; k++) {
        const t = b.t[k];
        const spread = 'schrodinger' in coupling ? 0.2 * Math.sqrt(t * (1 - t)) : 0;
        // x_t = (k, 10 t) + spread z and u = (0, 10) + (1 - 2t) / (2 t (1 - t)) spread z: its excess over the straight velocity is the same z
        const z = [(b.xt[2 * k] - k) / (spread || 1), (b.xt[2 * k + 1] - 10 * t) / (spread || 1)];
        if (spread === 0) expect(Math.abs(b.xt[2 * k] - k) + Math.abs(b.xt[2 * k + 1] - 10 * t)).toBeLessThan(1e-4);
        const pull = spread === 0 ? 0 : ((1 - 2 * t) * spread) / (2 * t * (1 - t));
        expect(b.target[2 * k]).toBeCloseTo(pull * z[0], 3);
        expect(b.target[2 * k + 1]).toBeCloseTo(10 + pull * z[1], 3);
      }
    }
  });

  it('drops labels to the null class at the configured rate', () => {
    const data = rows();
    const labels = Int32Array.from({ length: 200 }, (_, i) => i % 8);
    const { builder } = builderFor({ batchSize: 1000, model: { family: 'mlp', classes: 8, labelDropout: 0.2 } }, { ...data, labels });
    const y = builder.next().y;
    expect(y).toBeDefined();
    const dropped = [...(y ?? [])].filter((v) => v === 8n).length / 1000;
    expect(dropped).toBeGreaterThan(0.15);
    expect(dropped).toBeLessThan(0.25);
  });

  it('draws times in [tMin, 1] and uses the schedule for VP eps-prediction', () => {
    const { builder, config } = builderFor({ objective: { schedule: { name: 'vp-linear' }, parameterisation: 'eps' } });
    const b = builder.next();
    for (const t of b.t) expect(t).toBeGreaterThanOrEqual(config.objective.tMin - 1e-9);
    const s = createSchedule(config.objective.schedule);
    // eps target: x0 = (x_t - sigma eps) / alpha lands on the data's scale
    for (let r = 0; r < b.n; r++) {
      const x0 = (b.xt[2 * r] - s.sigma(b.t[r]) * b.target[2 * r]) / s.alpha(b.t[r]);
      expect(Math.abs(x0)).toBeLessThan(10);
    }
  });
});

describe('SmoothedLoss', () => {
  it('is unbiased from the first step and restores from a logged value', () => {
    const a = new SmoothedLoss(0.9);
    expect(a.update(2)).toBeCloseTo(2, 12);
    for (let i = 0; i < 20; i++) a.update(1 + (i % 3));
    const b = new SmoothedLoss(0.9);
    b.restore(a.value(), 21);
    expect(b.update(5)).toBeCloseTo(a.update(5), 10);
  });
});

/** A backend that reports a fixed loss sequence and does nothing else. */
function scriptedBackend(losses: number[]): TrainingBackend {
  let i = 0;
  const state: TrainerState = { step: 0, params: new Float32Array(1), m: new Float32Array(1), v: new Float32Array(1), ema: new Float32Array(1) };
  return {
    name: 'cpu',
    device: 'test',
    step: async (): Promise<StepResult> => ({ loss: losses[i++], gradNorm: 1 }),
    readState: async () => state,
    writeState: async () => undefined,
    predict: async (x) => x,
    dispose: () => undefined,
  };
}

describe('Trainer', () => {
  it('stops on a non-finite loss with the step named', async () => {
    const { builder, streams, source, config } = builderFor({ steps: 10 });
    const trainer = new Trainer(config, scriptedBackend([1, 0.5, NaN]), builder, source, streams, 0);
    await trainer.runStep();
    await trainer.runStep();
    const err = await trainer.runStep().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonFiniteLossError);
    expect((err as Error).message).toMatch(/NaN at step 3/);
    expect(trainer.step).toBe(2);
  });

  it('runs several steps per backend call, never across a checkpoint or the end, with the batches, rates and reports of single steps', async () => {
    const input = { steps: 23, checkpointEvery: 10, optimiser: { lr: 1e-2, warmupSteps: 5, decay: 'cosine' as const } };
    // a backend whose loss is a function of the batch and the rate, so any change in drawing order or rate shows
    const seen = (b: TrainBatch, lr: number): StepResult => ({ loss: b.xt[0] + b.t[1] + 1000 * lr, gradNorm: b.target[2] });
    const calls: number[] = [];
    const multi: TrainingBackend = {
      ...scriptedBackend([]),
      step: async (b, lr) => seen(b, lr),
      steps: async (next, lrs) => {
        calls.push(lrs.length);
        // all batches are drawn before any is used, as the compiled backend does (the builder reuses its buffers)
        const drawn = lrs.map(() => copy(next()));
        return drawn.map((b, j) => seen({ n: 32, ...b }, lrs[j]));
      },
    };
    const a = builderFor(input);
    const chunked = new Trainer(a.config, multi, a.builder, a.source, a.streams, 0);
    const got: StepReport[] = [];
    while (!chunked.done) got.push(...(await chunked.runSteps(8)));
    expect(calls).toEqual([8, 2, 8, 2, 3]);
    const b = builderFor(input);
    const single = new Trainer(b.config, multi, b.builder, b.source, b.streams, 0);
    const want: StepReport[] = [];
    while (!single.done) want.push(await single.runStep());
    expect(got).toEqual(want);
    expect(chunked.loopState()).toEqual(single.loopState());
  });

  it('a non-finite step inside a multi-step call names its step and hands back the reports before it', async () => {
    const { builder, streams, source, config } = builderFor({ steps: 10 });
    const backend: TrainingBackend = { ...scriptedBackend([]), steps: async (next, lrs) => lrs.map((_, j) => ({ loss: j === 2 ? Infinity : 1, gradNorm: 1 })) };
    const err = await new Trainer(config, backend, builder, source, streams, 0).runSteps(5).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonFiniteLossError);
    expect((err as NonFiniteLossError).step).toBe(3);
    expect((err as NonFiniteLossError).before.map((r) => r.step)).toEqual([1, 2]);
  });
});
