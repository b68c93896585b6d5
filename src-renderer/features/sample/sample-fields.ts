// The Sample section's numeric inputs, declared once with their bounds: how typed text is read, and what a run costs.

/** Most images a panel records (each at every step, x and x0: 64 MNIST digits over 500 steps are 200 MB a panel). */
const MAX_IMAGES = 64;

/** The numeric settings a person types. */
export type SampleFieldName = 'steps' | 'count' | 'images' | 'seed' | 'guidance';

/** One numeric input: its label (the words of the message) and the values it takes. */
export interface SampleField {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
  /** The input's arrow step ('any' where no one step suits the whole range). */
  readonly step: number | 'any';
  /** Why the bound is there, said after a value above it. */
  readonly why?: string;
}

/** Every numeric input of the Sample controls; the inputs, the store's checks and the stored session read these. */
export const SAMPLE_FIELDS: Readonly<Record<SampleFieldName, SampleField>> = {
  steps: { label: 'Steps', min: 1, max: 500, integer: true, step: 1, why: 'every step of both panels is kept for the scrubber' },
  count: { label: 'Particles', min: 10, max: 10_000, integer: true, step: 10, why: 'every particle is kept at every step' },
  images: { label: 'Images', min: 1, max: MAX_IMAGES, integer: true, step: 1, why: 'each image is kept at every step, with its predicted x0' },
  seed: { label: 'Seed', min: 0, max: 2 ** 31, integer: true, step: 1 },
  guidance: { label: 'Guidance w', min: 0, max: 20, integer: false, step: 0.5 },
};

// tolerances such as 1e-10 would round to 0 in plain notation
const fmt = (v: number) => (v !== 0 && Math.abs(v) < 1e-4 ? v.toExponential() : v.toLocaleString('en-US', { maximumFractionDigits: 6 }));

/** True if the value is one the field takes. */
export function fieldAccepts(name: SampleFieldName, value: unknown): value is number {
  const f = SAMPLE_FIELDS[name];
  return typeof value === 'number' && Number.isFinite(value) && (!f.integer || Number.isInteger(value)) && value >= f.min && value <= f.max;
}

/** Reads what was typed into a field: its value, or the message that says what is wrong, in the field's own words. */
export function readField(name: SampleFieldName, text: string): { readonly value: number } | { readonly problem: string } {
  return readNumber(SAMPLE_FIELDS[name], text);
}

/** Reads typed text against any numeric field's bounds (the sampler option fields use it with the studio's ranges). */
export function readNumber(f: SampleField, text: string): { readonly value: number } | { readonly problem: string } {
  const trimmed = text.trim();
  const range = `from ${fmt(f.min)} to ${fmt(f.max)}`;
  if (trimmed === '') return { problem: `${f.label} needs a value ${range}.` };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { problem: `${f.label} must be a number ${range}.` };
  if (f.integer && !Number.isInteger(value)) return { problem: `${f.label} must be a whole number ${range}; ${fmt(value)} is not.` };
  if (value < f.min) return { problem: `${f.label} must be at least ${fmt(f.min)}; ${fmt(value)} is below.` };
  if (value > f.max) return { problem: `${f.label} can be at most ${fmt(f.max)}${f.why ? ` (${f.why})` : ''}; ${fmt(value)} is above.` };
  return { value };
}

/** What one comparison asks of the studio: model evaluations and the memory its recorded steps take. */
interface SampleCost {
  /** Particles (or images) times steps, per panel. */
  readonly particleSteps: number;
  /** Bytes of the recorded states of both panels (with the predicted x0 for images). */
  readonly bytes: number;
  /** Seconds expected from the speed measured on this model's last comparison, or null before one. */
  readonly seconds: number | null;
}

/** A run is called costly above these: a wait of this many seconds, this much recorded memory, or (not yet measured) this much work. */
export const COSTLY = { seconds: 15, bytes: 256 * 2 ** 20, particleSteps: 2_000_000 } as const;

/** The cost of a comparison of n items of dim numbers over steps steps; secondsPerParticleStep from a run measured before, else null. */
export function sampleCost(n: number, steps: number, dim: number, images: boolean, secondsPerParticleStep: number | null): SampleCost {
  const particleSteps = n * steps;
  const bytes = 2 * (steps + 1) * n * dim * 4 * (images ? 2 : 1);
  return { particleSteps, bytes, seconds: secondsPerParticleStep === null ? null : particleSteps * secondsPerParticleStep };
}

/** Why a comparison would be slow or large, said before it starts, or null when it is not. */
export function costWarning(cost: SampleCost, what: 'particles' | 'images'): string | null {
  const parts: string[] = [];
  if (cost.seconds !== null && cost.seconds > COSTLY.seconds) parts.push(`about ${Math.round(cost.seconds)} s at the speed of this model's last run`);
  else if (cost.seconds === null && cost.particleSteps > COSTLY.particleSteps) parts.push(`${fmt(cost.particleSteps)} ${what} × steps a panel, which may take a while`);
  if (cost.bytes > COSTLY.bytes) parts.push(`${Math.round(cost.bytes / 2 ** 20)} MB of recorded steps in this page`);
  return parts.length ? `This run is costly: ${parts.join(', and ')}. Fewer ${what} or steps are quicker.` : null;
}
