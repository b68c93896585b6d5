// Tests of the schedule store: presets, parameters, custom points kept monotone, drags as one undo step, undo/redo.
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { createSchedule } from '../../../src-core/schedules';
import { useScheduleStore } from './schedule.store';

describe('schedule store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('starts on the linear preset, whose alpha at t = 0.5 is 0.5', () => {
    const store = useScheduleStore();
    expect(store.spec).toEqual({ name: 'linear', sigmaMin: 0 });
    expect(store.schedule.alpha(0.5)).toBeCloseTo(0.5, 12);
    expect(store.validSpec).toEqual({ name: 'linear', sigmaMin: 0 });
  });

  it('a preset comes with its MATH.md defaults and builds the same schedule as createSchedule', () => {
    const store = useScheduleStore();
    store.selectPreset('vp-linear');
    expect(store.spec).toEqual({ name: 'vp-linear', betaMin: 0.1, betaMax: 20 });
    expect(store.schedule.alpha(0.3)).toBeCloseTo(createSchedule({ name: 'vp-linear' }).alpha(0.3), 12);
    store.selectPreset('ddpm');
    expect(store.spec).toEqual({ name: 'ddpm', betaStart: 1e-4, betaEnd: 0.02, T: 1000 });
  });

  it('an invalid parameter is reported and the last good schedule stays; the training config gets null', () => {
    const store = useScheduleStore();
    store.selectPreset('ve');
    store.setParam('sigmaMax', 0.001);
    expect(store.error).toMatch(/sigmaMax/);
    expect(store.validSpec).toBeNull();
    expect(store.schedule.sigma(1)).toBeCloseTo(50, 9);
    store.undo();
    expect(store.error).toBeNull();
  });

  it('custom starts from the current curve and keeps every edit strictly decreasing', () => {
    const store = useScheduleStore();
    store.selectPreset('custom');
    const pts = store.points;
    expect(pts[0].t).toBe(0);
    expect(pts.at(-1)?.t).toBe(1);
    for (let i = 1; i < pts.length; i++) expect(pts[i].logSnr).toBeLessThan(pts[i - 1].logSnr);
    // Pull point 2 above point 1 and past it in t: both are clamped.
    store.movePointTo(2, 0.05, 100);
    const moved = store.points;
    expect(moved[2].t).toBeGreaterThan(moved[1].t);
    expect(moved[2].logSnr).toBeLessThan(moved[1].logSnr);
    expect(store.error).toBeNull();
    // The end points keep their t.
    store.movePointTo(0, 0.4, 5);
    expect(store.points[0].t).toBe(0);
  });

  it('a drag is one undo step; undo and redo walk the history', () => {
    const store = useScheduleStore();
    store.selectPreset('custom');
    const before = store.schedule.alpha(0.5);
    store.beginDrag();
    for (const l of [-0.5, 0, 0.25, 0.5]) store.movePointTo(3, 0.6, l);
    store.endDrag();
    expect(store.schedule.alpha(0.5)).not.toBeCloseTo(before, 6);
    store.undo();
    expect(store.schedule.alpha(0.5)).toBeCloseTo(before, 12);
    expect(store.spec.name).toBe('custom');
    store.undo();
    expect(store.spec.name).toBe('linear');
    expect(store.canUndo).toBe(false);
    store.redo();
    store.redo();
    expect(store.points[3]).toEqual({ t: 0.6, logSnr: 0.5 });
    expect(store.canRedo).toBe(false);
  });

  it('adds and removes interior points; the ends cannot be removed', () => {
    const store = useScheduleStore();
    store.selectPreset('custom');
    const n = store.points.length;
    expect(store.addPoint(0.1)).toBe(true);
    expect(store.points).toHaveLength(n + 1);
    expect(store.deletePoint(0)).toBe(false);
    expect(store.deletePoint(1)).toBe(true);
    expect(store.points).toHaveLength(n);
  });

  it('VE reading of a custom curve gives alpha = 1', () => {
    const store = useScheduleStore();
    store.selectPreset('custom');
    store.setCustomType('ve');
    expect(store.schedule.alpha(0.5)).toBe(1);
    expect(store.validSpec?.type).toBe('ve');
  });

  it('restore takes a saved spec without an undo step, and refuses one that builds no schedule', () => {
    const store = useScheduleStore();
    expect(store.restore({ name: 'vp-cosine', s: 0.008 } as never)).toBe(true);
    expect(store.spec.name).toBe('vp-cosine');
    expect(store.canUndo).toBe(false);
    expect(store.restore({ name: 've', sigmaMin: 1, sigmaMax: 0.5 } as never)).toBe(false);
    expect(store.spec.name).toBe('vp-cosine');
  });
});
