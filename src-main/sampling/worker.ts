// The sampling process's entry (built as out/main/sampling-worker.js): runs whole sampling and likelihood requests next to
// the ONNX Runtime sessions, sending batched progress and one result each; also answers single open and predict messages.
import { messageOf, StudioError } from '../../src-core/errors';
import { MAX_DETAILS } from '../../src-core/validation';
import { connectToParent } from '../process/parent-link';
import { createInProcessRunner, type OnnxModelHandle, type OnnxRunner } from './onnx-runner';
import { progressBatcher } from './progress-batch';
import { runLikelihoodJob, runSamplingJob, type JobContext } from './sampling-job';
import { fromSamplingWorkerSchema, toSamplingWorkerSchema, type FromSamplingWorker } from './worker-protocol';

const link = connectToParent(toSamplingWorkerSchema, fromSamplingWorkerSchema);
const handles = new Map<string, OnnxModelHandle>();
/** Requests running now, by id: cancel aborts one. */
const running = new Map<number, AbortController>();
let runner: OnnxRunner | null = null;
let runnerThreads = 0;

function send(message: FromSamplingWorker): void {
  link.send(message);
}

/** Answers a request with its error as data: code, message and (at most as many as the wire takes) details. */
function fail(id: number, err: unknown): void {
  const details = err instanceof StudioError ? err.details.slice(0, MAX_DETAILS).map((d) => ({ path: [...d.path], message: d.message })) : [];
  const error = err instanceof StudioError
    ? { code: err.code, message: err.message, ...(details.length ? { details } : {}) }
    : { code: 'internal' as const, message: messageOf(err) };
  send({ type: 'error', id, error });
}

/** The runner with that many intra-op threads (a different count replaces the sessions). */
function runnerFor(threads: number): OnnxRunner {
  if (!runner || runnerThreads !== threads) {
    void runner?.close();
    runner = createInProcessRunner({
      threads,
      // rare (the provider started on the test graph): the log says why this model samples on the CPU
      onCpuFallback: (path, reason) => process.stderr.write(`sampling: ${path} opened on the CPU, the GPU provider refused it: ${reason}\n`),
    });
    runnerThreads = threads;
    handles.clear();
  }
  return runner;
}

/** Runs one request with its progress batched; the last steps go out before the result or the error. */
async function serve<R>(id: number, threads: number, job: (ctx: JobContext) => Promise<R>, done: (result: R) => void): Promise<void> {
  const controller = new AbortController();
  running.set(id, controller);
  const progress = progressBatcher((steps) => send({ type: 'progress', id, steps }));
  try {
    const result = await job({ runner: runnerFor(threads), signal: controller.signal, onStep: (s) => progress.add(s) });
    progress.flush();
    done(result); // a result its schema refuses is answered as an error below
  } catch (err) {
    progress.flush();
    fail(id, err);
  } finally {
    running.delete(id);
  }
}

link.onMessage((m) => {
  switch (m.type) {
    case 'sample':
      return void serve(m.id, m.threads, (ctx) => runSamplingJob(m.params.id ?? `request-${m.id}`, m.params, ctx), (result) => send({ type: 'sampled', id: m.id, result }));
    case 'likelihood':
      return void serve(m.id, m.threads, (ctx) => runLikelihoodJob(m.params.id ?? `request-${m.id}`, m.params, ctx), (result) => send({ type: 'measured', id: m.id, result }));
    case 'cancel':
      running.get(m.id)?.abort();
      return;
    case 'open':
      runnerFor(m.threads).open(m.path).then(
        (h) => {
          handles.set(h.key, h);
          send({ type: 'opened', id: m.id, key: h.key, path: h.path, meta: { ...h.meta }, conditional: h.conditional });
        },
        (err: unknown) => fail(m.id, err),
      );
      return;
    case 'predict': {
      const handle = handles.get(m.key);
      if (!runner || !handle) return fail(m.id, new StudioError('not-found', 'the model is no longer open in the sampling process'));
      runner.predict(handle, { x: m.x, shape: m.shape, t: m.t, labels: m.labels }).then(
        (data) => send({ type: 'prediction', id: m.id, data: data.buffer instanceof ArrayBuffer ? (data as Float32Array<ArrayBuffer>) : data.slice() }),
        (err: unknown) => fail(m.id, err),
      );
    }
  }
});
link.onInvalidMessage((problem) => process.stderr.write(`sampling process: ${problem}\n`));
link.onDisconnect(() => process.exit(0));
send({ type: 'ready' });
