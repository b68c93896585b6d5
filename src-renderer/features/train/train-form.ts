// The Train form's values and how they become a training config (the command line's config.json format), and back.
import type { DatasetRequest, SavedDataset } from '../../../src-core/api/contract';
import type { ScheduleSpec } from '../../../src-core/schedules';
import { parseTrainingConfig, type DataRef, type TrainingConfig, type TrainingConfigInput } from '../../../src-core/training/config';
import { stepFlops } from '../../../src-core/training/cost';
import { isImageShape, suggestedConfig, type DataKind } from '../../../src-core/training/defaults';
import { StudioError } from '../../../src-core/errors';
import { itemKindOf, type FamilyField } from '../../../src-core/graph/families/family';
import { familyDefaults, familyFields, modelFamilies, registeredFamilies } from '../../../src-core/graph/families/registry';
import { fieldForPath, type FamilyValues, type FieldKey, type FieldValue, type TrainForm } from './train-fields';

export { FIELD_CHOICES, type TrainForm } from './train-fields';

/** What the run trains on: a built-in set with its parameters (from the Data section), or a set saved in the workspace. */
export type DataChoice = { readonly kind: 'builtin'; readonly request: DatasetRequest; readonly label: string } | { readonly kind: 'saved'; readonly set: SavedDataset };

/** The kind of data a choice holds: row shape, rows, classes. */
export function dataKindOf(choice: DataChoice): DataKind {
  if (choice.kind === 'builtin') return { shape: [2], rows: choice.request.count, classes: null };
  const [rows, ...shape] = choice.set.shape;
  return { shape, rows, classes: choice.set.classes?.length ?? null };
}

/** A choice in a few words, for the form's heading. */
export function describeChoice(choice: DataChoice): string {
  if (choice.kind === 'builtin') return `${choice.label}, ${choice.request.count.toLocaleString('en-US')} points, seed ${choice.request.seed}`;
  const { shape, rows, classes } = dataKindOf(choice);
  const what = isImageShape(shape) ? `${rows.toLocaleString('en-US')} images ${shape.join('×')}` : `${rows.toLocaleString('en-US')} rows × ${shape[0]}`;
  return `${choice.set.name} (saved set: ${what}${classes ? `, ${classes} classes` : ''})`;
}

const joinNumbers = (a: readonly number[]) => a.join(', ');

/** A family setting's config value as the form shows it. */
function formValueOf(field: FamilyField, value: unknown): FieldValue {
  return field.kind === 'integers' ? joinNumbers(value as number[]) : (value as FieldValue);
}

/** A family setting's form value as the config takes it (a list that does not read is left empty: the form reports it first). */
function configValueOf(field: FamilyField, value: FieldValue | undefined): unknown {
  return field.kind === 'integers' ? (parseIntegers(String(value ?? ''), field.min, field.empty ?? false) ?? []) : value;
}

/** The families' own fields: the config's family from the config, the others kept from the fallback or at their defaults. */
function familyValuesOf(model: TrainingConfig['model'], fallback: TrainForm | null): FamilyValues {
  const kept = fallback as Readonly<Record<string, FieldValue>> | null;
  const out: Record<string, FieldValue> = {};
  for (const family of registeredFamilies()) {
    if (family.name === model.family) continue;
    const defaults = familyDefaults(family);
    for (const [key, field] of familyFields(family)) out[key] = kept?.[key] ?? formValueOf(field, defaults[key]);
  }
  const own = model as unknown as Readonly<Record<string, unknown>>;
  for (const [key, field] of familyFields(modelFamilies.get(model.family))) out[key] = formValueOf(field, own[key]);
  return out as FamilyValues;
}

/** True if the family is registered and takes items of this shape. */
export function familyTakes(family: string, shape: readonly number[]): boolean {
  return modelFamilies.has(family) && modelFamilies.get(family).takes === itemKindOf(shape);
}

