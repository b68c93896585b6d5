// The Train form's fields, declared once: label, tip, control, choices, the config path each one sets, and when it shows; a model family's own fields come from its registry entry.
import type { z } from 'zod';
import { StudioError } from '../../../src-core/errors';
import { ITEM_KINDS, type FamilyField, type OwnKey } from '../../../src-core/graph/families/family';
import { TIME_EMBEDDING_KINDS, type TimeEmbeddingKind } from '../../../src-core/graph/families/model-schema';
import { BUILTIN_FAMILIES, familyFields, familyFor, registeredFamilies } from '../../../src-core/graph/families/registry';
import { PARAMETERISATIONS } from '../../../src-core/model';
import { LOSS_WEIGHTINGS } from '../../../src-core/parameterisation';
import { BACKEND_CHOICES, BACKEND_NAMES, type BackendChoice } from '../../../src-core/training/backend';

/** The coupling kinds the form offers (MATH.md §4). */
export const COUPLINGS = ['independent', 'ot', 'sinkhorn', 'schrodinger'] as const;
type CouplingKind = (typeof COUPLINGS)[number];

/** A value of a family's own setting in the form: a list of numbers as the comma-separated text typed. */
type FormValueOf<V> = [V] extends [readonly number[]] ? string : V;
type FamilyValuesOf<F> = F extends { readonly schema: infer S extends z.ZodType } ? { readonly [K in OwnKey<z.output<S>>]: FormValueOf<z.output<S>[K]> } : never;
type Intersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** The built-in families' own settings as form values, derived from their config schemas (a family registered later adds its keys at run time). */
export type FamilyValues = Intersection<FamilyValuesOf<(typeof BUILTIN_FAMILIES)[number]>>;

/** A value a form field holds. */
export type FieldValue = string | number | boolean;

/** Everything the form edits; the data set comes from the data picker and the schedule from the Schedule section. */
export type TrainForm = CommonForm & FamilyValues;

/** The form's fields besides the families' own. */
interface CommonForm {
  readonly name: string;
  readonly normalise: 'none' | 'standardise';
  /** Where samples start: 'noise' (N(0, I)), or a data set for data-to-data training ('saved:<id>' or 'builtin:<id>'). */
  readonly source: string;
  /** A registered model family's name. */
  readonly family: string;
  readonly timeEmbedding: TimeEmbeddingKind;
  readonly embedDim: number;
  /** Condition on the data's class labels (when it has them). */
  readonly conditional: boolean;
  readonly labelDropout: number;
  readonly parameterisation: (typeof PARAMETERISATIONS)[number];
  readonly timeSampling: 'uniform' | 'logNormal';
  readonly logNormalMean: number;
  readonly logNormalStd: number;
  readonly weighting: (typeof LOSS_WEIGHTINGS)[number];
  readonly coupling: CouplingKind;
  /** Sinkhorn epsilon or Schrödinger-bridge noise s. */
  readonly couplingValue: number;
  readonly optimiser: 'adam' | 'adamw';
  readonly lr: number;
  readonly weightDecay: number;
  readonly warmupSteps: number;
  readonly decay: 'none' | 'cosine';
  readonly minLr: number;
  /** Largest gradient norm; 0 turns clipping off. */
  readonly gradClip: number;
  readonly emaDecay: number;
  readonly steps: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly checkpointEvery: number;
  readonly backend: BackendChoice;
}

export type FieldKey = keyof TrainForm;

/** What a field's visibility may depend on besides the form: the data's kind. */
export interface FieldContext {
  readonly images: boolean;
  readonly classes: number | null;
}

/** One control of the form. */
export interface FieldSpec {
  readonly key: FieldKey;
  readonly label: string;
  readonly tip: string;
  readonly control: 'number' | 'text' | 'select' | 'check';
  /** Choices of a select: value and label. */
  readonly choices?: readonly { readonly value: string; readonly label: string }[];
  readonly min?: number;
  readonly max?: number;
  readonly step?: number;
  /** The config path the field sets (errors at or below it show beside the field). */
  readonly path: string;
  /** A Reference anchor for the formula hint (or one that follows the form's value). */
  readonly hint?: string | ((form: TrainForm) => string);
  readonly shows?: (form: TrainForm, ctx: FieldContext) => boolean;
  /** Why the field cannot be changed now (shown as its tooltip), or null. */
  readonly locked?: (form: TrainForm, ctx: FieldContext) => string | null;
}

