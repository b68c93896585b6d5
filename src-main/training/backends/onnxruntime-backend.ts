// The compiled-step training backends: the whole step compiled to one ONNX graph, run by ONNX Runtime on the CPU, CUDA or WebGPU provider.
import { availableParallelism } from 'node:os';
import { StudioError } from '../../../src-core/errors';
import { sizeOf } from '../../../src-core/graph/tensor';
import { writeOnnx } from '../../../src-core/onnx';
import { STEP_IO, compileParametricForward, compileTrainingStep, stepIo, type ParamViewMode } from '../../../src-core/training-graph';
import {
  BackendRefusedError, COMPILED_STEP_PROVIDERS, type BackendProvider, type BackendSpec, type CompiledStepBackend, type StepResult, type TrainBatch, type TrainerState, type TrainingBackend,
} from '../../../src-core/training/backend';
import { checkProvider } from '../../ort/execution-provider';
import { createSession, loadOrt, type ExecutionProvider, type Session, type SessionTensor } from '../../ort/ort-session';
import { FIXES } from './backend-fixes';

/** How the backend runs ONNX Runtime. */
interface OnnxruntimeBackendOptions {
  /** Intra-op threads; default: the machine's cores, at most 4. */
  readonly threads?: number;
  /** The execution provider the step runs on (default 'cpu'); one that does not start here refuses the backend. */
  readonly provider?: ExecutionProvider;
  /** How the step graph cuts parameters from the flat vector (default 'slice'; 'gather' exists for the bench). */
  readonly paramViews?: ParamViewMode;
  /**
   * Let idle intra-op threads busy-wait (default false). A run shares the cores with the studio's page and server (and
   * whatever else runs), so spinning threads get preempted inside parallel ops and each op then waits out a scheduler
   * slice: on 2 cores a run started from the page trained at half the command line's rate or less, and every path
   * slowed 2 to 5 times under other load (bench/ui-vs-cli.ts).
   */
  readonly spinning?: boolean;
  /**
   * Profile the step sessions' nodes into JSON files under this path prefix ('-k<steps per run>' appended), written on
   * dispose (bench/step-profile.ts).
   */
  readonly profilePrefix?: string;
  /** Steps one session run does inside steps() (default: defaultStepsPerRun; 1 runs them one by one). */
  readonly stepsPerRun?: number;
}

/**
 * Steps per run inside steps() unless asked otherwise: 16 where the unrolled graph stays within about 2,000 nodes, else
 * 1. Every run copies the flat state in and, through onnxruntime-node's binding, out into fresh buffers the garbage
 * collector then frees: for the MLP of workload W at batch 256 that cost about as much as the step's own arithmetic
 * (process CPU per step 2.7 ms one at a time against 2.3 ms at 4 to 32 per run on 1 thread, 4.9 against 2.7 at 16 on 2).
 * A large network's step (the U-Net's, about 1,900 nodes) dwarfs that copy, and unrolling it would only slow the
 * session's creation.
 */
