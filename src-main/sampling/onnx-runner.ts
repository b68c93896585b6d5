// The contract between sampling and ONNX Runtime: open a studio-format model file, run one prediction; the in-process implementation with its session cache.
//
// Every caller goes through OnnxRunner: the app, the server and the CLI use child-runner.ts (sessions in their own
// process, whose worker runs this in-process implementation); unit tests from source use this one directly.
import { readFile, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { StudioError } from '../../src-core/errors';
import { describeModel, type StudioModelMeta } from '../../src-core/onnx/studio-format';
import { pickSamplingProvider, type SamplingProvider } from '../ort/execution-provider';
import { createSession, type ExecutionProvider, type Session } from '../ort/ort-session';

/** An opened model: a handle for predict(), and what its metadata says. */
export interface OnnxModelHandle {
  /** Cache key: path, modification time and size. */
  readonly key: string;
  readonly path: string;
  readonly meta: StudioModelMeta;
  readonly conditional: boolean;
}

/** One network evaluation: x float32 [N, ...item], one time for every row, labels int64 [N] for conditional models. */
interface OnnxPredictRequest {
  readonly x: Float32Array;
  readonly shape: readonly number[];
  readonly t: number;
  readonly labels: BigInt64Array | null;
}

/** Runs studio-format ONNX models; implementations may hold sessions in this process or another. */
export interface OnnxRunner {
  /** Reads and checks a model file (throws a StudioError naming every problem) and readies a session for it. */
  open(path: string): Promise<OnnxModelHandle>;
  /** The model's prediction for one batch at one time. */
  predict(handle: OnnxModelHandle, request: OnnxPredictRequest): Promise<Float32Array>;
  /** Releases every session. */
  close(): Promise<void>;
  /** The pid of the process holding the sessions, where that is another process and it is running (tests kill it). */
  processId?(): number | undefined;
}

/** Options of the in-process runner. */
interface InProcessRunnerOptions {
  /** Intra-op threads per session; default the machine's cores, at most 4. */
  readonly threads?: number;
  /** Sessions kept open at once (least recently used closes first); default 4. */
  readonly maxSessions?: number;
  /** The execution provider; default: CUDA where it starts here, else the CPU (pickSamplingProvider). */
  readonly provider?: ExecutionProvider;
  /** Told when a model the provider refused was opened on the CPU instead, with ONNX Runtime's reason. */
  readonly onCpuFallback?: (path: string, reason: string) => void;
}

interface CacheEntry {
  readonly handle: OnnxModelHandle;
  readonly session: Session;
}

/** An OnnxRunner over onnxruntime-node in this process, caching one session per file path + mtime + size. */
export function createInProcessRunner(options: InProcessRunnerOptions = {}): OnnxRunner {
  const threads = options.threads ?? Math.min(4, availableParallelism());
  const maxSessions = options.maxSessions ?? 4;
  const cache = new Map<string, Promise<CacheEntry>>();
  // chosen once, on the first model opened
  let chosen: Promise<SamplingProvider> | null = null;
  const providerFor = (): Promise<SamplingProvider> => {
    chosen ??= options.provider ? Promise.resolve({ provider: options.provider, device: options.provider, passedOver: [] }) : pickSamplingProvider(threads);
    return chosen;
  };

  const evict = async (key: string): Promise<void> => {
    const entry = cache.get(key);
    cache.delete(key);
    if (entry) await entry.then((e) => e.session.release(), () => undefined);
  };

  const load = async (path: string, key: string): Promise<CacheEntry> => {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(path));
    } catch (err) {
      throw new StudioError('not-found', `cannot read model ${path}: ${(err as Error).message}`);
    }
    const d = describeModel(bytes);
    const { provider } = await providerFor();
    let session: Session;
    try {
      session = await createSession(bytes, { threads, providers: [provider] });
    } catch (err) {
      // a GPU provider that started on the test graph but refuses this model: the CPU runs it (a bad model fails again there)
      if (provider === 'cpu') throw err;
      session = await createSession(bytes, { threads, providers: ['cpu'] });
      options.onCpuFallback?.(path, (err as Error).message);
    }
    return { handle: { key, path, meta: d.meta, conditional: d.conditional }, session };
  };

  return {
    async open(path) {
      let info;
      try {
        info = await stat(path);
      } catch (err) {
        throw new StudioError('not-found', `cannot read model ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
      }
      const key = `${path}\u0000${info.mtimeMs}\u0000${info.size}`;
      // a rewritten file gets a fresh session; the stale one is released
      for (const k of [...cache.keys()]) if (k !== key && k.startsWith(`${path}\u0000`)) await evict(k);
      let entry = cache.get(key);
      if (!entry) {
        entry = load(path, key);
        cache.set(key, entry);
        entry.catch(() => cache.delete(key));
      } else {
        cache.delete(key); // re-insert: the Map's order is the recency order
        cache.set(key, entry);
      }
      while (cache.size > maxSessions) await evict(cache.keys().next().value as string);
      return (await entry).handle;
    },
    async predict(handle, request) {
      const entry = cache.get(handle.key);
      if (!entry) throw new StudioError('not-found', `model ${handle.path} is no longer open`);
      const { session } = await entry;
      const n = request.shape[0];
      const feeds: Parameters<Session['run']>[0] = {
        x: { type: 'float32', data: request.x, dims: request.shape },
        t: { type: 'float32', data: new Float32Array(n).fill(request.t), dims: [n] },
      };
      if (handle.conditional) {
        if (!request.labels) throw new StudioError('invalid-argument', `model ${handle.path} needs labels`);
        feeds.y = { type: 'int64', data: request.labels, dims: [n] };
      }
      const out = (await session.run(feeds)).prediction;
      if (!out || out.type !== 'float32' || out.data.length !== request.x.length) {
        throw new StudioError('invalid-shape', `model ${handle.path} returned no float32 prediction of x's size`);
      }
      return out.data;
    },
    async close() {
      for (const key of [...cache.keys()]) await evict(key);
    },
  };
}
