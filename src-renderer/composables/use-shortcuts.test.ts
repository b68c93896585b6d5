// Tests of the shortcut registry: key combinations, typing in fields, conditions, duplicates and primary actions.
import { describe, expect, it, vi } from 'vitest';
import { comboOf, createShortcutRegistry, isTyping } from './use-shortcuts';

const input = { tagName: 'INPUT', type: 'text' };

describe('shortcuts', () => {
  it('spells combinations the same whatever the platform modifier', () => {
    expect(comboOf({ key: 'Enter', ctrlKey: true })).toBe('Ctrl+Enter');
    expect(comboOf({ key: 'Enter', metaKey: true })).toBe('Ctrl+Enter');
    expect(comboOf({ key: '?', shiftKey: true })).toBe('?');
    expect(comboOf({ key: 'Tab', shiftKey: true })).toBe('Shift+Tab');
    expect(comboOf({ key: 'Z', ctrlKey: true, shiftKey: true })).toBe('Ctrl+z');
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

  it('honours a condition, throws on a duplicate, and unregisters', () => {
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

  it('delegates the primary action to the section that offers one', () => {
    const r = createShortcutRegistry();
    const sample = vi.fn();
    const off = r.setPrimary('sample', sample);
    expect(r.runPrimary('sample')).toBe(true);
    expect(r.runPrimary('schedule')).toBe(false);
    expect(sample).toHaveBeenCalledOnce();
    off();
    expect(r.runPrimary('sample')).toBe(false);
  });
});
