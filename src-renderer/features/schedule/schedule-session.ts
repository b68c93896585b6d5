// The schedule as the session keeps it: the spec being edited, checked by building it.
import { createSchedule, SCHEDULE_NAMES } from '../../../src-core/schedules';
import { sessionPart } from '../../app/session-parts';
import { isObject } from '../../app/stored-checks';
import { useScheduleStore, type EditableSpec } from './schedule.store';

declare module '../../app/session-parts' {
  interface SessionSnapshot {
    schedule?: EditableSpec;
  }
}

/** A schedule spec that builds a schedule. */
function checkSchedule(v: unknown): EditableSpec | undefined {
  if (!isObject(v) || !(SCHEDULE_NAMES as readonly unknown[]).includes(v.name)) return undefined;
  try {
    createSchedule(v);
    return v as unknown as EditableSpec;
  } catch {
    return undefined;
  }
}

/** The Schedule section's part of the session. */
export const SCHEDULE_SESSION = sessionPart({
  key: 'schedule',
  check: checkSchedule,
  bind() {
    const schedule = useScheduleStore();
    return {
      save: () => JSON.parse(JSON.stringify(schedule.spec)),
      restore: (spec) => schedule.restore(spec),
      watched: () => schedule.spec,
    };
  },
});
