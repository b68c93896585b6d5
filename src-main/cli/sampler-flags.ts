// The sample command's flags for sampler options, derived from the sampler registry: each option a --kebab-case flag with its usage line.
import { samplers } from '../../src-core/sampling';
import type { SamplerOptionName, SamplerOptionSpec } from '../../src-core/sampling/types';
import { optionalNumber, type FlagValues } from './flags';

/** An option's flag name: correctorSteps -> corrector-steps. */
export function optionFlag(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** One option as its samplers declare it: each sampler with its own range and default (they may differ). */
interface OptionDeclarations {
  readonly name: SamplerOptionName;
  readonly flag: string;
  readonly declared: readonly { readonly sampler: string; readonly spec: SamplerOptionSpec }[];
}

/** Every option some registered sampler takes, in the order the registry first names them. */
function declarations(): OptionDeclarations[] {
  const byName = new Map<SamplerOptionName, { sampler: string; spec: SamplerOptionSpec }[]>();
  for (const sampler of samplers.names()) {
    for (const spec of samplers.get(sampler).options) {
      const list = byName.get(spec.name) ?? [];
      list.push({ sampler, spec });
      byName.set(spec.name, list);
    }
  }
  return [...byName].map(([name, declared]) => ({ name, flag: optionFlag(name), declared }));
}

const OPTIONS = declarations();

/** The flag kinds of every sampler option, for the command's flag table. */
export const SAMPLER_OPTION_FLAGS: Readonly<Record<string, 'string'>> = Object.fromEntries(OPTIONS.map((o) => [o.flag, 'string' as const]));

const fmt = (v: number) => String(+v.toPrecision(6));

/** Usage lines: each option's flag, whether it takes a whole number, what it does, and each sampler's range and default. */
export function samplerOptionUsage(): string[] {
  return OPTIONS.map((o) => {
    const kind = o.declared.every((d) => d.spec.integer) ? '<int>' : '<x>';
    const ranges = o.declared.map(({ sampler, spec }) => `${sampler} ${fmt(spec.min)}..${fmt(spec.max)} (default ${fmt(spec.default)})`).join('; ');
    return `  --${o.flag} ${kind}  ${o.declared[0].spec.label}: ${o.declared[0].spec.meaning}; ${ranges}`;
  });
}

/**
 * The sampler options given as flags, by option name. Only read as numbers here: whether the sampler takes the option,
 * and in what range, is for sampling.run to say (it names the option).
 */
export function samplerOptionValues(flags: FlagValues): Partial<Record<SamplerOptionName, number>> {
  const out: Partial<Record<SamplerOptionName, number>> = {};
  for (const o of OPTIONS) {
    const value = optionalNumber(flags, o.flag);
    if (value !== undefined) out[o.name] = value;
  }
  return out;
}
