// A training run's config.json: its zod schema, cross-field rules, defaults and parser; everything a run needs to be reproduced.
import { z } from 'zod';
import { datasetRegistry, resolveParams } from '../data';
import { PARAMETERISATIONS, type Parameterisation } from '../model';
import { LOSS_WEIGHTINGS } from '../parameterisation';
import { createSchedule, scheduleSpecSchema, type Schedule } from '../schedules';
import { BACKEND_CHOICES } from './backend';
import { parseOrThrow } from '../validation';
import { ITEM_KINDS } from '../graph/families/family';
import { BUILTIN_FAMILIES, familyFor, modelFamilies, registeredFamilies } from '../graph/families/registry';

/** The schemas of a tuple of families, as a tuple. */
type SchemasOf<T extends readonly unknown[]> = { -readonly [K in keyof T]: T[K] extends { readonly schema: infer S } ? S : never };
/** The built-in families' schemas: the static type of the model part (families registered later are checked at run time). */
type BuiltinFamilySchemas = SchemasOf<typeof BUILTIN_FAMILIES>;

/** The version of the config format this code writes; bump it when a field changes meaning. */
const TRAINING_CONFIG_VERSION = 1;

const count = (min: number) => z.number().int().min(min);
const unit = z.number().min(0).lt(1);

const builtinDataSchema = z.strictObject({
  source: z.literal('builtin'),
  /** A built-in set id ('eight-gaussians', 'two-moons', ...). */
  id: z.string().min(1),
  /** Its parameters: count, noise, seed and the set's own; left-out ones get the set's defaults. */
  params: z.record(z.string(), z.unknown()).default({}),
  normalise: z.enum(['none', 'standardise']).default('none'),
});

const workspaceDataSchema = z.strictObject({
  source: z.literal('workspace'),
  /** The folder name of a data set saved under <workspace>/datasets/. */
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'must be a data-set folder name (letters, digits, - and _)'),
  normalise: z.enum(['none', 'standardise']).default('none'),
});

const dataSchema = z.discriminatedUnion('source', [builtinDataSchema, workspaceDataSchema]);

/** The model part: one schema per registered family, told apart by `family`; left out, the defaults of the family for points. */
function modelSchema() {
  const union = z.discriminatedUnion('family', registeredFamilies().map((f) => f.schema) as unknown as BuiltinFamilySchemas);
  return union.prefault({ family: familyFor('vectors').name } as z.input<typeof union>);
}

const timeSamplingSchema = z.union(
  [z.literal('uniform'), z.strictObject({ logNormal: z.strictObject({ mean: z.number(), std: z.number().positive() }) })],
  { error: "expected 'uniform' or { logNormal: { mean, std } }" },
);

const objectiveSchema = z.strictObject({
  parameterisation: z.enum(PARAMETERISATIONS as readonly Parameterisation[] as [Parameterisation, ...Parameterisation[]]).default('velocity'),
  schedule: scheduleSpecSchema.prefault({ name: 'linear' }),
  timeSampling: timeSamplingSchema.default('uniform'),
  /** Smallest training time; left out, the schedule's own (0 for linear, 1e-3 for VP/VE). */
  tMin: unit.optional(),
  weighting: z.enum(LOSS_WEIGHTINGS).default('none'),
});

const couplingSchema = z.union(
  [
    z.literal('independent'),
    z.strictObject({ ot: z.literal('exact') }),
    z.strictObject({ sinkhorn: z.number().positive() }),
    z.strictObject({ schrodinger: z.number().positive() }),
  ],
  { error: "expected 'independent', { ot: 'exact' }, { sinkhorn: epsilon } or { schrodinger: s }" },
);

const optimiserSchema = z.strictObject({
  kind: z.enum(['adam', 'adamw']).default('adam'),
  lr: z.number().positive().max(10).default(1e-3),
  beta1: unit.default(0.9),
  beta2: unit.default(0.999),
  eps: z.number().positive().default(1e-8),
  weightDecay: z.number().min(0).default(0),
  warmupSteps: count(0).default(0),
  decay: z.enum(['none', 'cosine']).default('none'),
  /** The learning rate cosine decay ends at. */
  minLr: z.number().min(0).default(0),
  /** Largest global gradient norm; null disables clipping. */
  gradClip: z.number().positive().nullable().default(1),
});

