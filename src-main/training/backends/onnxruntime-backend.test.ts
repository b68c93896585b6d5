// The 'onnxruntime' backend: probe, buffer swapping over several steps, state copies, EMA and live predictions, bad calls.
import { describe, expect, it } from 'vitest';
import { buildMlp, evaluateGraph, floatTensor, initParams, int64Tensor, type Tensor } from '../../../src-core/graph';
import { Rng } from '../../../src-core/rng';
import { STEP_IO, compileTrainingStep } from '../../../src-core/training-graph';
import type { OptimiserSettings, StepResult, TrainBatch, TrainerState } from '../../../src-core/training/backend';
import { createOnnxruntimeBackend, onnxruntimeProvider } from './onnxruntime-backend';

const OPT: OptimiserSettings = { kind: 'adamw', beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.01, gradClip: 1, emaDecay: 0.9 };
const model = buildMlp({ dataDim: 2, hidden: [16, 16], timeEmbedding: { kind: 'sinusoidal', dim: 4 }, classes: 2, residual: true });

function fresh(seed: number): TrainerState {
  const params = initParams(model.layout, new Rng(seed));
  const P = params.length;
  return { step: 0, params, m: new Float32Array(P), v: new Float32Array(P), ema: params.slice() };
}

function batch(seed: number, n: number): TrainBatch {
  const rng = new Rng(seed);
  return {
    n,
    xt: rng.fillNormal(new Float32Array(2 * n)),
    t: rng.fillUniform(new Float32Array(n)),
    y: BigInt64Array.from({ length: n }, () => BigInt(rng.int(3))),
    target: rng.fillNormal(new Float32Array(2 * n)),
    weight: new Float32Array(n).fill(1),
  };
}

/** The compiled step on the reference evaluator, k steps: what the backend's swapped buffers must reproduce. */
function evaluatorSteps(state: TrainerState, batches: readonly TrainBatch[], lr: number): TrainerState {
  const g = compileTrainingStep(model.graph, model.layout, { optimiser: OPT, hasLabels: true });
  const P = model.layout.size;
  let s = state;
  for (const b of batches) {
    const k = s.step + 1;
    const feeds: Record<string, Tensor> = {
      params: floatTensor(s.params, [P]),
      m: floatTensor(s.m, [P]),
      v: floatTensor(s.v, [P]),
      ema: floatTensor(s.ema, [P]),
      xt: floatTensor(b.xt, [b.n, 2]),
      t: floatTensor(b.t, [b.n]),
      y: int64Tensor(b.y as BigInt64Array, [b.n]),
      target: floatTensor(b.target, [b.n, 2]),
      weight: floatTensor(b.weight, [b.n]),
      lr: floatTensor([lr], []),
      bc1: floatTensor([1 - OPT.beta1 ** k], []),
      bc2: floatTensor([1 - OPT.beta2 ** k], []),
    };
    const out = evaluateGraph(g, new Float32Array(0), feeds);
    const data = (name: string) => out[name].data as Float32Array;
    s = { step: k, params: data(STEP_IO.paramsNext), m: data(STEP_IO.mNext), v: data(STEP_IO.vNext), ema: data(STEP_IO.emaNext) };
  }
  return s;
}

