// What the session store keeps in localStorage, and the checks that turn stored text back into trusted values.
import { SAMPLER_OPTION_NAMES } from '../../src-core/sampling/types';
import { createSchedule, SCHEDULE_NAMES } from '../../src-core/schedules';
import { DEFAULT_FORM, FIELD_CHOICES, type TrainForm } from '../features/train/train-form';
import type { MetricKind } from '../features/sample/metric-sweep';
import { fieldAccepts, SAMPLE_FIELDS, type SampleFieldName } from '../features/sample/sample-fields';
import { sectionFromHash } from '../sections';
import type { ParamValues } from '../features/data/dataset-fields';
import { componentProblem, MAX_COMPONENTS, type MixtureComponent } from '../features/data/mixture-components';
import type { SampleSettings } from '../features/sample/sample.store';
import type { EditableSpec } from '../features/schedule/schedule.store';

/** The localStorage key. */
export const SESSION_KEY = 'studio.session';
/** Bumped when the shape changes; a snapshot of another version is ignored whole. */
export const SESSION_VERSION = 1;

/** The data set chosen in the Data section with its inputs. */
export interface DatasetChoice {
  readonly id: string;
  readonly params: ParamValues;
}

/** The model picked in the Sample section (its picker key) and whether its samples were on screen. */
export interface SampleModelChoice {
  readonly key: string;
  readonly resample: boolean;
}