/** A titled group of fields; closed groups start folded. */
interface FieldGroup {
  readonly id: string;
  readonly title: string;
  readonly open: boolean;
  readonly fields: readonly FieldSpec[];
}

const options = (values: readonly string[], label: (v: string) => string = (v) => v) => values.map((value) => ({ value, label: label(value) }));

/** The words each time embedding goes under in its select. */
const EMBEDDING_LABELS: Record<TimeEmbeddingKind, string> = { raw: 'raw t', sinusoidal: 'sinusoidal', fourier: 'Fourier' };

/** The Reference entry of each coupling. */
const COUPLING_PAGES: Record<CouplingKind, string> = { independent: 'independent', ot: 'minibatch-ot', sinkhorn: 'sinkhorn', schrodinger: 'schrodinger-bridge' };

const COUPLING_LABELS: Record<CouplingKind, string> = { independent: 'independent', ot: 'minibatch OT (exact)', sinkhorn: 'Sinkhorn (entropic OT)', schrodinger: 'Schrödinger bridge' };

/** The form's own fields, in the order shown; the model family and its fields open the Model group (see fieldGroups). */
const COMMON_GROUPS: readonly FieldGroup[] = [
  {
    id: 'data',
    title: 'Data',
    open: true,
    fields: [
      { key: 'normalise', label: 'Normalise', tip: 'standardise: train on (x - mean) / std per feature or channel; samples are mapped back', control: 'select', choices: options(['none', 'standardise']), path: 'data.normalise' },
      { key: 'source', label: 'Start from', tip: 'noise: x_1 ~ N(0, I); a data set: data-to-data training between two sets, x_t = (1 - t) x_data + t x_source', control: 'select', path: 'source' },
    ],
  },
  {
    id: 'model',
    title: 'Model',
    open: true,
    fields: [
      {
        key: 'timeEmbedding', label: 'Time embedding', tip: 'raw: t as one input; sinusoidal: sin/cos(t scale w_k); fourier: sin/cos(2 pi B t), random B', control: 'select',
        choices: options(TIME_EMBEDDING_KINDS, (k) => EMBEDDING_LABELS[k as TimeEmbeddingKind]), path: 'model.timeEmbedding',
      },
      { key: 'embedDim', label: 'Embedding size', tip: 'features of the time embedding (even: sine and cosine pairs)', control: 'number', min: 2, step: 2, path: 'model.timeEmbedding.dim', shows: (f) => f.timeEmbedding !== 'raw' },
      {
        key: 'conditional', label: 'Class labels', tip: "condition on the data's class labels; guidance is then set in the Sample section", control: 'check', path: 'model.classes',
        locked: (_f, c) => (c.classes === null ? 'this data set has no class labels' : null),
      },
      { key: 'labelDropout', label: 'Label dropout', tip: 'share of rows trained without their label, so classifier-free guidance can mix both', control: 'number', min: 0, max: 0.99, step: 0.05, path: 'model.labelDropout', shows: (f, c) => f.conditional && c.classes !== null, hint: 'sampling/guidance' },
    ],
  },
  {
    id: 'objective',
    title: 'Objective',
    open: true,
    fields: [
      { key: 'parameterisation', label: 'Predicts', tip: 'what the network outputs: eps, x0, score, v or the velocity u (flow matching)', control: 'select', choices: options(PARAMETERISATIONS), path: 'objective.parameterisation', hint: 'outputs/parameterisations' },
      { key: 'timeSampling', label: 'Time sampling', tip: 'how t is drawn per row: uniform on [t_min, 1], or logit-normal (sigmoid of a normal draw)', control: 'select', choices: [{ value: 'uniform', label: 'uniform' }, { value: 'logNormal', label: 'logit-normal' }], path: 'objective.timeSampling', hint: 'losses/time-sampling' },
      { key: 'logNormalMean', label: 'Mean', tip: 'mean of the normal draw before the sigmoid', control: 'number', step: 0.1, path: 'objective.timeSampling.logNormal.mean', shows: (f) => f.timeSampling === 'logNormal' },
      { key: 'logNormalStd', label: 'Std', tip: 'std of the normal draw before the sigmoid', control: 'number', min: 0, step: 0.1, path: 'objective.timeSampling.logNormal.std', shows: (f) => f.timeSampling === 'logNormal' },
      { key: 'weighting', label: 'Weighting', tip: 'w(t) in the loss: none, sigma^2, SNR, or min(SNR, 5)', control: 'select', choices: options(LOSS_WEIGHTINGS), path: 'objective.weighting' },
      { key: 'coupling', label: 'Coupling', tip: 'independent: noise drawn apart from data; OT: each batch re-paired by min sum ||x0 - x1||^2; Sinkhorn: entropic OT; Schrödinger bridge: x_t = mu_t + s sqrt(t(1-t)) z', control: 'select', choices: options(COUPLINGS, (c) => COUPLING_LABELS[c as CouplingKind]), path: 'coupling', hint: (f) => `couplings/${COUPLING_PAGES[f.coupling]}` },
      { key: 'couplingValue', label: 'Epsilon / s', tip: 'Sinkhorn epsilon, or the bridge noise s', control: 'number', min: 0, step: 0.01, path: 'coupling', shows: (f) => f.coupling === 'sinkhorn' || f.coupling === 'schrodinger' },
    ],
  },
  {
    id: 'optimiser',
    title: 'Optimiser and EMA',
    open: false,
    fields: [
      { key: 'optimiser', label: 'Optimiser', tip: 'Adam, or AdamW (weight decay applied apart from the gradient)', control: 'select', choices: [{ value: 'adam', label: 'Adam' }, { value: 'adamw', label: 'AdamW' }], path: 'optimiser.kind' },
      { key: 'lr', label: 'Learning rate', tip: 'peak lr: theta <- theta - lr m_hat / (sqrt(v_hat) + eps)', control: 'number', min: 0, step: 0.0001, path: 'optimiser.lr' },
      { key: 'weightDecay', label: 'Weight decay', tip: 'AdamW: theta <- theta (1 - lr wd) each step', control: 'number', min: 0, step: 0.0001, path: 'optimiser.weightDecay', shows: (f) => f.optimiser === 'adamw' },
      { key: 'warmupSteps', label: 'Warm-up steps', tip: 'lr_k = lr k / warmup for k < warmup', control: 'number', min: 0, step: 10, path: 'optimiser.warmupSteps' },
      { key: 'decay', label: 'Decay', tip: 'cosine: lr falls from lr to its end value along a half cosine after warm-up', control: 'select', choices: options(['cosine', 'none']), path: 'optimiser.decay' },
      { key: 'minLr', label: 'End lr', tip: 'the learning rate cosine decay ends at', control: 'number', min: 0, step: 0.0001, path: 'optimiser.minLr', shows: (f) => f.decay === 'cosine' },
      { key: 'gradClip', label: 'Clip norm', tip: 'largest global gradient norm; 0 turns clipping off', control: 'number', min: 0, step: 0.1, path: 'optimiser.gradClip' },
      { key: 'emaDecay', label: 'EMA decay', tip: 'theta_ema <- d theta_ema + (1 - d) theta each step; previews and samples use the EMA weights', control: 'number', min: 0, max: 0.9999, step: 0.001, path: 'emaDecay' },
    ],
  },
  {
    id: 'run',
    title: 'Run',
    open: true,
    fields: [
      { key: 'name', label: 'Run name', tip: 'how the run is listed; it can be changed later in the run list', control: 'text', path: 'name' },
      { key: 'steps', label: 'Steps', tip: 'optimiser steps', control: 'number', min: 1, step: 100, path: 'steps' },
      { key: 'batchSize', label: 'Batch', tip: 'rows (x0, x1, t) per step', control: 'number', min: 1, step: 32, path: 'batchSize' },
      { key: 'seed', label: 'Seed', tip: 'seeds initial weights, data order, noise and t draws: the same seed reproduces the run', control: 'number', min: 0, step: 1, path: 'seed' },
      { key: 'checkpointEvery', label: 'Checkpoint every', tip: 'steps between checkpoints (resume starts from the last)', control: 'number', min: 1, step: 100, path: 'checkpointEvery' },
      { key: 'backend', label: 'Backend', tip: `auto tries the fastest first: ${BACKEND_NAMES.join(', ')}`, control: 'select', choices: options(BACKEND_CHOICES, (b) => (b === 'auto' ? 'auto (fastest here)' : b)), path: 'backend' },
    ],
  },
];

