// The Reference's keys, declared once: listed in the help overlay from the start, bound while the Reference is on screen.
import { studioShortcuts, type KeySpec } from '../composables/use-shortcuts';

const key = (combo: string, description: string, inFields = false): KeySpec => ({ combo, description, group: 'Reference', ...(inFields ? { inFields } : {}) });

/** Every key the Reference answers. */
export const REFERENCE_KEYS = {
  filter: key('/', 'Filter the formulas'),
  find: key('Ctrl+f', 'Filter the formulas, also from a field', true),
} as const;

studioShortcuts.declare(Object.values(REFERENCE_KEYS));