/** The form values a validated config gives; fields the config's family does not use keep the fallback's values. */
export function formFromConfig(full: TrainingConfig, fallback: TrainForm | null, name = ''): TrainForm {
  const m = full.model;
  const base = fallback ?? null;
  const cp = full.coupling;
  const ts = full.objective.timeSampling;
  const o = full.optimiser;
  return {
    name,
    normalise: full.data.normalise,
    source: sourceValueOf(full.source),
    family: m.family,
    ...familyValuesOf(m, base),
    timeEmbedding: m.timeEmbedding.kind,
    embedDim: m.timeEmbedding.kind === 'raw' ? (base?.embedDim ?? 32) : m.timeEmbedding.dim,
    conditional: m.classes !== null,
    labelDropout: m.labelDropout,
    parameterisation: full.objective.parameterisation,
    timeSampling: ts === 'uniform' ? 'uniform' : 'logNormal',
    logNormalMean: ts === 'uniform' ? (base?.logNormalMean ?? 0) : ts.logNormal.mean,
    logNormalStd: ts === 'uniform' ? (base?.logNormalStd ?? 1) : ts.logNormal.std,
    weighting: full.objective.weighting,
    coupling: cp === 'independent' ? 'independent' : 'ot' in cp ? 'ot' : 'sinkhorn' in cp ? 'sinkhorn' : 'schrodinger',
    couplingValue: typeof cp === 'object' && 'sinkhorn' in cp ? cp.sinkhorn : typeof cp === 'object' && 'schrodinger' in cp ? cp.schrodinger : (base?.couplingValue ?? 0.05),
    optimiser: o.kind,
    lr: o.lr,
    weightDecay: o.weightDecay,
    warmupSteps: o.warmupSteps,
    decay: o.decay,
    minLr: o.minLr,
    gradClip: o.gradClip ?? 0,
    emaDecay: full.emaDecay,
    steps: full.steps,
    batchSize: full.batchSize,
    seed: full.seed,
    checkpointEvery: full.checkpointEvery,
    backend: full.backend,
  };
}

/** The form a newcomer starts from for a kind of data (src-core/training/defaults.ts). */
export function suggestedForm(kind: DataKind, keep: TrainForm | null = null): TrainForm {
  // a stand-in data reference of the right kind, so the suggestion parses with every default filled in
  const data: DataRef = isImageShape(kind.shape) ? { source: 'workspace', id: 'images', normalise: 'none' } : { source: 'builtin', id: 'two-moons', params: {}, normalise: 'none' };
  const form = formFromConfig(parseTrainingConfig({ ...suggestedConfig(kind), data }), keep, keep?.name ?? '');
  return keep ? { ...form, normalise: keep.normalise, source: keep.source, backend: keep.backend, seed: keep.seed } : form;
}

/** The form before any data is known: the suggestion for 2-D points. */
export const DEFAULT_FORM: TrainForm = suggestedForm({ shape: [2], rows: 10_000, classes: null });

/** Whole numbers of at least min separated by commas or spaces; null if any entry is not one (an empty text is an empty list where allowEmpty). */
function parseIntegers(text: string, min: number, allowEmpty: boolean): number[] | null {
  const parts = text.split(/[\s,]+/).filter((s) => s !== '');
  if (parts.length === 0) return allowEmpty ? [] : null;
  const values = parts.map(Number);
  return values.every((w) => Number.isInteger(w) && w >= min) ? values : null;
}

/** Whole numbers above zero separated by commas; null if any entry is not one (an empty text is an empty list of numbers from 0 where allowEmpty). */
export function parseWidths(text: string, allowEmpty = false): number[] | null {
  return parseIntegers(text, allowEmpty ? 0 : 1, allowEmpty);
}

/** The data reference a choice becomes in a config. */
function dataRefOf(choice: DataChoice, normalise: TrainForm['normalise']): DataRef {
  if (choice.kind === 'saved') return { source: 'workspace', id: choice.set.id, normalise };
  const r = choice.request;
  // Plain copies: the request may be read-only store state.
  const params: Record<string, unknown> = { count: r.count, seed: r.seed, ...(r.noise !== undefined ? { noise: r.noise } : {}), ...(r.params ?? {}) };
  if (r.mixture) params.mixture = JSON.parse(JSON.stringify(r.mixture));
  return { source: 'builtin', id: r.id, params, normalise };
}

