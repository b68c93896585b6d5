// Sampler option values checked against what the sampler declares: which options it reads, their ranges and defaults.
import type { ErrorDetail } from '../errors';
import { SAMPLER_OPTION_NAMES, type SamplerOptionName, type SamplerOptionSpec, type SamplerSpec } from './types';

const fmt = (v: number) => (Math.abs(v) >= 1e-3 || v === 0 ? String(+v.toPrecision(6)) : v.toExponential());

/** The problem with a value for one option, in the studio's words, or null when the option takes it. */
function optionValueProblem(spec: SamplerOptionSpec, value: unknown): string | null {
  const range = `from ${fmt(spec.min)} to ${fmt(spec.max)}`;
  if (typeof value !== 'number' || !Number.isFinite(value)) return `must be a number ${range}`;
  if (spec.integer && !Number.isInteger(value)) return `must be a whole number ${range}, got ${fmt(value)}`;
  if (value < spec.min) return `must be at least ${fmt(spec.min)}, got ${fmt(value)}`;
  if (value > spec.max) return `must be at most ${fmt(spec.max)}, got ${fmt(value)}`;
  return null;
}

/** The option a sampler declares under a name, or undefined when it does not read it. */
export function optionOf(sampler: SamplerSpec, name: SamplerOptionName): SamplerOptionSpec | undefined {
  return sampler.options.find((o) => o.name === name);
}

/**
 * Each problem with the option values given for a sampler, as details at the option's name: a value out of its range,
 * and (with strict) an option the sampler does not read. A value left out (undefined) is always fine: it takes the default.
 */
export function samplerOptionProblems(samplerName: string, sampler: SamplerSpec, values: Readonly<Record<string, unknown>>, strict: boolean): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  for (const name of SAMPLER_OPTION_NAMES) {
    const value = values[name];
    if (value === undefined) continue;
    const spec = optionOf(sampler, name);
    if (!spec) {
      if (strict) {
        const takes = sampler.options.length ? `it takes ${sampler.options.map((o) => `'${o.name}'`).join(', ')}` : 'it takes no options';
        out.push({ path: [name], message: `the sampler '${samplerName}' does not take '${name}' (${takes})` });
      }
      continue;
    }
    const problem = optionValueProblem(spec, value);
    if (problem) out.push({ path: [name], message: `${problem} (sampler '${samplerName}')` });
  }
  return out;
}
