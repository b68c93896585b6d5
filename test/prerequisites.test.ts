// The prerequisite check: there answers true; missing fails under CI with the install command and skips with one line elsewhere; .ci/run sets CI.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { have, inCi, missingLine, type Prerequisite } from './prerequisites';

const thing = (present: boolean, name = 'libfoo'): Prerequisite => ({ what: `Debian's ${name}`, install: `sudo apt-get install ${name}`, present: () => present });

describe('have', () => {
  afterEach(() => vi.restoreAllMocks());

  it('answers true for what is there, under CI or not', () => {
    expect(have(thing(true), { CI: '1' })).toBe(true);
    expect(have(thing(true), {})).toBe(true);
  });

  it('under CI a missing prerequisite throws the line with its install command', () => {
    expect(() => have(thing(false), { CI: 'true' })).toThrow(new Error("missing Debian's libfoo: install with `sudo apt-get install libfoo`"));
    expect(() => have(thing(false), { CI: '1' })).toThrow(/^missing Debian's libfoo/);
  });

  it('elsewhere it answers false and prints that line once', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const p = thing(false, 'libbar');
    expect(have(p, {})).toBe(false);
    expect(have(p, { CI: '' })).toBe(false);
    expect(warn.mock.calls).toEqual([[`skipped: ${missingLine(p)}`]]);
  });

  it('reads CI as set for any value but empty, 0 and false', () => {
    expect([{ CI: '1' }, { CI: 'true' }, { CI: 'woodpecker' }].map((e) => inCi(e))).toEqual([true, true, true]);
    expect([{}, { CI: '' }, { CI: '0' }, { CI: 'false' }, { CI: ' FALSE ' }].map((e) => inCi(e))).toEqual([false, false, false, false, false]);
  });
});

it('.ci/run exports CI before it runs npm test', () => {
  const lines = readFileSync('.ci/run', 'utf8').split('\n');
  const exported = lines.findIndex((l) => /^export CI=1$/.test(l.trim()));
  const test = lines.findIndex((l) => l.trim() === 'npm test');
  expect(exported).toBeGreaterThanOrEqual(0);
  expect(exported).toBeLessThan(test);
});