/** The source reference of the form's 'Start from' choice, or null for noise. */
function sourceRefOf(form: TrainForm): DataRef | null {
  if (form.source.startsWith('saved:')) return { source: 'workspace', id: form.source.slice('saved:'.length), normalise: form.normalise };
  if (form.source.startsWith('builtin:')) return { source: 'builtin', id: form.source.slice('builtin:'.length), params: {}, normalise: form.normalise };
  return null;
}

/** Problems of the form's own text fields, which must parse before a config can be built. */
function textProblems(form: TrainForm): Partial<Record<FieldKey, string>> {
  const out: Partial<Record<FieldKey, string>> = {};
  if (!modelFamilies.has(form.family)) out.family = `unknown model family '${form.family}'; known: ${modelFamilies.names().join(', ')}`;
  else {
    const values = form as unknown as Readonly<Record<string, FieldValue>>;
    for (const [key, f] of familyFields(modelFamilies.get(form.family))) {
      if (f.kind !== 'integers' || parseIntegers(String(values[key] ?? ''), f.min, f.empty ?? false)) continue;
      const from = f.min === 1 ? 'above 0' : `from ${f.min}`;
      out[key as FieldKey] = `write ${f.noun} as whole numbers ${from} separated by commas, ${f.empty ? 'or leave empty' : `e.g. ${f.example}`}`;
    }
  }
  if (form.name.trim() === '') out.name = 'a run needs a name';
  return out;
}

/** The config input for the API: the form, the data choice and the Schedule section's spec. */
export function buildConfig(form: TrainForm, data: DataChoice, schedule: ScheduleSpec): TrainingConfigInput {
  const kind = dataKindOf(data);
  const cp = form.coupling;
  const embedding = form.timeEmbedding === 'raw' ? { kind: 'raw' as const } : { kind: form.timeEmbedding, dim: form.embedDim };
  const labels = { classes: form.conditional && kind.classes !== null ? kind.classes : null, labelDropout: form.conditional && kind.classes !== null ? form.labelDropout : 0 };
  const values = form as unknown as Readonly<Record<string, FieldValue>>;
  const fields = modelFamilies.has(form.family) ? familyFields(modelFamilies.get(form.family)) : [];
  const own = Object.fromEntries(fields.map(([key, f]) => [key, configValueOf(f, values[key])]));
  // the schema of the chosen family checks these when the config is parsed
  const model = { family: form.family, ...own, timeEmbedding: embedding, ...labels } as TrainingConfigInput['model'];
  return {
    data: dataRefOf(data, form.normalise),
    source: sourceRefOf(form),
    model,
    objective: {
      parameterisation: form.parameterisation,
      schedule: JSON.parse(JSON.stringify(schedule)),
      timeSampling: form.timeSampling === 'uniform' ? 'uniform' : { logNormal: { mean: form.logNormalMean, std: form.logNormalStd } },
      weighting: form.weighting,
    },
    coupling: cp === 'ot' ? { ot: 'exact' } : cp === 'sinkhorn' ? { sinkhorn: form.couplingValue } : cp === 'schrodinger' ? { schrodinger: form.couplingValue } : 'independent',
    optimiser: { kind: form.optimiser, lr: form.lr, weightDecay: form.weightDecay, warmupSteps: form.warmupSteps, decay: form.decay, minLr: form.decay === 'cosine' ? form.minLr : 0, gradClip: form.gradClip === 0 ? null : form.gradClip },
    emaDecay: form.emaDecay,
    steps: form.steps,
    batchSize: form.batchSize,
    seed: form.seed,
    checkpointEvery: form.checkpointEvery,
    backend: form.backend,
  };
}

/** A choice to confirm before starting: what it costs, in the studio's words. */
interface CostWarning {
  readonly field: FieldKey;
  readonly message: string;
}

/** The form checked as the studio will check it: the config, or each problem by field; plus costly choices to confirm. */
interface CheckedForm {
  readonly config: TrainingConfig | null;
  readonly errors: Partial<Record<FieldKey | 'data' | 'schedule' | 'general', string>>;
  readonly warnings: readonly CostWarning[];
}