/** The model family choice: every registered family, the one suggested for the data's kind of item picked. */
function familySpec(): FieldSpec {
  const families = registeredFamilies();
  return {
    key: 'family', label: 'Family', tip: families.map((f) => `${f.label} ${f.summary}`).join('; '), control: 'select',
    choices: families.map((f) => ({ value: f.name, label: f.label })), path: 'model.family',
    locked: (_f, c) => {
      const kind = c.images ? 'images' : 'vectors';
      return `${ITEM_KINDS[kind].data} train with the ${familyFor(kind).label}`;
    },
  };
}

const CONTROLS: Record<FamilyField['kind'], FieldSpec['control']> = { integers: 'text', number: 'number', check: 'check', select: 'select' };

/** The controls of a family field: its kind's control, a select's choices, a number's range. */
function controlOf(field: FamilyField): Pick<FieldSpec, 'control' | 'choices' | 'min' | 'max' | 'step'> {
  if (field.kind === 'select') return { control: 'select', choices: options(field.choices) };
  if (field.kind !== 'number') return { control: CONTROLS[field.kind] };
  const { min, max, step } = field;
  return { control: 'number', ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}), ...(step !== undefined ? { step } : {}) };
}

/** Every registered family's own fields, each shown while one of the families that has it is chosen. */
function familyFieldSpecs(): FieldSpec[] {
  const taken = new Set(COMMON_GROUPS.flatMap((g) => g.fields.map((f) => f.key as string)).concat('family'));
  const byKey = new Map<string, { field: FamilyField; families: Set<string> }>();
  for (const family of registeredFamilies()) {
    for (const [key, field] of familyFields(family)) {
      if (taken.has(key)) throw new StudioError('invalid-argument', `model family '${family.name}': its setting '${key}' has the name of a Train form field`);
      const entry = byKey.get(key) ?? { field, families: new Set<string>() };
      entry.families.add(family.name);
      byKey.set(key, entry);
    }
  }
  // keys of families registered after the form's types were fixed are known only at run time
  return [...byKey].map(([key, { field, families }]) => ({ key: key as FieldKey, label: field.label, tip: field.help, ...controlOf(field), path: `model.${key}`, shows: (f: TrainForm) => families.has(f.family) }));
}

