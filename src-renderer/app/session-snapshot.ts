// What the session store keeps in localStorage: the section shown and each registered part, checked on the way back in.
import { sectionFromHash } from '../sections';
import { sessionParts, type SessionSnapshot } from './session-parts';

export type { SessionSnapshot } from './session-parts';
import { isObject } from './stored-checks';

/** The localStorage key. */
export const SESSION_KEY = 'studio.session';
/** Bumped when the shape changes; a snapshot of another version is ignored whole. */
const SESSION_VERSION = 1;


/** A hash such as '#train' or '#reference/sampling/gamma-family' that names a real section. */
function checkHash(v: unknown): string | undefined {
  if (typeof v !== 'string' || !/^#[a-z0-9-]+(\/[a-z0-9-]+){0,2}$/.test(v)) return undefined;
  return sectionFromHash(v) === v.slice(1).split('/')[0] ? v : undefined;
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
  const parts: Record<string, unknown> = { hash: checkHash(raw.hash) };
  for (const part of sessionParts()) parts[part.key] = part.check(raw[part.key]);
  return Object.fromEntries(Object.entries(parts).filter(([, x]) => x !== undefined)) as SessionSnapshot;
}

/** The text stored for a snapshot. */
export function serializeSnapshot(s: SessionSnapshot): string {
  return JSON.stringify({ version: SESSION_VERSION, ...s });
}