const baseSchema = (model: ReturnType<typeof modelSchema>) => z.strictObject({
  schemaVersion: z.literal(TRAINING_CONFIG_VERSION).default(TRAINING_CONFIG_VERSION),
  data: dataSchema.prefault({ source: 'builtin', id: 'eight-gaussians' }),
  /** Distribution at t = 1 for data-to-data training; null means N(0, I) noise. */
  source: dataSchema.nullable().default(null),
  model,
  objective: objectiveSchema.prefault({}),
  coupling: couplingSchema.default('independent'),
  optimiser: optimiserSchema.prefault({}),
  emaDecay: unit.default(0.999),
  steps: count(1).max(100_000_000).default(20_000),
  batchSize: count(1).max(1_000_000).default(256),
  seed: count(0).max(Number.MAX_SAFE_INTEGER).default(0),
  checkpointEvery: count(1).default(1000),
  keepCheckpoints: count(1).max(1000).default(3),
  backend: z.enum(BACKEND_CHOICES).default('auto'),
});

type BaseConfig = z.output<ReturnType<typeof baseSchema>>;
type Issue = { path: (string | number)[]; message: string };

/** The schedule built from a spec, or null if it does not build (the spec schema reports why). */
function tryCreateSchedule(spec: BaseConfig['objective']['schedule']): Schedule | null {
  try {
    return createSchedule(spec);
  } catch {
    return null;
  }
}

function dataRules(ref: BaseConfig['data'], at: string, model: BaseConfig['model'], out: Issue[]): void {
  if (ref.source === 'builtin') {
    if (!datasetRegistry.has(ref.id)) {
      out.push({ path: [at, 'id'], message: `unknown built-in data set '${ref.id}'; known: ${datasetRegistry.names().join(', ')}` });
      return;
    }
    try {
      resolveParams(datasetRegistry.get(ref.id), ref.params);
    } catch (err) {
      out.push({ path: [at, 'params'], message: (err as Error).message });
    }
    // built-in sets are 2-D points: a family for another kind of item cannot train on them
    const family = modelFamilies.get(model.family);
    if (family.takes !== 'vectors') {
      out.push({ path: ['model', 'family'], message: `the ${family.label} takes ${family.takes}, but ${at} '${ref.id}' is a set of 2D points: use the ${familyFor('vectors').label} or a saved ${ITEM_KINDS[family.takes].one} data set` });
    }
  }
}

/** Rules that tie fields together; each names the field to change. */
function crossFieldRules(c: BaseConfig): Issue[] {
  const out: Issue[] = [];
  const { objective, model, optimiser, coupling } = c;
  dataRules(c.data, 'data', model, out);
  if (c.source) dataRules(c.source, 'source', model, out);
  const scheduleName = objective.schedule.name;
  if (typeof coupling === 'object' && 'schrodinger' in coupling) {
    if (scheduleName !== 'linear') out.push({ path: ['objective', 'schedule', 'name'], message: `the Schrödinger-bridge coupling needs the 'linear' schedule, got '${scheduleName}'` });
    if (objective.parameterisation !== 'velocity') out.push({ path: ['objective', 'parameterisation'], message: `the Schrödinger-bridge coupling trains a velocity, got '${objective.parameterisation}'` });
  }
  if (c.source) {
    if (scheduleName !== 'linear' || objective.schedule.sigmaMin !== 0) out.push({ path: ['objective', 'schedule'], message: "data-to-data training interpolates x_t = (1 - t) x_A + t x_B: it needs the 'linear' schedule with sigmaMin 0" });
    if (objective.parameterisation !== 'velocity') out.push({ path: ['objective', 'parameterisation'], message: `data-to-data training predicts a velocity, got '${objective.parameterisation}'` });
  }
  if (model.labelDropout > 0 && model.classes === null) out.push({ path: ['model', 'classes'], message: `labelDropout ${model.labelDropout} needs a number of classes` });
  if (model.timeEmbedding.kind !== 'raw' && model.timeEmbedding.dim % 2 !== 0) out.push({ path: ['model', 'timeEmbedding', 'dim'], message: `must be even (sine and cosine pairs), got ${model.timeEmbedding.dim}` });
  for (const issue of modelFamilies.get(model.family).check(model)) out.push({ path: ['model', ...issue.path], message: issue.message });
  const schedule = tryCreateSchedule(objective.schedule);
  if (schedule) {
    const tMin = objective.tMin ?? schedule.tMin;
    const sigma0 = schedule.sigma(tMin);
    if (sigma0 === 0 && objective.parameterisation === 'score') out.push({ path: ['objective', 'tMin'], message: `the score target -eps/sigma is infinite where sigma = 0: raise tMin above ${tMin}` });
    if (sigma0 === 0 && objective.weighting === 'snr') out.push({ path: ['objective', 'weighting'], message: `the 'snr' weight is infinite where sigma = 0: raise tMin above ${tMin} or pick another weighting` });
  }
  if (optimiser.warmupSteps > c.steps) out.push({ path: ['optimiser', 'warmupSteps'], message: `warm-up (${optimiser.warmupSteps}) must not exceed steps (${c.steps})` });
  if (optimiser.minLr > optimiser.lr) out.push({ path: ['optimiser', 'minLr'], message: `minLr (${optimiser.minLr}) must not exceed lr (${optimiser.lr})` });
  if (typeof coupling === 'object' && 'ot' in coupling && c.batchSize > 4096) out.push({ path: ['coupling'], message: `exact OT solves a ${c.batchSize}x${c.batchSize} assignment per step: use batchSize <= 4096 or { sinkhorn: epsilon }` });
  return out;
}

