// `train`: trains a run in the foreground through the studio's API (a supervised worker process), printing progress; Ctrl-C pauses it with a checkpoint.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { EventPayload } from '../../../src-core/api/contract';
import { StudioError } from '../../../src-core/errors';
import { BACKEND_CHOICES, type BackendChoice } from '../../../src-core/training/backend';
import { describeBackendDecision } from '../../../src-core/training/backend-decision';
import type { Command } from '../command';
import { optionalInteger, optionalString, requiredString } from '../flags';
import { openStudio } from '../studio-client';

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
function formatProgress(p: EventPayload<'training.progress'>): string {
  const num = (x: number | null, digits = 4): string => (x === null ? '-' : x.toPrecision(digits));
  const eta = p.etaSec === null ? '-' : p.etaSec >= 120 ? `${(p.etaSec / 60).toFixed(1)} min` : `${p.etaSec.toFixed(0)} s`;
  const c = p.coupling;
  const plans = c ? `  plans: entropic ${c.entropic}, OT ${c.ot}${c.unconverged > 0 ? `, unconverged ${c.unconverged}` : ''}` : '';
  return `step ${p.step}/${p.totalSteps}  loss ${num(p.loss)} (smoothed ${num(p.smoothedLoss)})  lr ${p.lr.toExponential(2)}  |g| ${num(p.gradNorm, 3)}  ${p.stepsPerSec.toFixed(1)} steps/s  ETA ${eta}  [${p.backend}]${plans}`;
}

/** The train command. */
export const trainCommand: Command = {
  name: 'train',
  summary: 'train a model from a config file into a run folder (Ctrl-C pauses with a checkpoint; --resume continues)',
  usage: [
    'diffusion-studio train --config <config.json> --out <run folder> [--name <name>] [--backend ' + BACKEND_CHOICES.join('|') + ']',
    'diffusion-studio train --resume --out <run folder>',
    '         [--workspace <folder>] (for data sets saved in a workspace; a run records its own)  [--every <ms between progress lines, default 1000>]',
  ].join('\n'),
  flags: { config: 'string', out: 'string', name: 'string', backend: 'string', resume: 'boolean', workspace: 'string', every: 'string' },
  async run(flags, io) {
    const dir = resolve(requiredString(flags, 'out'));
    const backend = optionalString(flags, 'backend');
    if (backend !== undefined && !(BACKEND_CHOICES as readonly string[]).includes(backend)) throw new StudioError('invalid-argument', `--backend must be one of ${BACKEND_CHOICES.join(', ')}`);
    const every = optionalInteger(flags, 'every', 0) ?? 1000;
    const resume = flags.resume === true;
    if (resume && flags.config !== undefined) throw new StudioError('invalid-argument', '--resume continues the run in --out with its own config.json: leave out --config');
    const config = resume ? undefined : await readConfig(requiredString(flags, 'config'));
    const name = optionalString(flags, 'name');
    const workspace = optionalString(flags, 'workspace');
    const studio = await openStudio({
      ...(workspace !== undefined ? { workspace } : {}),
      ...(resume ? { runDir: dir } : {}),
      trainingSettings: { previewIntervalMs: 0, ...(backend ? { backend: backend as BackendChoice } : {}) },
    });
    const { api } = studio;
    let lastLine = 0;
    // Until the worker trains, its messages wait: a start that fails is told once, by the error the call rejects with.
    let held: string[] | null = [];
    const say = (line: string): void => {
      if (held) held.push(line);
      else io.err(line);
    };
    // this studio trains this one run: every training event is about it
    const unsubscribe = [
      api.on('training.progress', (p) => {
        const now = Date.now();
        if (now - lastLine < every && p.step < p.totalSteps) return;
        lastLine = now;
        io.err(formatProgress(p));
      }),
      api.on('training.started', (s) => io.err(`training on ${s.backend.name} (${describeBackendDecision(s.backend)}) from step ${s.fromStep} of ${s.totalSteps}`)),
      api.on('training.status', ({ message }) => {
        if (message) say(message);
      }),
      api.on('training.log', ({ level, message }) => say(`${level}: ${message}`)),
    ];
    try {
      let runId: string;
      if (resume) {
        runId = (await api.call('training.open', { dir })).run.id; // names a missing or damaged run folder before a process starts
        await api.call('training.resume', { runId });
      } else {
        runId = (await api.call('training.start', { config, dir, ...(name !== undefined ? { name } : {}) })).runId;
      }
      for (const line of held) io.err(line);
      held = null;
      let interrupted = false;
      const onSigint = (): void => {
        if (interrupted) return;
        interrupted = true;
        io.err('pausing: writing a checkpoint...');
        // as the server on Ctrl-C: closing the studio checkpoints and pauses its run
        void studio.close();
      };
      process.on('SIGINT', onSigint);
      let run;
      try {
        // a crashed worker may be restarted: the wait ends once no worker holds the run
        run = (await api.call('training.wait', { runId })).run;
      } finally {
        process.off('SIGINT', onSigint);
      }
      io.out(JSON.stringify({ runId, dir, status: run.status, lastStep: run.lastStep, error: run.error }));
      if (run.status === 'paused') io.err(`paused at step ${run.lastStep}; continue with: diffusion-studio train --resume --out ${dir}`);
      return run.status === 'completed' ? 0 : run.status === 'paused' ? 130 : 1;
    } finally {
      for (const off of unsubscribe) off();
      await studio.close();
    }
  },
};
