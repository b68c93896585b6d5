// The Lab process's entry (built as out/main/lab-worker.js): runs the Lab's computations by name, streams their progress, stops them on cancel.
import { messageOf, StudioError } from '../../src-core/errors';
import { labComputations, runComputation } from '../../src-core/lab';
import { connectToParent } from '../process/parent-link';
import { createLabHost } from './lab-host';
import { LAB_WORKSPACE_ENV, fromLabWorkerSchema, toLabWorkerSchema } from './worker-protocol';

const link = connectToParent(toLabWorkerSchema, fromLabWorkerSchema);
const running = new Map<number, AbortController>();
const host = createLabHost(process.env[LAB_WORKSPACE_ENV] || null);

function fail(id: number, err: unknown): void {
  const e = err instanceof StudioError ? err : null;
  link.send({ type: 'error', id, code: e?.code ?? 'internal', message: messageOf(err), details: e ? [...e.details] : [] });
}

link.onMessage((m) => {
  if (m.type === 'cancel') {
    running.get(m.id)?.abort();
    return;
  }
  const controller = new AbortController();
  running.set(m.id, controller);
  void (async () => {
    try {
      const result = await runComputation(labComputations.get(m.name), m.params, {
        signal: controller.signal,
        host,
        onProgress: (done, total) => link.send({ type: 'progress', id: m.id, done, total }),
      });
      link.send({ type: 'result', id: m.id, result });
    } catch (err) {
      fail(m.id, err);
    } finally {
      running.delete(m.id);
    }
  })();
});
link.onInvalidMessage((problem) => process.stderr.write(`lab process: ${problem}\n`));
link.onDisconnect(() => process.exit(0));
link.send({ type: 'ready' });
