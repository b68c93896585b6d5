// A run trained as the studio trains it (config.json in a workspace, the worker's setupRun + TrainingSession with its default settings, previews and checkpoints included), in this process.
import { performance } from 'node:perf_hooks';
import { parseTrainingConfig, type TrainingConfigInput } from '../../src-core/training/config';
import { createRun } from '../../src-main/runs';
import { resolveTrainingBackend } from '../../src-main/training/backend-choice';
import { setupRun } from '../../src-main/training/run-setup';
import { TrainingSession } from '../../src-main/training/training-session';
import { workerSettingsSchema, type FromWorker } from '../../src-main/training/worker-protocol';
import { loadAverage } from './common';

/** What a run did. */
export interface StudioRun {
  readonly runId: string;
  /** Steps run, and seconds of the session from its start to its end (first checkpoint, previews and last checkpoint included). */
  readonly steps: number;
  readonly seconds: number;
  readonly stepsPerSec: number;
  /** The network's parameter count. */
  readonly parameters: number;
  readonly finalLoss: number | null;
  readonly previews: number;
  /** The backend as the run reports it, and the 1-minute load at the start and the end of training. */
  readonly backend: string;
  readonly loads: readonly [number, number];
}

/**
 * Creates a run from `config` in `workspace` and trains it to its end through the worker's session code with the worker's
 * default settings (progress about 10 times a second, a preview every 5 s), as the studio's Train section does;
 * `log` gets a line every 30 s.
 */
export async function trainAsStudio(workspace: string, config: TrainingConfigInput, name: string, log: (line: string) => void): Promise<StudioRun> {
  const { id, dir } = await createRun(workspace, parseTrainingConfig(config), name);
  const setup = await setupRun(dir, resolveTrainingBackend, { workspace });
  let finalLoss: number | null = null;
  let previews = 0;
  let lastLog = performance.now();
  let failure: string | null = null;
  const send = (m: FromWorker) => {
    if (m.type === 'progress') {
      finalLoss = m.smoothedLoss;
      if (performance.now() - lastLog > 30_000) {
        lastLog = performance.now();
        log(`  step ${m.step}/${m.totalSteps}, loss ${m.smoothedLoss?.toFixed(4)}, ${m.stepsPerSec.toFixed(1)} steps/s (load ${loadAverage()[0].toFixed(2)})`);
      }
    } else if (m.type === 'preview') previews++;
    else if (m.type === 'status' && m.status === 'failed') failure = m.message;
  };
  const session = new TrainingSession(setup, workerSettingsSchema.parse({}), send);
  const loadStart = loadAverage()[0];
  const start = performance.now();
  let parameters = 0;
  let end;
  try {
    end = await session.run();
    parameters = (await setup.backend.readState()).params.length;
  } finally {
    setup.backend.dispose();
  }
  const seconds = (performance.now() - start) / 1000;
  if (end !== 'completed') throw new Error(`the run ended ${end}${failure ? `: ${failure}` : ''}`);
  const steps = setup.trainer.step;
  return {
    runId: id, steps, seconds, stepsPerSec: steps / seconds, parameters, finalLoss, previews,
    backend: `${setup.backend.name} (${setup.backend.device})`, loads: [loadStart, loadAverage()[0]],
  };
}
