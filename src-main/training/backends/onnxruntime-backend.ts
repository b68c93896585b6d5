// The 'onnxruntime' training backend: the whole step compiled to one ONNX graph, run once per step by ONNX Runtime.
import { availableParallelism } from 'node:os';
import { StudioError } from '../../../src-core/errors';
import { GraphBuilder } from '../../../src-core/graph/builder';
import { sizeOf } from '../../../src-core/graph/tensor';
import { writeOnnx } from '../../../src-core/onnx';
import { STEP_IO, compileParametricForward, compileTrainingStep, type ParamViewMode } from '../../../src-core/training-graph';
import type { BackendProvider, BackendSpec, StepResult, TrainBatch, TrainerState, TrainingBackend } from '../../../src-core/training/backend';
import { createSession, cudaProviderInstalled, loadOrt, type Session, type SessionTensor } from '../../ort/ort-session';
import { FIXES } from './backend-fixes';

/** How the backend runs ONNX Runtime. */
interface OnnxruntimeBackendOptions {
  /** Intra-op threads; default: the machine's cores, at most 4. */
  readonly threads?: number;
  /** Try the CUDA provider where it is installed (default true). */
  readonly cuda?: boolean;
  /** How the step graph cuts parameters from the flat vector (default 'slice'; 'gather' exists for the bench). */
  readonly paramViews?: ParamViewMode;
  /**
   * Let idle intra-op threads busy-wait (default false). A run shares the cores with the studio's page and server (and
   * whatever else runs), so spinning threads get preempted inside parallel ops and each op then waits out a scheduler
   * slice: on 2 cores a run started from the page trained at half the command line's rate or less, and every path
   * slowed 2 to 5 times under other load (bench/ui-vs-cli.ts).
   */
  readonly spinning?: boolean;
  /** Profile the step session's nodes into a JSON file under this path prefix, written on dispose (bench/step-profile.ts). */
  readonly profilePrefix?: string;
}

interface StateBuffers {
  params: Float32Array;
  m: Float32Array;
  v: Float32Array;
  ema: Float32Array;
}

const f32 = (data: Float32Array, dims: readonly number[]): SessionTensor => ({ type: 'float32', data, dims });

function defaultThreads(): number {
  return Math.max(1, Math.min(availableParallelism(), 4));
}

function probeModel(): Uint8Array {
  const b = new GraphBuilder('probe');
  b.output(b.node('Neg', [b.input('x', 'float32', [2])], { name: 'y' }));
  return writeOnnx(b.build().graph, new Float32Array(0));
}

/** Which provider works here: CUDA where installed and able to run a tiny graph, else the CPU. */
async function pickProvider(options: OnnxruntimeBackendOptions): Promise<{ provider: 'cpu' | 'cuda'; device: string }> {
  const threads = options.threads ?? defaultThreads();
  const tryRun = async (provider: 'cpu' | 'cuda'): Promise<void> => {
    const s = await createSession(probeModel(), { threads, providers: [provider], spinning: options.spinning ?? false });
    try {
      const out = await s.run({ x: f32(Float32Array.of(1, -2), [2]) });
      if (out.y.data[0] !== -1) throw new StudioError('internal', 'ONNX Runtime computed a wrong probe result');
    } finally {
      await s.release();
    }
  };
  if ((options.cuda ?? true) && cudaProviderInstalled()) {
    try {
      await tryRun('cuda');
      return { provider: 'cuda', device: 'CUDA (ONNX Runtime CUDA provider)' };
    } catch {
      // an installed but unusable CUDA provider (no driver, wrong CUDA) falls back to the CPU
    }
  }
  await tryRun('cpu');
  return { provider: 'cpu', device: `CPU, ${threads} thread${threads === 1 ? '' : 's'}` };
}

function copyState(s: StateBuffers, step: number): TrainerState {
  return { step, params: s.params.slice(), m: s.m.slice(), v: s.v.slice(), ema: s.ema.slice() };
}

