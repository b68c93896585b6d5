// The one module that loads onnxruntime-node: sessions behind the studio's own small interface.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import { StudioError } from '../../src-core/errors';

/** The ONNX Runtime execution providers the studio asks for: the CPU one ships in the package, CUDA is opt-in, WebGPU experimental. */
export type ExecutionProvider = 'cpu' | 'cuda' | 'webgpu';

/** A tensor crossing into or out of a session, in the studio's own terms. */
export type SessionTensor =
  | { readonly type: 'float32'; readonly data: Float32Array; readonly dims: readonly number[] }
  | { readonly type: 'int64'; readonly data: BigInt64Array; readonly dims: readonly number[] };

/** How to run a model. */
export interface SessionOptions {
  /** Intra-op threads; default: the machine's cores, at most 4 (more rarely helps these small graphs). */
  readonly threads?: number;
  /** Execution providers in order of preference ('cuda' only where the user installed it); ONNX Runtime runs what they lack on the CPU. */
  readonly providers?: readonly ExecutionProvider[];
  /**
   * Whether idle intra-op threads busy-wait for the next parallel op (ONNX Runtime's default, true) or sleep. A spinning
   * thread holds a core even between runs, so a process beside it (the studio's page, its server) preempts the threads of
   * a parallel op mid-way and the whole op waits a scheduler slice: false keeps the threads off the cores they do not use.
   */
  readonly spinning?: boolean;
  /** Where ONNX Runtime writes a per-node timing profile (a path prefix; the file is named on endProfiling). */
  readonly profilePrefix?: string;
}

/** A loaded model. */
export interface Session {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Runs the model; outputs are copied into fresh tensors. */
  run(feeds: Record<string, SessionTensor>): Promise<Record<string, SessionTensor>>;
  /**
   * Runs the model writing each named output into the caller's preallocated tensor (ONNX Runtime's
   * pre-allocated fetches), so a training step can ping-pong between two sets of state buffers. The binding of
   * onnxruntime-node 1.30 still copies every output into a fresh ArrayBuffer it returns (and this drops): a large
   * output costs an allocation, a copy and garbage collection per run, whichever way it is fetched.
   */
  runInto(feeds: Record<string, SessionTensor>, outputs: Record<string, SessionTensor>): Promise<void>;
  /** Ends profiling (sessions made with profilePrefix) and writes the profile's JSON file next to the prefix. */
  endProfiling(): void;
  release(): Promise<void>;
}

type Ort = typeof import('onnxruntime-node');
let ortModule: Promise<Ort> | null = null;

/** Loads onnxruntime-node once; a failure names the cause (a missing native binary, say). */
export function loadOrt(): Promise<Ort> {
  ortModule ??= import('onnxruntime-node').catch((err: unknown) => {
    ortModule = null;
    throw new StudioError('internal', `ONNX Runtime could not be loaded: ${(err as Error).message}`);
  });
  return ortModule;
}

/**
 * True when ONNX Runtime's CUDA provider library sits beside the native binding (`npm run setup:cuda` puts it
 * there); asking for 'cuda' without it only prints a load error, so callers check first.
 */
export function cudaProviderInstalled(): boolean {
  try {
    const main = createRequire(import.meta.url).resolve('onnxruntime-node');
    const bin = join(dirname(main), '..', 'bin', 'napi-v6', process.platform, process.arch);
    return existsSync(join(bin, 'libonnxruntime_providers_cuda.so')) || existsSync(join(bin, 'onnxruntime_providers_cuda.dll'));
  } catch {
    return false;
  }
}

/** Creates a session from model bytes with sequential execution (measured faster than parallel for these graphs). */
export async function createSession(model: Uint8Array, options: SessionOptions = {}): Promise<Session> {
  const ort = await loadOrt();
  const sessionOptions: InferenceSession.SessionOptions = {
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    intraOpNumThreads: options.threads ?? 0,
    interOpNumThreads: 1,
    executionProviders: [...(options.providers ?? ['cpu'])],
    ...(options.spinning === false ? { extra: { session: { intra_op: { allow_spinning: '0' } } } } : {}),
    ...(options.profilePrefix !== undefined ? { enableProfiling: true, profileFilePrefix: options.profilePrefix } : {}),
  };
  let session: InferenceSession;
  try {
    session = await ort.InferenceSession.create(model, sessionOptions);
  } catch (err) {
    // ONNX Runtime's own words travel as a detail, so a caller that knows the cause (a provider that did not load) can say it its way
    const raw = (err as Error).message;
    throw new StudioError('invalid-argument', `ONNX Runtime refused the model: ${raw}`, [{ path: ['onnxruntime'], message: raw }]);
  }
  const toOrt = (tensors: Record<string, SessionTensor>): Record<string, OrtTensor> => {
    const out: Record<string, OrtTensor> = {};
    for (const [name, t] of Object.entries(tensors)) out[name] = new ort.Tensor(t.type, t.data, [...t.dims]);
    return out;
  };
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async runInto(feeds, outputs) {
      await session.run(toOrt(feeds), toOrt(outputs));
    },
    async run(feeds) {
      const out = await session.run(toOrt(feeds));
      const result: Record<string, SessionTensor> = {};
      for (const [name, t] of Object.entries(out)) {
        if (t.type === 'float32') result[name] = { type: 'float32', data: t.data as Float32Array, dims: [...t.dims] };
        else if (t.type === 'int64') result[name] = { type: 'int64', data: t.data as BigInt64Array, dims: [...t.dims] };
        else throw new StudioError('invalid-argument', `output ${name} has unsupported type ${t.type}`);
      }
      return result;
    },
    endProfiling: () => session.endProfiling(),
    release: () => session.release(),
  };
}
