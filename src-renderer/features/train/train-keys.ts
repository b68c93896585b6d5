// The Train section's keys, declared once: listed in the help overlay from the start, bound while the section is on screen.
import { studioShortcuts, type KeySpec } from '../../composables/use-shortcuts';

const key = (combo: string, description: string, inFields = false): KeySpec => ({ combo, description, group: 'Train', ...(inFields ? { inFields } : {}) });

/** Every key the Train section answers. */
export const TRAIN_KEYS = {
  start: key('Ctrl+Enter', 'Start training with the form as it is (also from a field)', true),
  pause: key('Space', 'Pause or resume the run on screen'),
} as const;

studioShortcuts.declare(Object.values(TRAIN_KEYS));
