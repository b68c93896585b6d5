// Tests of the restart policy, exit descriptions and message validation of the child-process layer.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeExit } from './exit-description';
import { MessageValidator } from './message-validator';
import { RestartPolicy } from './restart-policy';

describe('RestartPolicy', () => {
  it('restarts while fewer than 3 crashes fall inside 5 minutes', () => {
    let now = 0;
    const p = new RestartPolicy({ now: () => now });
    expect(p.recordCrash()).toBe(true);
    now = 60_000;
    expect(p.recordCrash()).toBe(true);
    now = 120_000;
    expect(p.recordCrash()).toBe(false);
    now = 120_000 + 5 * 60_000;
    expect(p.recordCrash()).toBe(true); // the older crashes left the window
  });
});

describe('describeExit', () => {
  it('names signals, out-of-memory and exit codes', () => {
    expect(describeExit({ code: null, signal: 'SIGKILL', reason: null, stderrTail: '' })).toBe('was killed (SIGKILL)');
    expect(describeExit({ code: 134, signal: null, reason: null, stderrTail: 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory' })).toBe('ran out of memory');
    expect(describeExit({ code: 9, signal: null, reason: 'oom', stderrTail: '' })).toBe('ran out of memory');
    expect(describeExit({ code: 11, signal: null, reason: 'crashed', stderrTail: '' })).toBe('crashed (exit code 11)');
    expect(describeExit({ code: 3, signal: null, reason: null, stderrTail: '' })).toBe('exited with code 3');
  });
});

describe('MessageValidator', () => {
  it('refuses bad outgoing messages and drops bad incoming ones with a reason', () => {
    const v = new MessageValidator(z.object({ type: z.literal('a') }), z.object({ type: z.literal('b'), n: z.number() }));
    expect(() => v.checkOutgoing({ type: 'x' })).toThrow(/invalid message/);
    const got: unknown[] = [];
    const problems: string[] = [];
    v.onMessage((m) => got.push(m));
    v.onInvalid((p) => problems.push(p));
    v.receive({ type: 'b', n: 1 });
    v.receive({ type: 'b', n: 'one' });
    expect(got).toEqual([{ type: 'b', n: 1 }]);
    expect(problems[0]).toMatch(/n: /);
  });
});