/** Builds the backend: compiles and loads the step graph, and holds two sets of state buffers it alternates between. */
export async function createOnnxruntimeBackend(spec: BackendSpec, options: OnnxruntimeBackendOptions = {}): Promise<TrainingBackend> {
  const { graph, layout, optimiser } = spec;
  const hasLabels = graph.inputs.length === 3;
  const P = layout.size;
  const dataShape = graph.inputs[0].shape.slice(1) as number[];
  const rowSize = sizeOf(dataShape);
  const threads = options.threads ?? defaultThreads();
  const { provider, device } = await pickProvider(options);
  const sessionOptions = { threads, providers: [provider], spinning: options.spinning ?? false } as const;
  const stepSession = await createSession(writeOnnx(compileTrainingStep(graph, layout, { optimiser, hasLabels, paramViews: options.paramViews }), new Float32Array(0)), {
    ...sessionOptions,
    profilePrefix: options.profilePrefix,
  });
  // made on the first predict; a promise so overlapping previews share one session
  let forwardSession: Promise<Session> | null = null;
  const fresh = (): StateBuffers => ({ params: new Float32Array(P), m: new Float32Array(P), v: new Float32Array(P), ema: new Float32Array(P) });
  let cur = fresh();
  let next = fresh();
  let step = 0;
  const scalars = { lr: new Float32Array(1), bc1: new Float32Array(1), bc2: new Float32Array(1), loss: new Float32Array(1), gradNorm: new Float32Array(1) };

  const write = (state: TrainerState): void => {
    for (const k of ['params', 'm', 'v', 'ema'] as const) {
      if (state[k].length !== P) throw new StudioError('invalid-shape', `state.${k} holds ${state[k].length} values, the layout ${P}`);
      cur[k].set(state[k]);
    }
    step = state.step;
  };
  write(spec.state);

  return {
    name: 'onnxruntime',
    device,
    async step(batch: TrainBatch, lr: number): Promise<StepResult> {
      const n = batch.n;
      const k = step + 1;
      scalars.lr[0] = lr;
      scalars.bc1[0] = 1 - Math.pow(optimiser.beta1, k);
      scalars.bc2[0] = 1 - Math.pow(optimiser.beta2, k);
      const rows = [n, ...dataShape];
      const feeds: Record<string, SessionTensor> = {
        [STEP_IO.params]: f32(cur.params, [P]),
        [STEP_IO.m]: f32(cur.m, [P]),
        [STEP_IO.v]: f32(cur.v, [P]),
        [STEP_IO.ema]: f32(cur.ema, [P]),
        // callers may hand over buffers sized for a larger batch: views, not copies
        [STEP_IO.xt]: f32(batch.xt.subarray(0, n * rowSize), rows),
        [STEP_IO.t]: f32(batch.t.subarray(0, n), [n]),
        [STEP_IO.target]: f32(batch.target.subarray(0, n * rowSize), rows),
        [STEP_IO.weight]: f32(batch.weight.subarray(0, n), [n]),
        [STEP_IO.lr]: f32(scalars.lr, []),
        [STEP_IO.bc1]: f32(scalars.bc1, []),
        [STEP_IO.bc2]: f32(scalars.bc2, []),
      };
      if (hasLabels) {
        if (!batch.y) throw new StudioError('invalid-argument', 'this model is class-conditional: the batch needs labels y');
        feeds[STEP_IO.y] = { type: 'int64', data: batch.y.subarray(0, n), dims: [n] };
      }
      await stepSession.runInto(feeds, {
        [STEP_IO.paramsNext]: f32(next.params, [P]),
        [STEP_IO.mNext]: f32(next.m, [P]),
        [STEP_IO.vNext]: f32(next.v, [P]),
        [STEP_IO.emaNext]: f32(next.ema, [P]),
        [STEP_IO.loss]: f32(scalars.loss, []),
        [STEP_IO.gradNorm]: f32(scalars.gradNorm, []),
      });
      [cur, next] = [next, cur];
      step = k;
      return { loss: scalars.loss[0], gradNorm: scalars.gradNorm[0] };
    },
    async readState() {
      return copyState(cur, step);
    },
    async writeState(state) {
      write(state);
    },
    async predict(x, t, y, n, weights) {
      forwardSession ??= createSession(writeOnnx(compileParametricForward(graph), new Float32Array(0)), sessionOptions);
      const session = await forwardSession;
      const feeds: Record<string, SessionTensor> = {
        [STEP_IO.params]: f32(weights === 'ema' ? cur.ema : cur.params, [P]),
        [graph.inputs[0].name]: f32(x.subarray(0, n * rowSize), [n, ...dataShape]),
        [graph.inputs[1].name]: f32(t.subarray(0, n), [n]),
      };
      if (hasLabels) {
        if (!y) throw new StudioError('invalid-argument', 'this model is class-conditional: predict needs labels y');
        feeds[graph.inputs[2].name] = { type: 'int64', data: y.subarray(0, n), dims: [n] };
      }
      const out = await session.run(feeds);
      return out[graph.outputs[0].name].data as Float32Array;
    },
    dispose() {
      if (options.profilePrefix !== undefined) stepSession.endProfiling();
      void stepSession.release().catch(() => undefined);
      if (forwardSession) void forwardSession.then((f) => f.release()).catch(() => undefined);
    },
  };
}

/** A provider for the 'onnxruntime' backend with the given thread count and CUDA preference. */
function createOnnxruntimeProvider(options: OnnxruntimeBackendOptions = {}): BackendProvider {
  return {
    name: 'onnxruntime',
    async probe() {
      try {
        await loadOrt();
        return { ok: true, device: (await pickProvider(options)).device };
      } catch (err) {
        // ONNX Runtime did not load, or loaded and could not run a one-node graph: either way its install needs repair
        return { ok: false, reason: (err as Error).message, fix: FIXES.onnxruntime };
      }
    },
    create: (spec) => createOnnxruntimeBackend(spec, options),
  };
}

/** The 'onnxruntime' provider with default settings (cores up to 4, CUDA where installed). */
export const onnxruntimeProvider: BackendProvider = createOnnxruntimeProvider();