/** Everything restored on start; each part is optional and checked on its own. */
export interface SessionSnapshot {
  /** The location hash of the section (and for the reference, the anchor) last shown. */
  hash?: string;
  schedule?: EditableSpec;
  train?: Partial<TrainForm>;
  sample?: Partial<SampleSettings>;
  sampleModel?: SampleModelChoice;
  dataset?: DatasetChoice;
  /** The components of the Data section's mixture editor. */
  mixture?: MixtureComponent[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const intIn = (v: unknown, lo: number, hi: number) => finite(v) && Number.isInteger(v) && v >= lo && v <= hi;

/** Choices of the Train form that are not plain numbers, booleans or free text (the field table's). */
const TRAIN_ENUMS = FIELD_CHOICES;

/** Schedules the Sample section offers for the ideal model. */
const SAMPLE_SCHEDULES = ['linear', 'vp-linear', 'vp-cosine', 'sub-vp'];
const METRICS: readonly MetricKind[] = ['sliced-w2', 'mmd'];
/** Numeric sample settings and their allowed ranges: the Sample controls' own, and the two the controls do not type. */
const SAMPLE_NUMBERS: Partial<Record<keyof SampleSettings, (v: unknown) => boolean>> = {
  ...Object.fromEntries((Object.keys(SAMPLE_FIELDS) as SampleFieldName[]).map((name) => [name, (v: unknown) => fieldAccepts(name, v)])),
  gamma: (v) => finite(v) && v >= 0 && v <= 1,
  classLabel: (v) => intIn(v, 0, 1_000_000),
};
/** Keys of the Sample section's model picker: an ideal model, a run, or an ONNX file by its path. */
const MODEL_KEY = /^(oracle:[\w.-]{1,80}|run:[A-Za-z0-9_-]{1,64}|onnx:.{1,4096})$/s;

/** A hash such as '#train' or '#reference/sampling/gamma-family' that names a real section. */
function checkHash(v: unknown): string | undefined {
  if (typeof v !== 'string' || !/^#[a-z0-9-]+(\/[a-z0-9-]+){0,2}$/.test(v)) return undefined;
  return sectionFromHash(v) === v.slice(1).split('/')[0] ? v : undefined;
}

/** A schedule spec that builds a schedule. */
function checkSchedule(v: unknown): EditableSpec | undefined {
  if (!isObject(v) || !(SCHEDULE_NAMES as readonly unknown[]).includes(v.name)) return undefined;
  try {
    createSchedule(v);
    return v as unknown as EditableSpec;
  } catch {
    return undefined;
  }
}

/** The Train form fields whose stored value has the type (and for choices, a value) the form allows. */
function checkTrain(v: unknown): Partial<TrainForm> | undefined {
  if (!isObject(v)) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(DEFAULT_FORM) as (keyof TrainForm)[]) {
    const value = v[key];
    const allowed = TRAIN_ENUMS[key];
    if (allowed ? allowed.includes(value as string) : typeof value === typeof DEFAULT_FORM[key] && (typeof value !== 'number' || Number.isFinite(value))) out[key] = value;
  }
  return Object.keys(out).length ? (out as Partial<TrainForm>) : undefined;
}

/** Sampler option values by sampler name: known option names with numbers; their ranges are checked against the studio's list where shown. */
function checkSamplerOptions(v: unknown): SampleSettings['samplerOptions'] | undefined {
  if (!isObject(v)) return undefined;
  const out: Record<string, Record<string, number>> = {};
  for (const [sampler, values] of Object.entries(v).slice(0, 64)) {
    if (!/^[a-z0-9+-]{1,40}$/i.test(sampler) || !isObject(values)) continue;
    const kept = Object.fromEntries(SAMPLER_OPTION_NAMES.flatMap((name) => (finite(values[name]) ? [[name, values[name]]] : [])));
    if (Object.keys(kept).length) out[sampler] = kept;
  }
  return out;
}

/** Sample settings within the ranges of the controls; sampler names (and their options' ranges) are checked later, against the studio's list. */
function checkSample(v: unknown): Partial<SampleSettings> | undefined {
  if (!isObject(v)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, ok] of Object.entries(SAMPLE_NUMBERS)) if (ok(v[key])) out[key] = v[key];
  for (const key of ['odeSampler', 'sdeSampler']) if (typeof v[key] === 'string' && /^[a-z0-9+-]{1,40}$/i.test(v[key])) out[key] = v[key];
  if (SAMPLE_SCHEDULES.includes(v.schedule as string)) out.schedule = v.schedule;
  if (METRICS.includes(v.metric as MetricKind)) out.metric = v.metric;
  if (typeof v.showData === 'boolean') out.showData = v.showData;
  const samplerOptions = checkSamplerOptions(v.samplerOptions);
  if (samplerOptions) out.samplerOptions = samplerOptions;
  return Object.keys(out).length ? (out as Partial<SampleSettings>) : undefined;
}

/** A model key of the picker's form, and whether to sample it again. */
function checkSampleModel(v: unknown): SampleModelChoice | undefined {
  if (!isObject(v) || typeof v.key !== 'string' || !MODEL_KEY.test(v.key) || typeof v.resample !== 'boolean') return undefined;
  return { key: v.key, resample: v.resample };
}

/** Mixture components the editor takes: at most MAX_COMPONENTS, each usable; anything else drops the whole list. */
function checkMixture(v: unknown): MixtureComponent[] | undefined {
  if (!Array.isArray(v) || v.length < 1 || v.length > MAX_COMPONENTS) return undefined;
  const out: MixtureComponent[] = [];
  for (const c of v) {
    if (!isObject(c) || !Array.isArray(c.mean) || c.mean.length !== 2 || !c.mean.every(finite) || !finite(c.weight) || !finite(c.std)) return undefined;
    const component: MixtureComponent = { mean: [c.mean[0], c.mean[1]], weight: c.weight, std: c.std };
    if (componentProblem(component)) return undefined;
    out.push(component);
  }
  return out;
}

/** A data set id with count, noise, seed and the set's own numeric inputs. */
function checkDataset(v: unknown): DatasetChoice | undefined {
  if (!isObject(v) || typeof v.id !== 'string' || !/^[\w.-]{1,80}$/.test(v.id) || !isObject(v.params)) return undefined;
  const { count, noise, seed, values } = v.params;
  if (!intIn(count, 1, 1_000_000) || !intIn(seed, 0, 2 ** 32 - 1) || !(noise === null || finite(noise)) || !isObject(values)) return undefined;
  if (!Object.values(values).every(finite)) return undefined;
  return { id: v.id, params: { count: count as number, noise: noise as number | null, seed: seed as number, values: { ...(values as Record<string, number>) } } };
}

/** Reads stored text: every part that passes its check, nothing from text that is not a snapshot of this version. */
export function parseSnapshot(text: string | null): SessionSnapshot {
  let raw: unknown;
  try {
    raw = text === null ? null : JSON.parse(text);
  } catch {
    return {};
  }
  if (!isObject(raw) || raw.version !== SESSION_VERSION) return {};
  const parts: SessionSnapshot = {
    hash: checkHash(raw.hash),
    schedule: checkSchedule(raw.schedule),
    train: checkTrain(raw.train),
    sample: checkSample(raw.sample),
    sampleModel: checkSampleModel(raw.sampleModel),
    dataset: checkDataset(raw.dataset),
    mixture: checkMixture(raw.mixture),
  };
  return Object.fromEntries(Object.entries(parts).filter(([, x]) => x !== undefined)) as SessionSnapshot;
}

/** The text stored for a snapshot. */
export function serializeSnapshot(s: SessionSnapshot): string {
  return JSON.stringify({ version: SESSION_VERSION, ...s });
}
