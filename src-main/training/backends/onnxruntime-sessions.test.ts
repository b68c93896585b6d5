// The sessions the 'onnxruntime' training backend opens: idle threads sleep, so a run beside the studio's page keeps its rate.
import { describe, expect, it, vi } from 'vitest';
import { buildMlp, initParams } from '../../../src-core/graph';
import { Rng } from '../../../src-core/rng';
import type { OptimiserSettings, TrainerState } from '../../../src-core/training/backend';
import type { SessionOptions } from '../../ort/ort-session';
import { createOnnxruntimeBackend } from './onnxruntime-backend';

// Every session goes through the real createSession; the test only keeps the options each one was made with.
const made = vi.hoisted(() => [] as { inputs: number; options: SessionOptions | undefined }[]);
vi.mock('../../ort/ort-session', async (importActual) => {
  const actual = await importActual<typeof import('../../ort/ort-session')>();
  return {
    ...actual,
    createSession: async (model: Uint8Array, options?: SessionOptions) => {
      const session = await actual.createSession(model, options);
      made.push({ inputs: session.inputNames.length, options });
      return session;
    },
  };
});

const OPT: OptimiserSettings = { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, gradClip: 1, emaDecay: 0.999 };
const model = buildMlp({ dataDim: 2, hidden: [16, 16], timeEmbedding: { kind: 'sinusoidal', dim: 4 } });

function fresh(): TrainerState {
  const params = initParams(model.layout, new Rng(1));
  const P = params.length;
  return { step: 0, params, m: new Float32Array(P), v: new Float32Array(P), ema: params.slice() };
}

describe('onnxruntime backend sessions', () => {
  it('opens the probe, the training step and the preview forward with sleeping idle threads and one thread count', async () => {
    made.length = 0;
    const backend = await createOnnxruntimeBackend({ graph: model.graph, layout: model.layout, optimiser: OPT, batchSize: 8, state: fresh() }, { threads: 2, provider: 'cpu' });
    try {
      const rng = new Rng(2);
      await backend.step({ n: 8, xt: rng.fillNormal(new Float32Array(16)), t: rng.fillUniform(new Float32Array(8)), target: rng.fillNormal(new Float32Array(16)), weight: new Float32Array(8).fill(1) }, 1e-3);
      await backend.predict(rng.fillNormal(new Float32Array(16)), new Float32Array(8).fill(0.5), undefined, 8, 'ema');
    } finally {
      backend.dispose();
    }
    // probe (1 input), step (params, m, v, ema, batch and scalars), forward (params, x, t)
    expect(made.map((m) => m.inputs)).toEqual([1, expect.any(Number), 3]);
    for (const { options } of made) expect(options).toMatchObject({ threads: 2, spinning: false });
  });

  it('runs a small network 16 steps per session run in steps(), with one more session for them', async () => {
    made.length = 0;
    const backend = await createOnnxruntimeBackend({ graph: model.graph, layout: model.layout, optimiser: OPT, batchSize: 8, state: fresh() }, { threads: 1, provider: 'cpu' });
    try {
      const rng = new Rng(3);
      const b = { n: 8, xt: rng.fillNormal(new Float32Array(16)), t: rng.fillUniform(new Float32Array(8)), target: rng.fillNormal(new Float32Array(16)), weight: new Float32Array(8).fill(1) };
      const results = await backend.steps(() => b, new Array<number>(16).fill(1e-3));
      expect(results).toHaveLength(16);
      expect((await backend.readState()).step).toBe(16);
    } finally {
      backend.dispose();
    }
    // probe, the one-step session, then one whose inputs are the state and 16 steps' batch and scalars
    expect(made.map((m) => m.inputs)).toEqual([1, 4 + 7, 4 + 16 * 7]);
  });

  it('spins only when asked to', async () => {
    made.length = 0;
    const backend = await createOnnxruntimeBackend({ graph: model.graph, layout: model.layout, optimiser: OPT, batchSize: 8, state: fresh() }, { threads: 1, provider: 'cpu', spinning: true });
    backend.dispose();
    expect(made.length).toBeGreaterThan(0);
    for (const { options } of made) expect(options).toMatchObject({ threads: 1, spinning: true });
  });
});