function createGroups(): readonly FieldGroup[] {
  const model = [familySpec(), ...familyFieldSpecs()];
  return COMMON_GROUPS.map((g) => (g.id === 'model' ? { ...g, fields: [...model, ...g.fields] } : g));
}

let built: { families: string; groups: readonly FieldGroup[]; byKey: ReadonlyMap<FieldKey, FieldSpec> } | null = null;

function current(): NonNullable<typeof built> {
  const families = registeredFamilies().map((f) => f.name).join(',');
  if (built?.families !== families) {
    const groups = createGroups();
    built = { families, groups, byKey: new Map(groups.flatMap((g) => g.fields.map((f) => [f.key, f] as const))) };
  }
  return built;
}

/** Every field of the form in the order shown, with the registered families in the Model group; the data picker and the schedule sit above them. */
export function fieldGroups(): readonly FieldGroup[] {
  return current().groups;
}

/** Every field by key. */
function fieldSpecs(): ReadonlyMap<FieldKey, FieldSpec> {
  return current().byKey;
}

/** The choices of each select field (for checking stored values), derived from the table with the families registered at load. */
export const FIELD_CHOICES: Partial<Record<FieldKey, readonly string[]>> = Object.fromEntries(
  [...fieldSpecs().values()].filter((f) => f.choices).map((f) => [f.key, f.choices!.map((c) => c.value)]),
);

/** The field whose path is the longest prefix of a config path ('model.hidden.1' -> 'hidden'), or null. */
export function fieldForPath(path: readonly (string | number)[]): FieldKey | null {
  const text = path.map(String).join('.');
  let best: FieldSpec | null = null;
  for (const f of fieldSpecs().values()) {
    if ((text === f.path || text.startsWith(`${f.path}.`)) && (!best || f.path.length > best.path.length)) best = f;
  }
  return best?.key ?? null;
}
