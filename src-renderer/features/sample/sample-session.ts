// The Sample section as the session keeps it: its settings (sampler names applied once the studio lists them) and the model picked.
import { watch } from 'vue';
import { SAMPLER_OPTION_NAMES } from '../../../src-core/sampling/types';
import { sessionPart } from '../../app/session-parts';
import { finite, intIn, isObject } from '../../app/stored-checks';
import type { MetricKind } from './metric-sweep';
import { fieldAccepts, SAMPLE_FIELDS, type SampleFieldName } from './sample-fields';
import { useSampleStore, type SampleSettings } from './sample.store';

/** The model picked in the Sample section (its picker key) and whether its samples were on screen. */
interface SampleModelChoice {
  readonly key: string;
  readonly resample: boolean;
}

declare module '../../app/session-parts' {
  interface SessionSnapshot {
    sample?: Partial<SampleSettings>;
    sampleModel?: SampleModelChoice;
  }
}

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

/** The Sample settings' part of the session: stored sampler names wait for the studio's sampler list and are saved as stored meanwhile. */
export const SAMPLE_SESSION = sessionPart({
  key: 'sample',
  check: checkSample,
  bind() {
    const sample = useSampleStore();
    let pending: Partial<Pick<SampleSettings, 'odeSampler' | 'sdeSampler'>> = {};

    /** Applies the stored sampler names once the studio has said which samplers exist. */
    function apply(): void {
      const known = new Set(sample.samplers.map((s) => s.name));
      if (known.size === 0) return;
      const patch = Object.fromEntries(Object.entries(pending).filter(([, name]) => known.has(name)));
      pending = {};
      if (Object.keys(patch).length) sample.configure(patch);
    }

    return {
      save: () => ({ ...sample.settings, ...pending }),
      restore(settings) {
        const { odeSampler, sdeSampler, ...rest } = settings;
        sample.configure(rest);
        pending = { ...(odeSampler ? { odeSampler } : {}), ...(sdeSampler ? { sdeSampler } : {}) };
        apply();
        return true;
      },
      watched: () => sample.settings,
      follow: () => [watch(() => sample.samplers.length, apply)],
    };
  },
});

/** The Sample model's part of the session (restored after the mixture it may be the ideal model of). */
export const SAMPLE_MODEL_SESSION = sessionPart({
  key: 'sampleModel',
  check: checkSampleModel,
  bind() {
    const sample = useSampleStore();
    return {
      save: () => (sample.remembered ? { key: sample.remembered.key, resample: sample.remembered.resample } : undefined),
      restore(choice) {
        sample.preferModel(choice.key, choice.resample);
        return true;
      },
      watched: () => sample.remembered,
    };
  },
});
