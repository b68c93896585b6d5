// The Sample section's keys, declared once: listed in the help overlay from the start, bound while the section is on screen.
import { studioShortcuts, type KeySpec } from '../../composables/use-shortcuts';

const key = (combo: string, description: string, inFields = false): KeySpec => ({ combo, description, group: 'Sample', ...(inFields ? { inFields } : {}) });

/** Every key the Sample section answers. */
export const SAMPLE_KEYS = {
  play: key('Space', 'Play or pause the steps'),
  next: key('ArrowRight', 'One step forward (a focused slider moves itself)'),
  previous: key('ArrowLeft', 'One step back (a focused slider moves itself)'),
  run: key('Enter', 'Sample both panels from the same noise'),
  runAnywhere: key('Ctrl+Enter', 'Sample both panels, also from a field', true),
} as const;

studioShortcuts.declare(Object.values(SAMPLE_KEYS));
