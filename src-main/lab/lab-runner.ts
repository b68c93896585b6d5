// Where the Lab's computations run: in their own process (utilityProcess under Electron, fork under Node), or in this one when running from source.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StudioError } from '../../src-core/errors';
import { labComputations, runComputation, type LabComputation } from '../../src-core/lab';
import type { LabHost } from '../../src-core/lab/host';
import type { Registry } from '../../src-core/registry';
import { describeExit, spawnChild, type ChildHandle } from '../process';
import { createLabHost } from './lab-host';
import { LAB_WORKSPACE_ENV, fromLabWorkerSchema, toLabWorkerSchema, type FromLabWorker, type ToLabWorker } from './worker-protocol';

/** What a run is handed: the cancel signal and where progress goes. */
interface LabRunOptions {
  readonly signal: AbortSignal;
  readonly onProgress: (done: number, total: number) => void;
}

/** Runs a named computation on params and resolves to its raw result (checked by the caller). */
export interface LabRunner {
  run(name: string, params: unknown, options: LabRunOptions): Promise<unknown>;
  /** Ends the process, if any; pending runs fail. */
  close(): Promise<void>;
}

/** How long a cancelled run may take to notice before its process is ended (ms). */
const CANCEL_GRACE_MS = 3000;

/** The built Lab worker beside this code's bundle (an entry in out/main/ or a chunk in out/main/chunks/), or null when running from source. */
function findLabWorker(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  return [join(here, 'lab-worker.js'), join(here, '..', 'lab-worker.js')].find((p) => existsSync(p)) ?? null;
}

/** A runner in this process (tests from source): the same driver, yielding to the event loop so a cancel gets through. */
export function createInProcessLabRunner(registry: Registry<LabComputation> = labComputations, host: LabHost = createLabHost(null)): LabRunner {
  return {
    run: (name, params, { signal, onProgress }) => runComputation(registry.get(name), params, { signal, onProgress, host }),
    close: async () => undefined,
  };
}

interface Pending {
  readonly resolve: (result: unknown) => void;
  readonly reject: (err: Error) => void;
  readonly onProgress: (done: number, total: number) => void;
  cancelled: boolean;
}

interface Child {
  readonly handle: ChildHandle<ToLabWorker, FromLabWorker>;
  readonly pending: Map<number, Pending>;
}

/** A runner whose computations run in a process of their own (given the workspace), started on first use and again after it ends. */
function createChildLabRunner(workerPath: string, workspace: string | null = null): LabRunner {
  let current: Promise<Child> | null = null;
  let generation = 0;
  let nextId = 0;

  const start = async (): Promise<Child> => {
    const mine = ++generation;
    const handle = await spawnChild({ modulePath: workerPath, ...(workspace !== null ? { env: { ...process.env, [LAB_WORKSPACE_ENV]: workspace } } : {}), name: 'lab-worker', toChild: toLabWorkerSchema, fromChild: fromLabWorkerSchema });
    const child: Child = { handle, pending: new Map() };
    handle.onMessage((m) => {
      if (m.type === 'ready') return;
      const p = child.pending.get(m.id);
      if (!p) return;
      if (m.type === 'progress') return p.onProgress(m.done, m.total);
      child.pending.delete(m.id);
      if (m.type === 'result') p.resolve(m.result);
      else p.reject(new StudioError(m.code, m.message, m.details));
    });
    handle.onInvalidMessage((problem) => process.stderr.write(`lab process: ${problem}\n`));
    void handle.exited.then((exit) => {
      const last = exit.stderrTail.trim().split('\n').pop() ?? '';
      for (const p of child.pending.values()) {
        p.reject(p.cancelled ? new StudioError('cancelled', 'lab computation cancelled') : new StudioError('internal', `the Lab's process ${describeExit(exit)}${last ? ` (${last.slice(0, 200)})` : ''}; the next run starts a new one`));
      }
      child.pending.clear();
      if (generation === mine) current = null;
    });
    return child;
  };

  const childNow = (): Promise<Child> => {
    if (!current) {
      const starting = start();
      current = starting;
      starting.catch(() => {
        if (current === starting) current = null;
      });
    }
    return current;
  };

  return {
    async run(name, params, { signal, onProgress }) {
      const child = await childNow();
      const id = nextId++;
      return new Promise<unknown>((resolve, reject) => {
        let watchdog: ReturnType<typeof setTimeout> | null = null;
        const onAbort = () => {
          const p = child.pending.get(id);
          if (!p) return;
          p.cancelled = true;
          child.handle.send({ type: 'cancel', id });
          // a computation that does not get back to its progress call in time takes its process with it
          watchdog = setTimeout(() => child.handle.kill(), CANCEL_GRACE_MS);
        };
        const settle = () => {
          signal.removeEventListener('abort', onAbort);
          if (watchdog) clearTimeout(watchdog);
        };
        child.pending.set(id, {
          resolve: (r) => (settle(), resolve(r)),
          reject: (e) => (settle(), reject(e)),
          onProgress,
          cancelled: false,
        });
        signal.addEventListener('abort', onAbort);
        try {
          child.handle.send({ type: 'run', id, name, params });
        } catch (err) {
          child.pending.delete(id);
          settle();
          reject(err as Error);
          return;
        }
        if (signal.aborted) onAbort();
      });
    },
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

/** The Lab's process where its built entry is found (the app, the server, the CLI), else this process (tests from source). */
export function defaultLabRunner(workerPath: string | null = findLabWorker(), workspace: string | null = null): LabRunner {
  return workerPath ? createChildLabRunner(workerPath, workspace) : createInProcessLabRunner(labComputations, createLabHost(workspace));
}
