// The import process's entry (built as out/main/import-worker.js): runs one import job and ends; the studio stays responsive whatever the file.
import { setPriority } from 'node:os';
import { messageOf, StudioError } from '../../src-core/errors';
import { connectToParent } from '../process/parent-link';
import { runImportJob } from './import-job';
import { fromImportWorkerSchema, toImportWorkerSchema, type FromImportWorker } from './import-protocol';

// An import is background work: on a busy machine the studio's own process (its UI, its server) goes first.
try {
  setPriority(10);
} catch {
  // not allowed here: run at the normal priority
}

const link = connectToParent(toImportWorkerSchema, fromImportWorkerSchema);
const send = (m: FromImportWorker): void => link.send(m);
let started = false;

link.onMessage((m) => {
  if (started) return;
  started = true;
  runImportJob(m.request, (progress) => send({ type: 'progress', progress })).then(
    (result) => send({ type: 'done', result }),
    (err: unknown) => {
      const code = err instanceof StudioError ? err.code : 'internal';
      send({ type: 'error', code, message: messageOf(err) });
    },
  );
});
link.onInvalidMessage((problem) => process.stderr.write(`import process: ${problem}\n`));
link.onDisconnect(() => process.exit(0));
send({ type: 'ready' });
