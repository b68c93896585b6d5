// The training worker's entry (built as out/main/training-worker.js): one process trains one run for its supervisor.
import { connectToParent } from '../process/parent-link';
import { resolveTrainingBackend } from './backend-choice';
import { describeFailure } from './failure';
import { setupRun, type RunSetup } from './run-setup';
import { TrainingSession } from './training-session';
import { fromWorkerSchema, toWorkerSchema, type FromWorker, type WorkerSettings } from './worker-protocol';

const link = connectToParent(toWorkerSchema, fromWorkerSchema);
let session: TrainingSession | null = null;
let started = false;
// Commands that arrive while the run is still being set up.
let early: 'pause-exit' | 'cancel' | null = null;

function send(message: FromWorker): void {
  link.send(message);
}

/** Leaves after the last messages are out (IPC sends are asynchronous). */
function exitSoon(code: number): void {
  setTimeout(() => process.exit(code), 100);
}

async function start(runDir: string, settings: WorkerSettings, workspace: string | undefined): Promise<void> {
  let setup: RunSetup;
  try {
    setup = await setupRun(runDir, (preference, spec) => resolveTrainingBackend(preference, spec, settings.avoidBackends), { ...(settings.backend ? { backend: settings.backend } : {}), ...(workspace ? { workspace } : {}) });
  } catch (err) {
    const { kind, message } = describeFailure(err, 0, null, 'setup');
    send({ type: 'status', status: 'failed', step: 0, checkpointStep: null, message, failure: kind, exiting: true });
    exitSoon(1);
    return;
  }
  send({
    type: 'started',
    backend: setup.backendDecision,
    fromStep: setup.startStep,
    totalSteps: setup.config.steps,
    notes: setup.notes,
  });
  session = new TrainingSession(setup, settings, send);
  if (early) session.command(early);
  const end = await session.run();
  setup.backend.dispose();
  exitSoon(end === 'failed' ? 1 : 0);
}

link.onMessage((m) => {
  if (m.type === 'start') {
    if (started) return;
    started = true;
    void start(m.runDir, m.settings, m.workspace);
    return;
  }
  const c = m.type === 'pause' ? (m.exit ? 'pause-exit' : 'pause') : m.type;
  if (session) session.command(c);
  else if (c === 'cancel' || c === 'pause-exit') early = c;
});
link.onInvalidMessage((problem) => send({ type: 'log', level: 'error', message: `worker: ${problem}` }));

// The parent went away (the app or the CLI died): save the work and leave.
link.onDisconnect(() => {
  if (session) session.command('pause-exit');
  else process.exit(0);
});
// Ctrl-C in a terminal reaches the whole process group; the CLI decides what to do and tells us.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => {
  if (session) session.command('pause-exit');
  else process.exit(0);
});

send({ type: 'ready' });