/** The validated config schema for the families registered so far: defaults filled, cross-field rules checked, tMin resolved from the schedule when left out. */
function createSchema() {
  return baseSchema(modelSchema())
    .superRefine((c, ctx) => {
      for (const issue of crossFieldRules(c)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    })
    .transform((c) => ({
      ...c,
      data: fillDataDefaults(c.data),
      source: c.source ? fillDataDefaults(c.source) : null,
      objective: { ...c.objective, tMin: c.objective.tMin ?? tryCreateSchedule(c.objective.schedule)?.tMin ?? 0 },
    }));
}

let built: { families: string; schema: ReturnType<typeof createSchema> } | null = null;

/** The config schema, made again when a family has been registered since it was last made. */
function trainingConfigSchema(): ReturnType<typeof createSchema> {
  const families = modelFamilies.names().join(',');
  if (built?.families !== families) built = { families, schema: createSchema() };
  return built.schema;
}

/** Writes every built-in parameter out (defaults included) so the file alone reproduces the data. */
function fillDataDefaults(ref: BaseConfig['data']): BaseConfig['data'] {
  if (ref.source !== 'builtin') return ref;
  const p = resolveParams(datasetRegistry.get(ref.id), ref.params);
  const params: Record<string, unknown> = { count: p.count, noise: p.noise, seed: p.seed, ...p.values };
  if (ref.params.mixture !== undefined) params.mixture = ref.params.mixture;
  return { ...ref, params };
}

/** A config as written in a file or sent by the UI (defaults may be left out). */
export type TrainingConfigInput = z.input<ReturnType<typeof trainingConfigSchema>>;
/** A validated config with every default filled in. */
export type TrainingConfig = z.output<ReturnType<typeof trainingConfigSchema>>;
/** Where a model's training data comes from. */
export type DataRef = TrainingConfig['data'];
/** A model description: the model part of a config, one of the registered families. */
export type ModelConfig = TrainingConfig['model'];
/** The coupling between noise (or source) and data in a batch. */
export type CouplingConfig = TrainingConfig['coupling'];

/** Validates a config (parsed JSON) and fills defaults; throws StudioError('invalid-argument') with each problem as a detail {path, message}. */
export function parseTrainingConfig(input: unknown): TrainingConfig {
  return parseOrThrow(trainingConfigSchema(), input, 'invalid training config');
}

/** The reference run (workload W): conditional flow matching on eight gaussians, MLP 3 -> 256 -> 256 -> 256 -> 2 (x and raw t in). */
export function defaultTrainingConfig(): TrainingConfig {
  return parseTrainingConfig({});
}
