// What the Schedule section shows of each preset: label, formulas and parameter fields (MATH.md §1).
import type { ScheduleName } from '../../../src-core/schedules';

/** One numeric parameter of a preset, as the form shows it. */
interface ScheduleParamField {
  readonly key: string;
  readonly label: string;
  readonly default: number;
  readonly min: number;
  readonly max: number;
  readonly step: number;
  /** The formula the parameter enters, shown as its tooltip. */
  readonly formula: string;
}

/** A preset as the picker lists it. */
interface SchedulePresetInfo {
  readonly name: ScheduleName;
  readonly label: string;
  /** alpha_t and sigma_t in closed form. */
  readonly formula: string;
  readonly params: readonly ScheduleParamField[];
}

const ABAR_LINEAR = 'abar_t = exp(-(betaMin t + (betaMax - betaMin) t^2 / 2))';
const betaFields = (): ScheduleParamField[] => [
  { key: 'betaMin', label: 'beta min', default: 0.1, min: 0, max: 1000, step: 0.05, formula: `beta(t) = betaMin + (betaMax - betaMin) t; ${ABAR_LINEAR}` },
  { key: 'betaMax', label: 'beta max', default: 20, min: 0.01, max: 1000, step: 0.5, formula: `beta(t) = betaMin + (betaMax - betaMin) t; ${ABAR_LINEAR}` },
];

/** The presets in the order the picker shows them. */
export const SCHEDULE_PRESETS: readonly SchedulePresetInfo[] = [
  { name: 'linear', label: 'Linear (rectified flow)', formula: 'alpha_t = 1 - t, sigma_t = sigmaMin + (1 - sigmaMin) t', params: [
    { key: 'sigmaMin', label: 'sigma min', default: 0, min: 0, max: 0.99, step: 0.01, formula: 'sigma_t = sigmaMin + (1 - sigmaMin) t' },
  ] },
  { name: 'vp-linear', label: 'VP, linear beta', formula: `alpha_t = sqrt(abar_t), sigma_t = sqrt(1 - abar_t), ${ABAR_LINEAR}`, params: betaFields() },
  { name: 'vp-cosine', label: 'VP, cosine', formula: 'alpha_t = sqrt(abar_t), sigma_t = sqrt(1 - abar_t), abar_t = c(t)/c(0), c(t) = cos^2(((t + s)/(1 + s)) pi/2)', params: [
    { key: 's', label: 'offset s', default: 0.008, min: 0, max: 0.5, step: 0.001, formula: 'c(t) = cos^2(((t + s)/(1 + s)) pi/2)' },
  ] },
  { name: 'sub-vp', label: 'sub-VP', formula: `alpha_t = sqrt(abar_t), sigma_t = 1 - abar_t, ${ABAR_LINEAR}`, params: betaFields() },
  { name: 've', label: 'VE (NCSN)', formula: 'alpha_t = 1, sigma_t = sigmaMin (sigmaMax / sigmaMin)^t', params: [
    { key: 'sigmaMin', label: 'sigma min', default: 0.01, min: 1e-6, max: 1e6, step: 0.01, formula: 'sigma_t = sigmaMin (sigmaMax / sigmaMin)^t' },
    { key: 'sigmaMax', label: 'sigma max', default: 50, min: 1e-6, max: 1e6, step: 1, formula: 'sigma_t = sigmaMin (sigmaMax / sigmaMin)^t; sigmaMax should exceed the data diameter' },
  ] },
  { name: 'ddpm', label: 'DDPM (discrete)', formula: 'alpha_i = sqrt(abar_i), sigma_i = sqrt(1 - abar_i), abar_i = prod_{j<=i} (1 - beta_j), t_i = i / T', params: [
    { key: 'betaStart', label: 'beta start', default: 1e-4, min: 1e-6, max: 0.999, step: 1e-4, formula: 'beta_j linear from betaStart to betaEnd; abar_i = prod_{j<=i} (1 - beta_j)' },
    { key: 'betaEnd', label: 'beta end', default: 0.02, min: 1e-6, max: 0.999, step: 1e-3, formula: 'beta_j linear from betaStart to betaEnd; abar_i = prod_{j<=i} (1 - beta_j)' },
    { key: 'T', label: 'steps T', default: 1000, min: 2, max: 100_000, step: 1, formula: 't_i = i / T' },
  ] },
  { name: 'custom', label: 'Custom (draw log-SNR)', formula: 'VP: alpha_t^2 = sigmoid(lambda_t), sigma_t^2 = sigmoid(-lambda_t); VE: alpha_t = 1, sigma_t = exp(-lambda_t / 2)', params: [] },
];

/** The picker's entry for a preset name. */
export function presetInfo(name: string): SchedulePresetInfo {
  return SCHEDULE_PRESETS.find((p) => p.name === name) ?? SCHEDULE_PRESETS[0];
}

/** A preset's default parameters as a spec. */
export function defaultSpecOf(name: ScheduleName): Record<string, unknown> & { name: ScheduleName } {
  const spec: Record<string, unknown> & { name: ScheduleName } = { name };
  for (const f of presetInfo(name).params) spec[f.key] = f.default;
  return spec;
}
