// The Schedule section's state: the chosen preset and its parameters or custom log-SNR points, with undo and redo.
import { defineStore } from 'pinia';
import { computed, markRaw, readonly, ref } from 'vue';
import { createSchedule, SCHEDULE_NAMES, type Schedule, type ScheduleName, type ScheduleSpec } from '../../../src-core/schedules';
import { insertPoint, movePoint, pointsFromSchedule, removePoint, type ControlPoint } from './schedule-curves';
import { defaultSpecOf } from './schedule-presets';
import { messageOf } from '../../../src-core/errors';

/** A schedule spec as the store keeps it: a preset name with its parameters, or custom points. */
export type EditableSpec = ScheduleSpec & { readonly name: ScheduleName };

/** Most edits kept for undo. */
const UNDO_LIMIT = 100;

/** Where the section starts: rectified flow, the training default. */
const INITIAL: EditableSpec = { name: 'linear', sigmaMin: 0 };


/** The schedule a spec builds, or the reason it does not. */
function build(spec: EditableSpec): { schedule: Schedule | null; error: string | null } {
  try {
    return { schedule: markRaw(createSchedule(spec)), error: null };
  } catch (err) {
    return { schedule: null, error: messageOf(err) };
  }
}

export const useScheduleStore = defineStore('schedule', () => {
  const spec = ref<EditableSpec>(INITIAL);
  const past = ref<EditableSpec[]>([]);
  const future = ref<EditableSpec[]>([]);
  /** The spec before a drag started: the whole drag becomes one undo step. */
  let dragStart: EditableSpec | null = null;

  const built = computed(() => build(spec.value));
  /** The schedule drawn: the current one, or while a field holds an invalid value the latest valid one before it. */
  const schedule = computed<Schedule>(() => {
    if (built.value.schedule) return built.value.schedule;
    for (let i = past.value.length - 1; i >= 0; i--) {
      const earlier = build(past.value[i]).schedule;
      if (earlier) return earlier;
    }
    return markRaw(createSchedule(INITIAL));
  });
  const error = computed(() => built.value.error);
  const points = computed<readonly ControlPoint[]>(() => (spec.value.name === 'custom' ? (spec.value.points as ControlPoint[]) : []));
  const canUndo = computed(() => past.value.length > 0);
  const canRedo = computed(() => future.value.length > 0);
  /** The spec the training config takes, or null while it is invalid. */
  const validSpec = computed<EditableSpec | null>(() => (built.value.schedule ? spec.value : null));

  /** Replaces the spec as one undoable edit. */
  function commit(next: EditableSpec): void {
    if (JSON.stringify(next) === JSON.stringify(spec.value)) return;
    past.value = [...past.value.slice(-(UNDO_LIMIT - 1)), spec.value];
    future.value = [];
    spec.value = next;
  }

  /** Switches preset; custom starts from the current curve so the switch changes nothing yet. */
  function selectPreset(name: ScheduleName): void {
    if (!SCHEDULE_NAMES.includes(name) || name === spec.value.name) return;
    if (name === 'custom') commit({ name: 'custom', type: 'vp', points: pointsFromSchedule(schedule.value) });
    else commit(defaultSpecOf(name));
  }

  /** Sets one numeric parameter of the current preset (an invalid value is kept and reported in `error`). */
  function setParam(key: string, value: number): void {
    if (spec.value.name === 'custom' || !Number.isFinite(value)) return;
    commit({ ...spec.value, [key]: value });
  }

  /** VP (alpha^2 + sigma^2 = 1) or VE (alpha = 1) reading of a custom curve. */
  function setCustomType(type: 'vp' | 've'): void {
    if (spec.value.name !== 'custom') return;
    commit({ ...spec.value, type });
  }

  /** Starts a drag: the moves until endDrag make one undo step. */
  function beginDrag(): void {
    dragStart = spec.value;
  }

  /** Moves control point i, clamped so the curve stays strictly decreasing. */
  function movePointTo(i: number, t: number, logSnr: number): void {
    if (spec.value.name !== 'custom' || i < 0 || i >= points.value.length) return;
    const next = { ...spec.value, points: movePoint(points.value, i, t, logSnr) };
    if (dragStart) spec.value = next;
    else commit(next);
  }

  /** Ends a drag, recording it for undo if it changed anything. */
  function endDrag(): void {
    const start = dragStart;
    dragStart = null;
    if (!start || JSON.stringify(start) === JSON.stringify(spec.value)) return;
    past.value = [...past.value.slice(-(UNDO_LIMIT - 1)), start];
    future.value = [];
  }

  /** Adds a control point at t on the current curve; false if there is no room there. */
  function addPoint(t: number): boolean {
    if (spec.value.name !== 'custom') return false;
    const next = insertPoint(points.value, t, schedule.value.logSnr(t));
    if (next) commit({ ...spec.value, points: next });
    return next !== null;
  }

  /** Removes interior control point i. */
  function deletePoint(i: number): boolean {
    if (spec.value.name !== 'custom') return false;
    const next = removePoint(points.value, i);
    if (next) commit({ ...spec.value, points: next });
    return next !== null;
  }

  /** Steps back one edit. */
  function undo(): void {
    const prev = past.value.at(-1);
    if (!prev) return;
    past.value = past.value.slice(0, -1);
    future.value = [spec.value, ...future.value];
    spec.value = prev;
  }

  /** Steps forward one undone edit. */
  function redo(): void {
    const next = future.value[0];
    if (!next) return;
    future.value = future.value.slice(1);
    past.value = [...past.value, spec.value];
    spec.value = next;
  }

  /** Takes a whole spec (a reopened run's schedule) as one undoable edit. */
  function load(next: EditableSpec): void {
    commit(next);
  }

  /** Starts over from a spec (the one saved by the last session): no undo step back to the default. */
  function restore(next: EditableSpec): boolean {
    if (!build(next).schedule) return false;
    spec.value = next;
    past.value = [];
    future.value = [];
    return true;
  }

  return {
    spec: readonly(spec),
    schedule,
    error,
    points,
    validSpec,
    canUndo,
    canRedo,
    selectPreset,
    setParam,
    setCustomType,
    beginDrag,
    movePointTo,
    endDrag,
    addPoint,
    deletePoint,
    undo,
    redo,
    load,
    restore,
  };
});
