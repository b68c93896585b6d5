// Schema problems reach a person in the studio's words, each with its path, bounded in number and length.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { StudioError } from './errors';
import { describeDetails, detailsOf, MAX_DETAIL_CHARS, MAX_DETAILS, parseOrThrow, safeParseStudio } from './validation';

const messages = (schema: z.ZodType, input: unknown) => {
  const r = safeParseStudio(schema, input);
  return r.success ? [] : detailsOf(r.error).map((d) => `${d.path.join('.')}: ${d.message}`);
};

describe('studio issue messages', () => {
  it('says what a number field needs without schema jargon', () => {
    const s = z.strictObject({ steps: z.number().int().min(1), lr: z.number().positive().max(10), keep: z.number().lt(1) });
    const out = messages(s, { steps: 0, lr: 11, keep: 1 });
    expect(out).toEqual(['steps: must be at least 1', 'lr: must be at most 10', 'keep: must be less than 1']);
    expect(messages(s, { steps: 1.5, lr: 'x', keep: 0 })).toEqual(["steps: must be a whole number, got 1.5", "lr: must be a number, got 'x'"]);
    expect(messages(z.number().positive(), 0)).toEqual([': must be more than 0']);
    for (const m of [...out, ...messages(s, { steps: 'a' })]) expect(m).not.toMatch(/Too small|expected|received|Invalid/);
  });

  it('names lists, choices and unknown settings plainly', () => {
    const s = z.strictObject({ hidden: z.array(z.number().int().min(1)).min(1), kind: z.enum(['adam', 'adamw']) });
    expect(messages(s, { hidden: 'a', kind: 'sgd', extra: 1 })).toEqual(["hidden: must be a list, got 'a'", "kind: must be one of 'adam', 'adamw'", ": unknown setting 'extra'"]);
    expect(messages(s, { hidden: [], kind: 'adam' })).toEqual(['hidden: needs at least 1 entry']);
    expect(messages(s, { hidden: [4, 0], kind: 'adam' })).toEqual(['hidden.1: must be at least 1']);
  });

  it("keeps a rule's own words", () => {
    const s = z.object({ id: z.string().regex(/^a/, 'must be a data-set folder name') });
    expect(messages(s, { id: 'b' })).toEqual(['id: must be a data-set folder name']);
  });

  it('bounds the details of a huge input', () => {
    const s = z.array(z.number());
    const r = safeParseStudio(s, Array.from({ length: 500 }, () => 'x'));
    expect(r.success).toBe(false);
    expect(detailsOf(r.error!)).toHaveLength(MAX_DETAILS);
    const long = z.string().refine(() => false, 'x'.repeat(5000));
    const d = detailsOf(safeParseStudio(long, 'a').error!);
    expect(d[0].message.length).toBe(MAX_DETAIL_CHARS);
    expect(describeDetails(detailsOf(r.error!), 3)).toMatch(/; and 17 more$/);
  });

  it('parseOrThrow throws a StudioError with the details as data', () => {
    const s = z.strictObject({ batchSize: z.number().int().min(1) });
    let caught: unknown;
    try {
      parseOrThrow(s, { batchSize: -3 }, 'invalid training config');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(StudioError);
    expect((caught as StudioError).code).toBe('invalid-argument');
    expect((caught as StudioError).details).toEqual([{ path: ['batchSize'], message: 'must be at least 1' }]);
    expect((caught as StudioError).message).toBe('invalid training config: batchSize: must be at least 1');
  });
});