describe('onnxruntime backend', () => {
  it('probes ONNX Runtime and names the device', async () => {
    const r = await onnxruntimeProvider.probe();
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.device).toMatch(/^(CPU, \d+ threads?|CUDA)/);
  });

  it('three steps (buffers swapped each time, bias correction per step) equal the reference evaluator', async () => {
    const state = fresh(1);
    const batches = [batch(2, 8), batch(3, 5), batch(4, 8)];
    const backend = await onnxruntimeProvider.create({ graph: model.graph, layout: model.layout, optimiser: OPT, batchSize: 8, state });
    try {
      expect(backend.name).toBe('onnxruntime');
      for (const b of batches) expect(Number.isFinite((await backend.step(b, 1e-2)).loss)).toBe(true);
      const got = await backend.readState();
      const want = evaluatorSteps(state, batches, 1e-2);
      expect(got.step).toBe(3);
      for (const k of ['params', 'm', 'v', 'ema'] as const) {
        const err = got[k].reduce((e, x, i) => Math.max(e, Math.abs(x - want[k][i])), 0);
        expect(err, k).toBeLessThan(2e-6);
      }
    } finally {
      backend.dispose();
    }
  });

  it('reads and writes state as copies, and predicts with the EMA or the live weights', async () => {
    const state = fresh(5);
    const backend = await createOnnxruntimeBackend({ graph: model.graph, layout: model.layout, optimiser: OPT, batchSize: 8, state }, { threads: 1 });
    try {
      await backend.step(batch(6, 8), 1e-2);
      const s1 = await backend.readState();
      s1.params.fill(0);
      expect((await backend.readState()).params.some((x) => x !== 0)).toBe(true);
      const other = { ...fresh(9), step: 4 };
      other.ema.fill(0.01);
      await backend.writeState(other);
      const back = await backend.readState();
      expect(back.step).toBe(4);
      expect(back.params).toEqual(other.params);
      const b = batch(7, 6);
      const feeds = { x: floatTensor(b.xt, [6, 2]), t: floatTensor(b.t, [6]), y: int64Tensor(b.y as BigInt64Array, [6]) };
      for (const [which, params] of [['ema', other.ema], ['live', other.params]] as const) {
        const got = await backend.predict(b.xt, b.t, b.y, 6, which);
        const want = evaluateGraph(model.graph, params, feeds).prediction.data as Float32Array;
        expect(got.reduce((e, x, i) => Math.max(e, Math.abs(x - want[i])), 0), which).toBeLessThan(1e-5);
      }
      await expect(backend.step({ ...batch(8, 4), y: undefined }, 1e-2)).rejects.toThrow(/labels/);
      await expect(backend.writeState({ ...other, m: new Float32Array(3) })).rejects.toThrow(/state.m/);
    } finally {
      backend.dispose();
    }
  });

  it('steps() in runs of 4 equals single steps bit for bit (state, losses, norms), and resumes exactly from a state read between runs', async () => {
    const spec = { graph: model.graph, layout: model.layout, optimiser: OPT, batchSize: 8, state: fresh(11) };
    const lrs = Array.from({ length: 11 }, (_, k) => 1e-2 * (1 - k / 20));
    const batches = lrs.map((_, k) => batch(30 + k, 8));
    // the caller's one set of buffers, refilled on every draw: a run must copy each batch before the next is drawn
    const reused = batch(0, 8);
    const drawFrom = (list: readonly TrainBatch[]) => {
      let k = 0;
      return () => {
        const b = list[k++];
        for (const key of ['xt', 't', 'target', 'weight', 'y'] as const) (reused[key] as Float32Array | BigInt64Array).set(b[key] as Float32Array & BigInt64Array);
        return { ...reused, n: b.n };
      };
    };
    const single = await createOnnxruntimeBackend(spec, { threads: 1, stepsPerRun: 1 });
    const runs = await createOnnxruntimeBackend(spec, { threads: 1, stepsPerRun: 4 });
    const resumed = await createOnnxruntimeBackend({ ...spec, state: fresh(12) }, { threads: 1, stepsPerRun: 4 });
    try {
      const want: StepResult[] = [];
      for (let k = 0; k < lrs.length; k++) want.push(await single.step(batches[k], lrs[k]));
      // 11 steps: two runs of 4, then 3 single steps
      const got = await runs.steps(drawFrom(batches), lrs);
      expect(got).toEqual(want);
      const [a, b] = [await runs.readState(), await single.readState()];
      expect(a.step).toBe(11);
      for (const k of ['params', 'm', 'v', 'ema'] as const) expect(a[k], k).toEqual(b[k]);

      // stop after 8 steps (a run boundary), hand the state to another backend, continue there
      const first = await createOnnxruntimeBackend(spec, { threads: 1, stepsPerRun: 4 });
      try {
        await first.steps(drawFrom(batches), lrs.slice(0, 8));
        await resumed.writeState(await first.readState());
      } finally {
        first.dispose();
      }
      const rest = await resumed.steps(drawFrom(batches.slice(8)), lrs.slice(8));
      expect(rest).toEqual(want.slice(8));
      const c = await resumed.readState();
      for (const k of ['params', 'm', 'v', 'ema'] as const) expect(c[k], k).toEqual(b[k]);
      await expect(runs.steps(drawFrom([batch(1, 8), batch(2, 8), batch(3, 5), batch(4, 8)]), [1e-3, 1e-3, 1e-3, 1e-3])).rejects.toThrow(/one size/);
    } finally {
      single.dispose();
      runs.dispose();
      resumed.dispose();
    }
  });
});
