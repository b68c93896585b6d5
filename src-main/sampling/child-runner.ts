// The sampling process's client: whole requests go to their own process (utilityProcess under Electron, fork under Node),
// progress and one result come back; a native crash ends that process, not the studio. It also answers as an OnnxRunner.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StudioError } from '../../src-core/errors';
import type { StudioModelMeta } from '../../src-core/onnx/studio-format';
import { describeExit, spawnChild, type ChildHandle } from '../process';
import type { OnnxModelHandle, OnnxRunner } from './onnx-runner';
import type { StepInfo } from '../../src-core/sampling';
import type { SamplingBackend } from './sampling-backend';
import { fromSamplingWorkerSchema, toSamplingWorkerSchema, type FromSamplingWorker, type ToSamplingWorker } from './worker-protocol';

/** Options of the child-process runner. */
interface ChildRunnerOptions {
  /** The built worker entry (out/main/sampling-worker.js). */
  readonly workerPath: string;
  /** Intra-op threads per session; default the machine's cores, at most 4. */
  readonly threads?: number;
  /** Hears the type of every message that crosses to or from the process (tests count them). */
  readonly onCrossing?: (direction: 'to' | 'from', type: string) => void;
}

/** The built sampling worker beside this code's bundle (an entry in out/main/ or a chunk in out/main/chunks/), or null when running from source. */
export function findSamplingWorker(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  return [join(here, 'sampling-worker.js'), join(here, '..', 'sampling-worker.js')].find((p) => existsSync(p)) ?? null;
}

type Reply = Exclude<FromSamplingWorker, { type: 'ready' } | { type: 'error' } | { type: 'progress' }>;
type Request = ToSamplingWorker extends infer M ? (M extends { id: number } ? Omit<M, 'id'> : never) : never;

interface Child {
  readonly generation: number;
  readonly handle: ChildHandle<ToSamplingWorker, FromSamplingWorker>;
  readonly pending: Map<number, Pending>;
}

/** A request waiting for its reply; requests that run a loop also hear of its steps. */
interface Pending {
  readonly resolve: (r: Reply) => void;
  readonly reject: (e: Error) => void;
  readonly onStep?: (info: StepInfo) => void;
}

/** The array itself when it owns a plain ArrayBuffer (what the message schema and structured clone expect), else a copy. */
function ownBuffer<A extends Float32Array | BigInt64Array>(a: A): A extends Float32Array ? Float32Array<ArrayBuffer> : BigInt64Array<ArrayBuffer> {
  return (a.buffer instanceof ArrayBuffer ? a : a.slice()) as A extends Float32Array ? Float32Array<ArrayBuffer> : BigInt64Array<ArrayBuffer>;
}

/** A client of the sampling process that starts it on first use and a fresh one after a crash (the failed requests report why). */
export function createChildProcessRunner(options: ChildRunnerOptions): OnnxRunner & SamplingBackend {
  const threads = options.threads ?? Math.min(4, availableParallelism());
  let current: Promise<Child> | null = null;
  let running: Child | null = null;
  let generation = 0;
  let nextId = 0;

  const start = async (): Promise<Child> => {
    const mine = ++generation;
    const handle = await spawnChild({ modulePath: options.workerPath, name: 'sampling-worker', toChild: toSamplingWorkerSchema, fromChild: fromSamplingWorkerSchema });
    const child: Child = { generation: mine, handle, pending: new Map() };
    running = child;
    handle.onMessage((m) => {
      options.onCrossing?.('from', m.type);
      if (m.type === 'ready') return;
      const p = child.pending.get(m.id);
      if (!p) return;
      if (m.type === 'progress') {
        if (p.onStep) for (const step of m.steps) p.onStep(step);
        return;
      }
      child.pending.delete(m.id);
      if (m.type === 'error') p.reject(new StudioError(m.error.code, m.error.message, m.error.details ?? []));
      else p.resolve(m);
    });
    handle.onInvalidMessage((problem) => process.stderr.write(`sampling process: ${problem}\n`));
    void handle.exited.then((exit) => {
      const last = exit.stderrTail.trim().split('\n').pop() ?? '';
      const err = new StudioError('internal', `ONNX Runtime's sampling process ${describeExit(exit)}${last ? ` (${last.slice(0, 200)})` : ''}; the next request starts a new one`);
      for (const p of child.pending.values()) p.reject(err);
      child.pending.clear();
      if (running === child) running = null;
      if (generation === mine) current = null;
    });
    return child;
  };

  /** Sends a request and waits for its reply; a signal that fires meanwhile sends its cancel. */
  const request = async (message: Request, onStep?: (info: StepInfo) => void, signal?: AbortSignal): Promise<Reply> => {
    if (!current) {
      const starting = start();
      current = starting;
      starting.catch(() => {
        if (current === starting) current = null;
      });
    }
    const child = await current;
    const id = nextId++;
    const send = (m: ToSamplingWorker): void => {
      child.handle.send(m);
      options.onCrossing?.('to', m.type);
    };
    const cancel = (): void => {
      if (child.pending.has(id)) send({ type: 'cancel', id });
    };
    return new Promise<Reply>((resolve, reject) => {
      child.pending.set(id, { resolve, reject, ...(onStep ? { onStep } : {}) });
      try {
        send({ ...message, id } as ToSamplingWorker);
      } catch (err) {
        child.pending.delete(id);
        reject(err as Error);
        return;
      }
      if (signal?.aborted) cancel();
      else signal?.addEventListener('abort', cancel, { once: true });
    }).finally(() => signal?.removeEventListener('abort', cancel));
  };

  return {
    async open(path) {
      const r = await request({ type: 'open', path, threads });
      if (r.type !== 'opened') throw new StudioError('internal', `sampling process answered open with '${r.type}'`);
      const handle: OnnxModelHandle = { key: r.key, path: r.path, meta: r.meta as unknown as StudioModelMeta, conditional: r.conditional };
      return handle;
    },
    async predict(handle, req) {
      const r = await request({ type: 'predict', key: handle.key, x: ownBuffer(req.x), shape: [...req.shape], t: req.t, labels: req.labels ? ownBuffer(req.labels) : null });
      if (r.type !== 'prediction') throw new StudioError('internal', `sampling process answered predict with '${r.type}'`);
      return r.data;
    },
    async sample(name, params, hooks) {
      const r = await request({ type: 'sample', threads, params: { ...params, id: name } }, hooks.onStep, hooks.signal);
      if (r.type !== 'sampled') throw new StudioError('internal', `sampling process answered a sampling request with '${r.type}'`);
      return r.result;
    },
    async likelihood(name, params, hooks) {
      const r = await request({ type: 'likelihood', threads, params: { ...params, id: name } }, hooks.onStep, hooks.signal);
      if (r.type !== 'measured') throw new StudioError('internal', `sampling process answered a likelihood request with '${r.type}'`);
      return r.result;
    },
    processId: () => running?.handle.pid,
    async close() {
      const c = current;
      current = null;
      if (!c) return;
      const child = await c.catch(() => null);
      if (!child) return;
      child.handle.kill();
      await child.handle.exited;
    },
  };
}
