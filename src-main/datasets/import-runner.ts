// Where import jobs run: each in its own process (utilityProcess under Electron, fork under Node), or in this process when running from source without a build.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StudioError } from '../../src-core/errors';
import { describeExit, spawnChild } from '../process';
import { runImportJob, type JobProgress, type JobRequest, type JobResult } from './import-job';
import { fromImportWorkerSchema, toImportWorkerSchema } from './import-protocol';

/** Runs import jobs; a signal's abort ends the job with a cancelled error. */
export interface ImportRunner {
  /** Which kind of runner this is, for tests and logs. */
  readonly kind: 'process' | 'in-process';
  run(request: JobRequest, onProgress: (p: JobProgress) => void, signal: AbortSignal): Promise<JobResult>;
}

/** The built import worker beside this code's bundle (an entry in out/main/ or a chunk in out/main/chunks/), or null when running from source. */
function findImportWorker(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  return [join(here, 'import-worker.js'), join(here, '..', 'import-worker.js')].find((p) => existsSync(p)) ?? null;
}

const cancelled = () => new StudioError('cancelled', 'the import was cancelled');

/** A runner that starts one process per job and ends it when the job is done or cancelled. */
export function processImportRunner(workerPath: string): ImportRunner {
  return {
    kind: 'process',
    async run(request, onProgress, signal) {
      if (signal.aborted) throw cancelled();
      const child = await spawnChild({ modulePath: workerPath, name: 'import-worker', toChild: toImportWorkerSchema, fromChild: fromImportWorkerSchema });
      return new Promise<JobResult>((resolve, reject) => {
        let settled = false;
        // The child is gone before the job settles, so nothing writes into the staging folder once the caller removes it.
        const settle = (f: () => void): void => {
          if (settled) return;
          settled = true;
          signal.removeEventListener('abort', onAbort);
          child.kill('SIGKILL');
          void child.exited.then(f);
        };
        const onAbort = (): void => settle(() => reject(cancelled()));
        signal.addEventListener('abort', onAbort);
        child.onMessage((m) => {
          if (m.type === 'progress') onProgress(m.progress);
          else if (m.type === 'done') settle(() => resolve(m.result as JobResult));
          else if (m.type === 'error') settle(() => reject(new StudioError(m.code, m.message)));
        });
        child.onInvalidMessage((problem) => settle(() => reject(new StudioError('internal', `the import process sent ${problem}`))));
        void child.exited.then((exit) => settle(() => reject(new StudioError('internal', `the import process ${describeExit(exit)} before it finished`))));
        child.send({ type: 'start', request: { ...request, source: request.source as never } });
      });
    },
  };
}

/** A runner that runs jobs here (tests from source); it still stops at the next chunk when cancelled. */
function inProcessImportRunner(): ImportRunner {
  return {
    kind: 'in-process',
    async run(request, onProgress, signal) {
      try {
        return await runImportJob(request, onProgress, signal);
      } catch (err) {
        if (signal.aborted) throw cancelled();
        throw err;
      }
    },
  };
}

/** The runner the studio uses: a process per job where the worker is built, else in this process. */
export function defaultImportRunner(): ImportRunner {
  const worker = findImportWorker();
  return worker ? processImportRunner(worker) : inProcessImportRunner();
}