function defaultStepsPerRun(stepNodes: number): number {
  return Math.max(1, Math.min(16, Math.floor(2048 / stepNodes)));
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

/** The backend of each provider, the inverse of COMPILED_STEP_PROVIDERS. */
const BACKEND_OF = Object.fromEntries(Object.entries(COMPILED_STEP_PROVIDERS).map(([name, p]) => [p, name])) as Record<ExecutionProvider, CompiledStepBackend>;

/** What a person does where a provider does not start. */
const PROVIDER_FIX: Record<ExecutionProvider, string> = { cpu: FIXES.onnxruntime, cuda: FIXES.onnxruntimeCuda, webgpu: FIXES.onnxruntimeWebgpu };

/** The provider started on a one-node graph, or a refusal with ONNX Runtime's reason and the fix. */
async function startProvider(provider: ExecutionProvider, threads: number, spinning: boolean): Promise<string> {
  const check = await checkProvider(provider, threads, spinning);
  if (!check.ok) throw new BackendRefusedError(check.reason, PROVIDER_FIX[provider]);
  return check.device;
}

function copyState(s: StateBuffers, step: number): TrainerState {
  return { step, params: s.params.slice(), m: s.m.slice(), v: s.v.slice(), ema: s.ema.slice() };
}

/** A batch's rows copied into buffers the backend owns, for a run of several steps drawn one after another. */
interface BatchCopy {
  n: number;
  xt: Float32Array;
  t: Float32Array;
  target: Float32Array;
  weight: Float32Array;
  y?: BigInt64Array;
}

function copyBatch(into: BatchCopy | undefined, b: TrainBatch, rowSize: number): BatchCopy {
  const n = b.n;
  const c = into && into.t.length >= n ? into : { n, xt: new Float32Array(n * rowSize), t: new Float32Array(n), target: new Float32Array(n * rowSize), weight: new Float32Array(n) };
  c.n = n;
  c.xt.set(b.xt.subarray(0, n * rowSize));
  c.t.set(b.t.subarray(0, n));
  c.target.set(b.target.subarray(0, n * rowSize));
  c.weight.set(b.weight.subarray(0, n));
  if (b.y) {
    if (!c.y || c.y.length < n) c.y = new BigInt64Array(c.t.length);
    c.y.set(b.y.subarray(0, n));
  } else c.y = undefined;
  return c;
}

/** Builds the backend: compiles and loads the step graph, and holds two sets of state buffers it alternates between. */
export async function createOnnxruntimeBackend(spec: BackendSpec, options: OnnxruntimeBackendOptions = {}): Promise<TrainingBackend & Required<Pick<TrainingBackend, 'steps'>>> {
  const { graph, layout, optimiser } = spec;
  const hasLabels = graph.inputs.length === 3;
  const P = layout.size;
  const dataShape = graph.inputs[0].shape.slice(1) as number[];
  const rowSize = sizeOf(dataShape);
  const threads = options.threads ?? defaultThreads();
  if (options.stepsPerRun !== undefined && (!Number.isInteger(options.stepsPerRun) || options.stepsPerRun < 1)) {
    throw new StudioError('invalid-argument', `steps per run must be a whole number of at least 1, got ${options.stepsPerRun}`);
  }
  const provider = options.provider ?? 'cpu';
  const device = await startProvider(provider, threads, options.spinning ?? false);
  const sessionOptions = { threads, providers: [provider], spinning: options.spinning ?? false } as const;
  // one session per number of steps a run does (1, and stepsPerRun once steps() first needs it)
  const stepSessions = new Map<number, Promise<Session>>();
  let stepNodes = 0;
  const sessionFor = (K: number): Promise<Session> => {
    let s = stepSessions.get(K);
    if (!s) {
      const stepGraph = compileTrainingStep(graph, layout, { optimiser, hasLabels, paramViews: options.paramViews, steps: K });
      if (K === 1) stepNodes = stepGraph.nodes.length;
      s = createSession(writeOnnx(stepGraph, new Float32Array(0)), { ...sessionOptions, profilePrefix: options.profilePrefix === undefined ? undefined : `${options.profilePrefix}-k${K}` });
      stepSessions.set(K, s);
    }
    return s;
  };
  await sessionFor(1);
  const stepsPerRun = options.stepsPerRun ?? defaultStepsPerRun(stepNodes);
  // made on the first predict; a promise so overlapping previews share one session
  let forwardSession: Promise<Session> | null = null;
  const fresh = (): StateBuffers => ({ params: new Float32Array(P), m: new Float32Array(P), v: new Float32Array(P), ema: new Float32Array(P) });
  let cur = fresh();
  let next = fresh();
  let step = 0;
  // per step of a run: lr, bc1, bc2 in, loss and gradient norm out (grown to the longest run)
  let scalars = new Float32Array(0);
  const copies: BatchCopy[] = [];

  const write = (state: TrainerState): void => {
    for (const k of ['params', 'm', 'v', 'ema'] as const) {
      if (state[k].length !== P) throw new StudioError('invalid-shape', `state.${k} holds ${state[k].length} values, the layout ${P}`);
      cur[k].set(state[k]);
    }
    step = state.step;
  };
  write(spec.state);

  /** Runs batches.length steps in one session run; the batches are read in place (views, not copies). */
  const run = async (batches: readonly TrainBatch[], lrs: readonly number[]): Promise<StepResult[]> => {
    const K = batches.length;
    const n = batches[0].n;
    if (batches.some((b) => b.n !== n)) throw new StudioError('invalid-argument', `the batches of one run must have one size; got ${batches.map((b) => b.n).join(', ')}`);
    const session = await sessionFor(K);
    if (scalars.length < 5 * K) scalars = new Float32Array(5 * K);
    const rows = [n, ...dataShape];
    const feeds: Record<string, SessionTensor> = {
      [STEP_IO.params]: f32(cur.params, [P]),
      [STEP_IO.m]: f32(cur.m, [P]),
      [STEP_IO.v]: f32(cur.v, [P]),
      [STEP_IO.ema]: f32(cur.ema, [P]),
    };
    const outputs: Record<string, SessionTensor> = {
      [STEP_IO.paramsNext]: f32(next.params, [P]),
      [STEP_IO.mNext]: f32(next.m, [P]),
      [STEP_IO.vNext]: f32(next.v, [P]),
      [STEP_IO.emaNext]: f32(next.ema, [P]),
    };
    const scalar = (k: number, slot: number) => f32(scalars.subarray(5 * k + slot, 5 * k + slot + 1), []);
    batches.forEach((batch, k) => {
      const adamStep = step + k + 1;
      scalars[5 * k] = lrs[k];
      scalars[5 * k + 1] = 1 - Math.pow(optimiser.beta1, adamStep);
      scalars[5 * k + 2] = 1 - Math.pow(optimiser.beta2, adamStep);
      // callers may hand over buffers sized for a larger batch: views, not copies
      feeds[stepIo(STEP_IO.xt, k)] = f32(batch.xt.subarray(0, n * rowSize), rows);
      feeds[stepIo(STEP_IO.t, k)] = f32(batch.t.subarray(0, n), [n]);
      feeds[stepIo(STEP_IO.target, k)] = f32(batch.target.subarray(0, n * rowSize), rows);
      feeds[stepIo(STEP_IO.weight, k)] = f32(batch.weight.subarray(0, n), [n]);
      feeds[stepIo(STEP_IO.lr, k)] = scalar(k, 0);
      feeds[stepIo(STEP_IO.bc1, k)] = scalar(k, 1);
      feeds[stepIo(STEP_IO.bc2, k)] = scalar(k, 2);
      if (hasLabels) {
        if (!batch.y) throw new StudioError('invalid-argument', 'this model is class-conditional: the batch needs labels y');
        feeds[stepIo(STEP_IO.y, k)] = { type: 'int64', data: batch.y.subarray(0, n), dims: [n] };
      }
      outputs[stepIo(STEP_IO.loss, k)] = scalar(k, 3);
      outputs[stepIo(STEP_IO.gradNorm, k)] = scalar(k, 4);
    });
    await session.runInto(feeds, outputs);
    [cur, next] = [next, cur];
    step += K;
    return batches.map((_, k) => ({ loss: scalars[5 * k + 3], gradNorm: scalars[5 * k + 4] }));
  };

  return {
    name: BACKEND_OF[provider],
    device,
    async step(batch: TrainBatch, lr: number): Promise<StepResult> {
      return (await run([batch], [lr]))[0];
    },
    async steps(nextBatch, lrs) {
      const results: StepResult[] = [];
      let done = 0;
      // whole runs of stepsPerRun steps (each batch copied: the caller may reuse its buffers for the next), then singles
      for (; stepsPerRun > 1 && lrs.length - done >= stepsPerRun; done += stepsPerRun) {
        for (let k = 0; k < stepsPerRun; k++) copies[k] = copyBatch(copies[k], nextBatch(), rowSize);
        results.push(...(await run(copies.slice(0, stepsPerRun), lrs.slice(done, done + stepsPerRun))));
      }
      for (; done < lrs.length; done++) results.push(...(await run([nextBatch()], [lrs[done]])));
      return results;
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
      for (const s of stepSessions.values()) {
        void s
          .then(async (session) => {
            if (options.profilePrefix !== undefined) session.endProfiling();
            await session.release();
          })
          .catch(() => undefined);
      }
      if (forwardSession) void forwardSession.then((f) => f.release()).catch(() => undefined);
    },
  };
}

/** A provider for the compiled-step backend on one execution provider; its probe starts that provider on a one-node graph. */
function createOnnxruntimeProvider(options: OnnxruntimeBackendOptions = {}): BackendProvider {
  const provider = options.provider ?? 'cpu';
  return {
    name: BACKEND_OF[provider],
    async probe() {
      try {
        await loadOrt();
      } catch (err) {
        // ONNX Runtime itself did not load: its install needs repair, whichever provider was asked for
        return { ok: false, reason: (err as Error).message, fix: FIXES.onnxruntime };
      }
      const check = await checkProvider(provider, options.threads ?? defaultThreads());
      if (check.ok) return check;
      return { ok: false, reason: check.reason, fix: PROVIDER_FIX[provider] };
    },
    create: (spec) => createOnnxruntimeBackend(spec, options),
  };
}

/** The compiled step on ONNX Runtime's CPU provider (cores up to 4). */
export const onnxruntimeProvider: BackendProvider = createOnnxruntimeProvider();
/** The compiled step on ONNX Runtime's CUDA provider (`npm run setup:cuda`, Linux x64, CUDA 12). */
export const onnxruntimeCudaProvider: BackendProvider = createOnnxruntimeProvider({ provider: 'cuda' });
/** The compiled step on ONNX Runtime's experimental WebGPU provider. */
export const onnxruntimeWebgpuProvider: BackendProvider = createOnnxruntimeProvider({ provider: 'webgpu' });