/** Multiply-adds a CPU does per second in the compiled step, about: the cost warnings' yardstick (workload W runs ~40-90 GFLOP/s here). */
const CPU_FLOPS_PER_SECOND = 20e9;

/** Checks the form against the data and schedule; nothing here throws. */
export function checkForm(form: TrainForm, data: DataChoice | null, schedule: ScheduleSpec | null): CheckedForm {
  const errors: CheckedForm['errors'] = { ...textProblems(form) };
  if (!data) errors.data = 'Choose the data to train on: a built-in set in the Data section, or a saved set here.';
  if (!schedule) errors.schedule = 'The schedule in the Schedule section is invalid: fix it there first.';
  if (!data || !schedule || Object.keys(errors).length > 0) return { config: null, errors, warnings: [] };
  let config: TrainingConfig;
  try {
    config = parseTrainingConfig(buildConfig(form, data, schedule));
  } catch (err) {
    const details = err instanceof StudioError ? err.details : [];
    for (const d of details) {
      const at = d.path[0] === 'data' ? 'data' : d.path[0] === 'objective' && d.path[1] === 'schedule' ? 'schedule' : (fieldForPath(d.path) ?? 'general');
      errors[at] = errors[at] ? `${errors[at]}; ${d.message}` : d.message;
    }
    if (details.length === 0) errors.general = err instanceof Error ? err.message : String(err);
    return { config: null, errors, warnings: [] };
  }
  return { config, errors: {}, warnings: costWarnings(config, dataKindOf(data)) };
}

function seconds(s: number): string {
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/** Choices that cost far more than a newcomer may expect: a batch beyond the data, a step of seconds, a run of hours. */
function costWarnings(config: TrainingConfig, kind: DataKind): CostWarning[] {
  const out: CostWarning[] = [];
  if (config.batchSize > kind.rows) {
    out.push({ field: 'batchSize', message: `A batch of ${config.batchSize.toLocaleString('en-US')} is larger than the data set (${kind.rows.toLocaleString('en-US')} rows): each step repeats every row ${(config.batchSize / kind.rows).toFixed(1)} times on average.` });
  }
  const flops = stepFlops(config.model, kind.shape, config.batchSize);
  const perStep = flops / CPU_FLOPS_PER_SECOND;
  if (perStep >= 1) {
    out.push({ field: 'batchSize', message: `Each step does about ${(flops / 1e9).toFixed(0)} GFLOP: on a CPU that is roughly ${seconds(perStep)} a step. The ETA appears after the first steps.` });
  }
  const total = perStep * config.steps;
  if (total >= 3600) out.push({ field: 'steps', message: `${config.steps.toLocaleString('en-US')} steps may take about ${seconds(total)} on a CPU (an estimate from the model's size; the ETA from the first steps will tell).` });
  return out;
}

/** The data choice a config's data reference describes, given the saved sets (null when its saved set is gone). */
export function choiceFromRef(ref: DataRef, saved: readonly SavedDataset[], labelOf: (id: string) => string): DataChoice | null {
  if (ref.source === 'workspace') {
    const set = saved.find((s) => s.id === ref.id);
    return set ? { kind: 'saved', set } : null;
  }
  const { count, seed, noise, mixture, ...rest } = ref.params as Record<string, unknown>;
  const params = Object.fromEntries(Object.entries(rest).filter(([, v]) => typeof v === 'number')) as Record<string, number>;
  const request = {
    id: ref.id,
    count: typeof count === 'number' ? count : 10_000,
    seed: typeof seed === 'number' ? seed : 0,
    ...(typeof noise === 'number' ? { noise } : {}),
    ...(Object.keys(params).length ? { params } : {}),
    ...(mixture ? { mixture: mixture as DatasetRequest['mixture'] } : {}),
  };
  return { kind: 'builtin', request, label: labelOf(ref.id) };
}

/** The form's 'Start from' value for a config's source reference. */
function sourceValueOf(ref: DataRef | null): string {
  if (!ref) return 'noise';
  return ref.source === 'workspace' ? `saved:${ref.id}` : `builtin:${ref.id}`;
}
