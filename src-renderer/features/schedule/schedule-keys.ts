// The Schedule section's keys, declared once: listed in the help overlay from the start, bound while the section is on screen.
import { studioShortcuts, type KeySpec } from '../../composables/use-shortcuts';

const key = (combo: string, description: string): KeySpec => ({ combo, description, group: 'Schedule' });

/** Every key the Schedule section answers (a text field keeps its own undo). */
export const SCHEDULE_KEYS = {
  undo: key('Ctrl+z', 'Undo a schedule edit'),
  redo: key('Ctrl+Shift+z', 'Redo it'),
  redoY: key('Ctrl+y', 'Redo it'),
} as const;

studioShortcuts.declare(Object.values(SCHEDULE_KEYS));
