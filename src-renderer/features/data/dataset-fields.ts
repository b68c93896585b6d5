// The inputs a data set offers (count, noise, seed, then its own parameters) and how a value is checked.
import type { DatasetInfo, DatasetRequest } from '../../../src-core/api/contract';

/** One numeric input: the contract's bounds and what to show beside it. */
export interface FieldSpec {
  readonly name: string;
  readonly label: string;
  readonly description: string;
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly integer: boolean;
  /** True if an empty input is allowed (the set's own default then applies). */
  readonly optional: boolean;
}

/** The values behind the inputs; noise null means "the data set's default". */
export interface ParamValues {
  count: number;
  noise: number | null;
  seed: number;
  values: Record<string, number>;
}

/** Number of points a fresh selection asks for. */
const DEFAULT_COUNT = 10_000;

/** The parameters every set takes; they travel at the top level of a request, not in `params`. */
const COMMON_NAMES = ['count', 'noise', 'seed'] as const;

/** Used where the metadata does not describe a common parameter itself. */
const COMMON_FALLBACK: Record<(typeof COMMON_NAMES)[number], FieldSpec> = {
  count: { name: 'count', label: 'Points', description: 'How many points to draw.', min: 1, max: 1_000_000, step: 1000, integer: true, optional: false },
  noise: { name: 'noise', label: 'Noise', description: 'Std of the Gaussian noise added to each point; empty uses the set\u2019s default.', min: 0, max: 10, step: 0.01, integer: false, optional: true },
  seed: { name: 'seed', label: 'Seed', description: 'Seed of the random generator; the same seed gives the same points.', min: 0, max: 2 ** 32 - 1, step: 1, integer: true, optional: false },
};

const isCommon = (name: string) => (COMMON_NAMES as readonly string[]).includes(name);

/** Every input of a data set: count, noise and seed first (as its metadata describes them, if it does), then its own. */
export function fieldsOf(info: DatasetInfo): FieldSpec[] {
  const common = COMMON_NAMES.map((name) => {
    const meta = info.params.find((p) => p.name === name);
    return meta ? { ...meta, optional: false } : COMMON_FALLBACK[name];
  });
  return [...common, ...info.params.filter((p) => !isCommon(p.name)).map((p) => ({ ...p, optional: false }))];
}

/** Default values for a data set; count and seed carry over from the previous values if given. */
export function defaultValues(info: DatasetInfo, previous?: ParamValues): ParamValues {
  const metaDefault = (name: string) => info.params.find((p) => p.name === name)?.default;
  const values: Record<string, number> = {};
  for (const p of info.params) if (!isCommon(p.name)) values[p.name] = p.default;
  return {
    count: previous?.count ?? metaDefault('count') ?? DEFAULT_COUNT,
    noise: metaDefault('noise') ?? null,
    seed: previous?.seed ?? metaDefault('seed') ?? 0,
    values,
  };
}

/** A message saying what is wrong with the value, or null if it is acceptable. */
export function checkValue(spec: FieldSpec, value: number | null): string | null {
  if (value === null || Number.isNaN(value)) return spec.optional ? null : `${spec.label} is required.`;
  if (!Number.isFinite(value)) return `${spec.label} must be a finite number.`;
  if (spec.integer && !Number.isInteger(value)) return `${spec.label} must be a whole number.`;
  if (value < spec.min || value > spec.max) return `${spec.label} must be between ${spec.min} and ${spec.max}.`;
  return null;
}

/** The value an input shows for a field. */
export function valueOf(values: ParamValues, name: string): number | null {
  if (name === 'count') return values.count;
  if (name === 'noise') return values.noise;
  if (name === 'seed') return values.seed;
  return values.values[name] ?? null;
}

/** A copy of values with one field changed (the value must already have passed checkValue). */
export function withValue(values: ParamValues, name: string, value: number | null): ParamValues {
  if (name === 'count') return { ...values, count: value ?? values.count };
  if (name === 'noise') return { ...values, noise: value };
  if (name === 'seed') return { ...values, seed: value ?? values.seed };
  return { ...values, values: { ...values.values, [name]: value ?? values.values[name] } };
}

/** The request that generates a data set with these values. */
export function toRequest(id: string, values: ParamValues): DatasetRequest {
  return {
    id,
    count: values.count,
    seed: values.seed,
    ...(values.noise === null ? {} : { noise: values.noise }),
    ...(Object.keys(values.values).length > 0 ? { params: { ...values.values } } : {}),
  };
}
