// The Sample section's sampler pickers and option fields, derived from the studio's own list (sampling.samplers).
import type { DeepReadonly } from 'vue';
import type { SamplerInfo, SamplerOptionInfo } from '../../../src-core/api/methods/sampling';
import type { SamplerKind, SamplerOptionName, SamplerOptionValues } from '../../../src-core/sampling/types';
import type { SampleField } from './sample-fields';

/** The two panels: the left one integrates an ODE, the right one draws noise. */
export type Panel = 'ode' | 'sde';

/** The panel that offers each kind and the words its group goes under (ODE solvers that pick their own steps apart). */
const KINDS: Readonly<Record<SamplerKind, { readonly panel: Panel; readonly label: string }>> = {
  ode: { panel: 'ode', label: 'ODE' },
  sde: { panel: 'sde', label: 'SDE' },
  ancestral: { panel: 'sde', label: 'Ancestral' },
  langevin: { panel: 'sde', label: 'Langevin' },
};

/** The words a kind goes under. */
export const kindLabel = (kind: SamplerKind) => KINDS[kind].label;

/** The option the slider between the panels sets for the right panel (0 on the left, which is the ODE). */
export const SLIDER_OPTION: SamplerOptionName = 'gamma';

/** Whether the slider drives this sampler (true while the list has not come: the first sampler offered takes it). */
export const takesSlider = (info: DeepReadonly<SamplerInfo> | undefined) => !info || info.options.some((o) => o.name === SLIDER_OPTION);

/** One group of a picker. */
interface SamplerGroup {
  /** The kind, with '-adaptive' for ODE solvers whose steps are not the grid's. */
  readonly key: string;
  readonly label: string;
  readonly panel: Panel;
  readonly samplers: readonly SamplerInfo[];
}

/** Every sampler of the list in a group of its kind, in the order of the kinds and then of the list; empty groups left out. */
export function samplerGroups(list: readonly SamplerInfo[]): SamplerGroup[] {
  const groups: SamplerGroup[] = [];
  for (const [kind, { panel, label }] of Object.entries(KINDS) as [SamplerKind, (typeof KINDS)[SamplerKind]][]) {
    const ofKind = list.filter((s) => s.kind === kind);
    const fixed = ofKind.filter((s) => s.nfePerStep !== 'adaptive');
    const adaptive = ofKind.filter((s) => s.nfePerStep === 'adaptive');
    if (fixed.length) groups.push({ key: kind, label, panel, samplers: fixed });
    if (adaptive.length) groups.push({ key: `${kind}-adaptive`, label: `${label}, adaptive steps`, panel, samplers: adaptive });
  }
  return groups;
}

/** The options a panel shows a field for when it runs this sampler: all it takes, but the slider's on the right. */
export function optionFields(info: SamplerInfo | undefined, panel: Panel): readonly SamplerOptionInfo[] {
  return (info?.options ?? []).filter((o) => !(panel === 'sde' && o.name === SLIDER_OPTION));
}

/** An option as a numeric field of the controls: its label and the range the studio declares. */
export function optionField(o: SamplerOptionInfo): SampleField {
  return { label: o.label, min: o.min, max: o.max, integer: o.integer, step: o.integer ? 1 : 'any' };
}

/** The key of an option's typed text and message: the sampler and the option. */
export const optionKey = (sampler: string, option: SamplerOptionName) => `${sampler}.${option}`;

/**
 * The options a panel's request sets: the slider's gamma where the sampler takes it (0 on the left) and the values the person
 * typed for this sampler; the rest are left to the studio, which takes the same defaults as the fields show.
 */
export function requestOptions(info: SamplerInfo | undefined, panel: Panel, typed: SamplerOptionValues | undefined, gamma: number): SamplerOptionValues {
  const out: Partial<Record<SamplerOptionName, number>> = {};
  for (const o of info?.options ?? []) {
    if (o.name === SLIDER_OPTION) out[o.name] = panel === 'sde' ? gamma : 0;
    else if (typed?.[o.name] !== undefined) out[o.name] = typed[o.name];
  }
  return out;
}
