// Tests of the shortcut registry: key combinations, typing in fields, keys a focused control keeps, conditions, duplicates, listing.
import { describe, expect, it, vi } from 'vitest';
import { comboOf, controlKeepsKey, createShortcutRegistry, isTyping } from './use-shortcuts';

const input = { tagName: 'INPUT', type: 'text' };

describe('shortcuts', () => {
  it('spells combinations the same whatever the platform modifier', () => {
    expect(comboOf({ key: 'Enter', ctrlKey: true })).toBe('Ctrl+Enter');
    expect(comboOf({ key: 'Enter', metaKey: true })).toBe('Ctrl+Enter');
    expect(comboOf({ key: '?', shiftKey: true })).toBe('?');
    expect(comboOf({ key: 'Tab', shiftKey: true })).toBe('Shift+Tab');
    expect(comboOf({ key: 'Z', ctrlKey: true, shiftKey: true })).toBe('Ctrl+Shift+z');
    expect(comboOf({ key: 'z', ctrlKey: true })).toBe('Ctrl+z');
    expect(comboOf({ key: 'A', shiftKey: true })).toBe('a');
    expect(comboOf({ key: ' ' })).toBe('Space');
  });

  it('knows when the focus is in a field', () => {
    expect(isTyping(input)).toBe(true);
    expect(isTyping({ tagName: 'SELECT' })).toBe(true);
    expect(isTyping({ tagName: 'INPUT', type: 'range' })).toBe(false);
    expect(isTyping({ tagName: 'BUTTON' })).toBe(false);
    expect(isTyping(null)).toBe(false);
  });

  it('runs the matching shortcut and prevents the default, but not while typing unless it allows that', () => {
    const r = createShortcutRegistry();
    const one = vi.fn();
    const save = vi.fn();
    r.register({ combo: '1', description: 'Data', group: 'Sections', run: one });
    r.register({ combo: 'Ctrl+s', description: 'Save', group: 'File', inFields: true, run: save });
    const preventDefault = vi.fn();
    expect(r.handle({ key: '1', preventDefault })).toBe(true);
    expect(one).toHaveBeenCalledOnce();
    expect(preventDefault).toHaveBeenCalledOnce();
    expect(r.handle({ key: '1', target: input })).toBe(false);
    expect(r.handle({ key: 's', ctrlKey: true, target: input })).toBe(true);
    expect(save).toHaveBeenCalledOnce();
    expect(r.handle({ key: '2' })).toBe(false);
  });

  it('honours a condition, throws on a duplicate within a group, and unregisters', () => {
    const r = createShortcutRegistry();
    let open = false;
    const close = vi.fn();
    const off = r.register({ combo: 'Escape', description: 'Close', group: 'Help', when: () => open, run: close });
    expect(r.handle({ key: 'Escape' })).toBe(false);
    open = true;
    expect(r.handle({ key: 'Escape' })).toBe(true);
    expect(() => r.register({ combo: 'Escape', description: 'again', group: 'Help', run: close })).toThrow(/twice/);
    off();
    expect(r.list()).toEqual([]);
    expect(r.handle({ key: 'Escape' })).toBe(false);
  });

  it('a focused slider keeps its arrows, a button its Enter, a checkbox its Space; a button gives Space to the shortcut', () => {
    const slider = { tagName: 'INPUT', type: 'range' };
    const button = { tagName: 'BUTTON' };
    expect(controlKeepsKey(slider, 'ArrowRight')).toBe(true);
    expect(controlKeepsKey(slider, 'Space')).toBe(false);
    expect(controlKeepsKey(button, 'Enter')).toBe(true);
    expect(controlKeepsKey(button, 'Space')).toBe(false);
    expect(controlKeepsKey({ tagName: 'INPUT', type: 'checkbox' }, 'Space')).toBe(true);
    expect(controlKeepsKey({ tagName: 'DIV' }, 'ArrowRight')).toBe(false);

    const r = createShortcutRegistry();
    const step = vi.fn();
    const play = vi.fn();
    r.register({ combo: 'ArrowRight', description: 'Step', group: 'Sample', run: step });
    r.register({ combo: 'Space', description: 'Play', group: 'Sample', run: play });
    expect(r.handle({ key: 'ArrowRight', target: slider })).toBe(false);
    expect(r.handle({ key: 'ArrowRight', target: button })).toBe(true);
    expect(r.handle({ key: ' ', target: button })).toBe(true);
    expect(r.handle({ key: ' ', target: input })).toBe(false);
    expect([step.mock.calls.length, play.mock.calls.length]).toEqual([1, 1]);
  });

  it('one combination in several groups: the newest binding whose condition holds runs', () => {
    const r = createShortcutRegistry();
    const train = vi.fn();
    const sample = vi.fn();
    let sampling = true;
    r.register({ combo: 'Space', description: 'Pause or resume', group: 'Train', run: train });
    const off = r.register({ combo: 'Space', description: 'Play', group: 'Sample', when: () => sampling, run: sample });
    r.handle({ key: ' ' });
    sampling = false;
    r.handle({ key: ' ' });
    off();
    sampling = true;
    r.handle({ key: ' ' });
    expect([sample.mock.calls.length, train.mock.calls.length]).toEqual([1, 2]);
  });

  it('lists declared keys whether bound or not, each group and combination once, declared ones first', () => {
    const r = createShortcutRegistry();
    r.register({ combo: '1', description: 'Go to Data', group: 'Sections', run: vi.fn() });
    r.declare([
      { combo: 'Space', description: 'Play', group: 'Sample' },
      { combo: 'Space', description: 'Play', group: 'Sample' },
    ]);
    expect(r.list().map((k) => `${k.group}:${k.combo}`)).toEqual(['Sample:Space', 'Sections:1']);
    const off = r.register({ combo: 'Space', description: 'Play', group: 'Sample', run: vi.fn() });
    expect(r.list()).toHaveLength(2);
    off();
    expect(r.list().map((k) => k.description)).toEqual(['Play', 'Go to Data']);
  });
});
