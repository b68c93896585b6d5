// A run's backend decision as data: the backend chosen, its device, how it was chosen, and each one passed over with why and the fix.
import { z } from 'zod';
import { BACKEND_NAMES } from './backend';

/** How a backend was chosen: 'auto' took the fastest that runs here, 'forced' is the one the run asked for. */
const BACKEND_HOW = ['auto', 'forced'] as const;
/** One of BACKEND_HOW. */
export type BackendHow = (typeof BACKEND_HOW)[number];

const backendName = z.enum(BACKEND_NAMES);
/** What a person does to get a backend that cannot run, or null where no fix is known. */
const fix = z.string().min(1).nullable();

/** A backend that cannot run here: why, and the fix a person applies (null when none is known). */
const backendRefusalSchema = z.strictObject({ name: backendName, reason: z.string().min(1), fix });

/** The chosen backend, its device, how it was chosen, and every backend tried before it (empty when the first one ran). */
export const backendDecisionSchema = z.strictObject({
  name: backendName,
  device: z.string(),
  how: z.enum(BACKEND_HOW),
  tried: z.array(backendRefusalSchema).max(BACKEND_NAMES.length),
});

/**
 * A backend known only by name and a line of words: a run.json written before decisions were recorded (its sentence
 * kept whole), or a record rebuilt from a checkpoint. The note is shown as written, never read for meaning.
 */
const backendNoteSchema = z.strictObject({ name: z.string().min(1), note: z.string() });

/** What a run records about its backend: the decision, or a note where only words are known. */
export const runBackendSchema = z.union([backendDecisionSchema, backendNoteSchema]);

/** A backend that cannot run here, with its fix. */
export type BackendRefusal = z.output<typeof backendRefusalSchema>;
/** The backend decision of a run. */
export type BackendDecision = z.output<typeof backendDecisionSchema>;

/** The refusals as one line, 'a: why; b: why' (for logs and errors, never read back). */
export function refusalsLine(tried: readonly BackendRefusal[]): string {
  return tried.map((t) => `${t.name}: ${t.reason}`).join('; ');
}

/** The decision in one line for text output such as the command line's ('fastest backend that runs here: ...'). */
export function describeBackendDecision(d: BackendDecision): string {
  if (d.how === 'forced') return `asked for by the run (${d.device})`;
  return `fastest backend that runs here: ${d.name} on ${d.device}${d.tried.length ? `; skipped ${refusalsLine(d.tried)}` : ''}`;
}
