// The Train form's values and how they become a training config (src-core/training/config.ts), with per-field errors.
import type { DeepReadonly } from 'vue';
import type { DatasetRequest } from '../../../src-core/api/contract';
import type { Parameterisation } from '../../../src-core/model';
import type { ScheduleSpec } from '../../../src-core/schedules';
import { parseTrainingConfig, TRAINING_BACKENDS, type TrainingConfig } from '../../../src-core/training/config';

/** The coupling kinds the form offers (MATH.md §4). */
export const COUPLINGS = ['independent', 'ot', 'sinkhorn', 'schrodinger'] as const;
export type CouplingKind = (typeof COUPLINGS)[number];

/** Backend choices: auto first. */
export const BACKEND_CHOICES = ['auto', ...TRAINING_BACKENDS] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** Everything the form edits; the data set and schedule come from their sections. */
export interface TrainForm {
  readonly hidden: string;
  readonly timeEmbedding: 'raw' | 'sinusoidal' | 'fourier';
  readonly embedDim: number;
  readonly residual: boolean;
  readonly activation: 'silu' | 'relu' | 'tanh';
  readonly parameterisation: Parameterisation;
  readonly coupling: CouplingKind;
  /** Sinkhorn epsilon or Schrödinger-bridge noise s. */
  readonly couplingValue: number;
  readonly lr: number;
  readonly warmupSteps: number;
  readonly decay: 'none' | 'cosine';
  readonly steps: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly checkpointEvery: number;
  readonly backend: BackendChoice;
}

/** A small, quick default: a two-layer MLP, flow matching, 2,000 steps. */
export const DEFAULT_FORM: TrainForm = {
  hidden: '128, 128',
  timeEmbedding: 'sinusoidal',
  embedDim: 32,
  residual: false,
  activation: 'silu',
  parameterisation: 'velocity',
  coupling: 'independent',
  couplingValue: 0.05,
  lr: 2e-3,
  warmupSteps: 100,
  decay: 'cosine',
  steps: 2000,
  batchSize: 256,
  seed: 0,
  checkpointEvery: 500,
  backend: 'auto',
};

/** Parses '64, 64' into widths; null if any entry is not a positive integer. */
export function parseHidden(text: string): number[] | null {
  const parts = text.split(/[\s,]+/).filter((s) => s !== '');
  if (parts.length === 0) return null;
  const widths = parts.map(Number);
  return widths.every((w) => Number.isInteger(w) && w > 0) ? widths : null;
}

function couplingOf(form: TrainForm): unknown {
  switch (form.coupling) {
    case 'ot':
      return { ot: 'exact' };
    case 'sinkhorn':
      return { sinkhorn: form.couplingValue };
    case 'schrodinger':
      return { schrodinger: form.couplingValue };
    default:
      return 'independent';
  }
}

/** The config input for the API: the form, the Data section's set and the Schedule section's spec. */
export function buildConfig(form: TrainForm, data: DeepReadonly<DatasetRequest>, schedule: ScheduleSpec): Record<string, unknown> {
  const params: Record<string, unknown> = { count: data.count, seed: data.seed, ...(data.noise !== undefined ? { noise: data.noise } : {}), ...(data.params ?? {}) };
  // Plain copies: the sources may be read-only store state.
  if (data.mixture) params.mixture = JSON.parse(JSON.stringify(data.mixture));
  return {
    data: { source: 'builtin', id: data.id, params },
    model: {
      family: 'mlp',
      hidden: parseHidden(form.hidden) ?? form.hidden,
      timeEmbedding: form.timeEmbedding === 'raw' ? { kind: 'raw' } : { kind: form.timeEmbedding, dim: form.embedDim },
      residual: form.residual,
      activation: form.activation,
    },
    objective: { parameterisation: form.parameterisation, schedule: JSON.parse(JSON.stringify(schedule)) },
    coupling: couplingOf(form),
    optimiser: { lr: form.lr, warmupSteps: form.warmupSteps, decay: form.decay },
    steps: form.steps,
    batchSize: form.batchSize,
    seed: form.seed,
    checkpointEvery: form.checkpointEvery,
    backend: form.backend,
  };
}

/** The form field a config path belongs to ('model.hidden' -> 'hidden'), or 'general'. */
function fieldOf(path: string): string {
  const map: [RegExp, string][] = [
    [/^model\.hidden/, 'hidden'], [/^model\.timeEmbedding/, 'embedDim'], [/^model\.residual/, 'residual'],
    [/^objective\.parameterisation/, 'parameterisation'], [/^objective\.(schedule|tMin|weighting)/, 'schedule'],
    [/^coupling/, 'coupling'], [/^optimiser\.lr/, 'lr'], [/^optimiser\.warmupSteps/, 'warmupSteps'], [/^optimiser/, 'lr'],
    [/^steps/, 'steps'], [/^batchSize/, 'batchSize'], [/^seed/, 'seed'], [/^checkpointEvery/, 'checkpointEvery'], [/^backend/, 'backend'], [/^data/, 'data'],
  ];
  return map.find(([re]) => re.test(path))?.[1] ?? 'general';
}

/** Validates the config as the studio will; returns it with defaults, or the problems by form field. */
export function checkConfig(input: Record<string, unknown>): { config: TrainingConfig; errors: null } | { config: null; errors: Record<string, string> } {
  try {
    return { config: parseTrainingConfig(input), errors: null };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const errors: Record<string, string> = {};
    for (const part of message.replace(/^invalid training config: /, '').split('; ')) {
      const at = part.indexOf(': ');
      const path = at > 0 ? part.slice(0, at) : '';
      const field = fieldOf(path);
      errors[field] = errors[field] ? `${errors[field]}; ${part}` : part;
    }
    return { config: null, errors };
  }
}

/** The form values a stored config gives back (to rerun or inspect a run). */
export function formFromConfig(c: TrainingConfig): TrainForm {
  const m = c.model.family === 'mlp' ? c.model : null;
  const cp = c.coupling;
  const coupling: CouplingKind = cp === 'independent' ? 'independent' : 'ot' in cp ? 'ot' : 'sinkhorn' in cp ? 'sinkhorn' : 'schrodinger';
  const couplingValue = typeof cp === 'object' && 'sinkhorn' in cp ? cp.sinkhorn : typeof cp === 'object' && 'schrodinger' in cp ? cp.schrodinger : DEFAULT_FORM.couplingValue;
  return {
    hidden: m ? m.hidden.join(', ') : DEFAULT_FORM.hidden,
    timeEmbedding: m?.timeEmbedding.kind ?? DEFAULT_FORM.timeEmbedding,
    embedDim: m && m.timeEmbedding.kind !== 'raw' ? m.timeEmbedding.dim : DEFAULT_FORM.embedDim,
    residual: m?.residual ?? false,
    activation: m?.activation ?? 'silu',
    parameterisation: c.objective.parameterisation,
    coupling,
    couplingValue,
    lr: c.optimiser.lr,
    warmupSteps: c.optimiser.warmupSteps,
    decay: c.optimiser.decay,
    steps: c.steps,
    batchSize: c.batchSize,
    seed: c.seed,
    checkpointEvery: c.checkpointEvery,
    backend: c.backend,
  };
}
