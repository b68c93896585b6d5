// `train`: trains a run in the foreground (a supervised worker process), printing progress; Ctrl-C pauses it with a checkpoint.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { StudioError } from '../../../src-core/errors';
import { BACKEND_CHOICES, type BackendChoice } from '../../../src-core/training/backend';
import { loadRun, readRunRecord } from '../../runs';
import { createRunAt } from '../../training/run-folder';
import { TrainingSupervisor } from '../../training/supervisor';
import { defaultWorkerPath } from '../../training/training-service';
import type { WorkerProgress } from '../../training/worker-protocol';
import type { Command } from '../command';
import { optionalInteger, optionalString, requiredString } from '../flags';

async function readConfig(path: string): Promise<unknown> {
  const text = await readFile(resolve(path), 'utf8').catch((err: Error) => {
    throw new StudioError('not-found', `--config ${path}: ${err.message}`);
  });
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new StudioError('invalid-argument', `--config ${path} is not valid JSON: ${(err as Error).message}`);
  }
}

/** One progress line: step, losses, learning rate, gradient norm, throughput, ETA and backend. */
export function formatProgress(p: WorkerProgress): string {
  const num = (x: number | null, digits = 4): string => (x === null ? '-' : x.toPrecision(digits));
  const eta = p.etaSec === null ? '-' : p.etaSec >= 120 ? `${(p.etaSec / 60).toFixed(1)} min` : `${p.etaSec.toFixed(0)} s`;
  return `step ${p.step}/${p.totalSteps}  loss ${num(p.loss)} (smoothed ${num(p.smoothedLoss)})  lr ${p.lr.toExponential(2)}  |g| ${num(p.gradNorm, 3)}  ${p.stepsPerSec.toFixed(1)} steps/s  ETA ${eta}  [${p.backend}]`;
}

/** The train command. */
export const trainCommand: Command = {
  name: 'train',
  summary: 'train a model from a config file into a run folder (Ctrl-C pauses with a checkpoint; --resume continues)',
  usage: [
    'diffusion-studio train --config <config.json> --out <run folder> [--name <name>] [--backend ' + BACKEND_CHOICES.join('|') + ']',
    'diffusion-studio train --resume --out <run folder>',
    '         [--workspace <folder>] (for data sets saved in a workspace)  [--every <ms between progress lines, default 1000>]',
  ].join('\n'),
  flags: { config: 'string', out: 'string', name: 'string', backend: 'string', resume: 'boolean', workspace: 'string', every: 'string' },
  async run(flags, io) {
    const dir = resolve(requiredString(flags, 'out'));
    const backend = optionalString(flags, 'backend');
    if (backend !== undefined && !(BACKEND_CHOICES as readonly string[]).includes(backend)) throw new StudioError('invalid-argument', `--backend must be one of ${BACKEND_CHOICES.join(', ')}`);
    const every = optionalInteger(flags, 'every', 0) ?? 1000;
    if (flags.resume === true) {
      if (flags.config !== undefined) throw new StudioError('invalid-argument', '--resume continues the run in --out with its own config.json: leave out --config');
      await loadRun(dir); // names a missing or damaged run folder before a process starts
    } else {
      await createRunAt(dir, await readConfig(requiredString(flags, 'config')), optionalString(flags, 'name'));
    }
    let lastLine = 0;
    // Until the worker trains, its messages wait: a start that fails is told once, by the error launch() throws.
    let held: string[] | null = [];
    const say = (line: string): void => {
      if (held) held.push(line);
      else io.err(line);
    };
    const workspace = optionalString(flags, 'workspace');
    const supervisor = new TrainingSupervisor({
      workerPath: defaultWorkerPath(),
      ...(workspace ? { workspace: resolve(workspace) } : {}),
      settings: { previewIntervalMs: 0, ...(backend ? { backend: backend as BackendChoice } : {}) },
      listener: {
        progress: (_id, p) => {
          const now = Date.now();
          if (now - lastLine < every && p.step < p.totalSteps) return;
          lastLine = now;
          io.err(formatProgress(p));
        },
        started: (_id, s) => io.err(`training on ${s.backend.name} (${s.backend.device}; ${s.backend.reason}) from step ${s.fromStep} of ${s.totalSteps}`),
        status: (_id, _record, message) => {
          if (message) say(message);
        },
        log: (_id, level, message) => say(`${level}: ${message}`),
      },
    });
    const { runId } = await supervisor.launch(dir);
    for (const line of held) io.err(line);
    held = null;
    let interrupted = false;
    const onSigint = (): void => {
      if (interrupted) return;
      interrupted = true;
      io.err('pausing: writing a checkpoint...');
      void supervisor.stop(runId);
    };
    process.on('SIGINT', onSigint);
    try {
      // A crashed worker may be restarted by the supervisor: wait until no worker holds the run.
      while (supervisor.isActive(runId)) await supervisor.waitForExit(runId);
    } finally {
      process.off('SIGINT', onSigint);
    }
    const record = await readRunRecord(dir);
    io.out(JSON.stringify({ runId, dir, status: record.status, lastStep: record.lastStep, error: record.error }));
    if (record.status === 'paused') io.err(`paused at step ${record.lastStep}; continue with: diffusion-studio train --resume --out ${dir}`);
    return record.status === 'completed' ? 0 : record.status === 'paused' ? 130 : 1;
  },
};
