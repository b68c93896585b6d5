// The sampling process's entry (built as out/main/sampling-worker.js): holds the ONNX Runtime sessions, answers open and predict.
import { messageOf, StudioError } from '../../src-core/errors';
import { connectToParent } from '../process/parent-link';
import { createInProcessRunner, type OnnxModelHandle, type OnnxRunner } from './onnx-runner';
import { fromSamplingWorkerSchema, toSamplingWorkerSchema, type FromSamplingWorker } from './worker-protocol';

const link = connectToParent(toSamplingWorkerSchema, fromSamplingWorkerSchema);
const handles = new Map<string, OnnxModelHandle>();
let runner: OnnxRunner | null = null;
let runnerThreads = 0;

function send(message: FromSamplingWorker): void {
  link.send(message);
}

function fail(id: number, err: unknown): void {
  const code = err instanceof StudioError ? err.code : 'internal';
  send({ type: 'error', id, code, message: messageOf(err) });
}

link.onMessage((m) => {
  if (m.type === 'open') {
    if (!runner || runnerThreads !== m.threads) {
      void runner?.close();
      runner = createInProcessRunner({ threads: m.threads });
      runnerThreads = m.threads;
      handles.clear();
    }
    runner.open(m.path).then(
      (h) => {
        handles.set(h.key, h);
        send({ type: 'opened', id: m.id, key: h.key, path: h.path, meta: { ...h.meta }, conditional: h.conditional });
      },
      (err: unknown) => fail(m.id, err),
    );
    return;
  }
  const handle = handles.get(m.key);
  if (!runner || !handle) return fail(m.id, new StudioError('not-found', 'the model is no longer open in the sampling process'));
  runner.predict(handle, { x: m.x, shape: m.shape, t: m.t, labels: m.labels }).then(
    (data) => send({ type: 'prediction', id: m.id, data: data.buffer instanceof ArrayBuffer ? (data as Float32Array<ArrayBuffer>) : data.slice() }),
    (err: unknown) => fail(m.id, err),
  );
});
link.onInvalidMessage((problem) => process.stderr.write(`sampling process: ${problem}\n`));
link.onDisconnect(() => process.exit(0));
send({ type: 'ready' });
