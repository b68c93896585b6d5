// Public entry of the schedules: the preset registry, the validated spec schema and createSchedule.
import { z } from 'zod';
import { StudioError } from '../errors';
import { parseOrThrow } from '../validation';
import { Registry } from '../registry';
import { customPreset } from './custom';
import { ddpmPreset } from './ddpm';
import { linearPreset } from './linear';
import type { SchedulePreset } from './preset';
import type { Schedule } from './schedule';
import { subVpPreset } from './sub-vp';
import { vePreset } from './ve';
import { vpCosinePreset } from './vp-cosine';
import { vpLinearPreset } from './vp-linear';

export type { Schedule, ScheduleSpec } from './schedule';
export { discreteSteps } from './ddpm';
export { COSINE_T_CLIP } from './vp-cosine';
export { pchip } from './pchip';

/** Every preset, declared once: the names, the spec schema and the registry all come from this list. */
const PRESETS = [vpLinearPreset, vpCosinePreset, subVpPreset, vePreset, linearPreset, ddpmPreset, customPreset] as const;

type SchemasOf<T extends readonly unknown[]> = { -readonly [K in keyof T]: T[K] extends SchedulePreset<infer S> ? S : never };

/** Every valid schedule spec: the union of the presets' schemas, keyed by name (defaults filled in). */
export const scheduleSpecSchema = z.discriminatedUnion('name', PRESETS.map((p) => p.schema) as unknown as SchemasOf<typeof PRESETS>);
/** A validated spec with every default filled in. */
type ValidScheduleSpec = z.output<typeof scheduleSpecSchema>;

/** One preset name. */
export type ScheduleName = ValidScheduleSpec['name'];

/** The preset names, in registration order. */
export const SCHEDULE_NAMES: readonly ScheduleName[] = PRESETS.map((p) => p.name as ScheduleName);

/** The schedule presets by name; registering a name twice throws. */
export const scheduleRegistry = new Registry<SchedulePreset>('schedule');
for (const preset of PRESETS) scheduleRegistry.register(preset.name, preset as SchedulePreset);

/** Validates a spec (JSON from the UI or a file) and builds its schedule; throws invalid-schedule or unknown-name. */
export function createSchedule(spec: unknown): Schedule {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new StudioError('invalid-schedule', `a schedule spec must be an object with a name, got ${spec === null ? 'null' : typeof spec}`);
  }
  const name = (spec as { name?: unknown }).name;
  if (typeof name !== 'string') {
    throw new StudioError('invalid-schedule', `a schedule spec needs a string name (one of ${SCHEDULE_NAMES.join(', ')})`);
  }
  const preset = scheduleRegistry.get(name);
  return preset.build(parseOrThrow(preset.schema, spec, `invalid '${name}' schedule`, 'invalid-schedule'));
}
