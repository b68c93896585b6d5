// Schema problems in the studio's own words, kept as data ({path, message}) from where they are found to where they are shown.
import type { z } from 'zod';
import { StudioError, type ErrorCode, type ErrorDetail } from './errors';

export type { ErrorDetail } from './errors';

/** At most this many details travel with one error (a huge input must not make a huge reply). */
export const MAX_DETAILS = 20;
/** Each detail's message is cut to this length for the same reason. */
export const MAX_DETAIL_CHARS = 300;

type RawIssue = z.core.$ZodRawIssue;

const plural = (n: number | bigint, one: string, many = `${one}s`) => `${n} ${Number(n) === 1 ? one : many}`;

function list(values: readonly unknown[]): string {
  const shown = values.slice(0, 8).map((v) => (typeof v === 'string' ? `'${v}'` : String(v)));
  return shown.join(', ') + (values.length > 8 ? `, … (${values.length} in all)` : '');
}

/** What a value of this type is called in a message. */
function typeWords(expected: string): string {
  switch (expected) {
    case 'int':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'array':
      return 'a list';
    case 'object':
      return 'a group of settings';
    case 'string':
      return 'text';
    case 'boolean':
      return 'yes or no (true or false)';
    default:
      return `a ${expected}`;
  }
}

function received(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (input === null) return 'null';
  if (typeof input === 'number') return String(input);
  if (typeof input === 'string') return input.length > 40 ? 'a long text' : `'${input}'`;
  if (Array.isArray(input)) return 'a list';
  return typeof input === 'object' ? 'a group of settings' : typeof input;
}

function bound(issue: { origin?: string }, limit: number | bigint, inclusive: boolean | undefined, side: 'least' | 'most'): string {
  switch (issue.origin) {
    case 'array':
    case 'set':
      return side === 'least' ? `needs at least ${plural(limit, 'entry', 'entries')}` : `takes at most ${plural(limit, 'entry', 'entries')}`;
    case 'string':
      return side === 'least' ? (Number(limit) === 1 ? 'must not be empty' : `needs at least ${plural(limit, 'character')}`) : `takes at most ${plural(limit, 'character')}`;
    default:
      if (inclusive === false) return side === 'least' ? `must be more than ${limit}` : `must be less than ${limit}`;
      return side === 'least' ? `must be at least ${limit}` : `must be at most ${limit}`;
  }
}

/**
 * The studio's message for a schema problem; a message the schema sets itself (a rule's own words) wins over it.
 * Pass as the `error` option of safeParse.
 */
function studioIssueMessage(issue: RawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      // NaN is what an empty or unreadable number field gives
      if (typeof issue.input === 'number' && Number.isNaN(issue.input)) return 'needs a number';
      return `must be ${typeWords(issue.expected)}, got ${received(issue.input)}`;
    case 'too_small':
      return bound(issue, issue.minimum, issue.inclusive, 'least');
    case 'too_big':
      return bound(issue, issue.maximum, issue.inclusive, 'most');
    case 'invalid_value':
      return issue.values.length === 1 ? `must be ${list(issue.values)}` : `must be one of ${list(issue.values)}`;
    case 'unrecognized_keys':
      return `unknown setting${issue.keys.length === 1 ? '' : 's'} ${list(issue.keys)}`;
    case 'invalid_format':
      return `is not in the expected form (${issue.format})`;
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    case 'invalid_union':
      return 'is none of the accepted forms';
    case 'invalid_key':
      return 'has a key that is not allowed';
    case 'invalid_element':
      return 'holds an entry that is not allowed';
    default:
      return 'is not allowed here';
  }
}

/** Parses with the studio's messages: safeParse with studioIssueMessage as the error map. */
export function safeParseStudio<S extends z.ZodType>(schema: S, input: unknown): z.ZodSafeParseResult<z.output<S>> {
  return schema.safeParse(input, { error: studioIssueMessage });
}

/** The problems of a failed parse as details, at most MAX_DETAILS, each message cut to MAX_DETAIL_CHARS. */
export function detailsOf(error: z.ZodError): ErrorDetail[] {
  return error.issues.slice(0, MAX_DETAILS).map((issue) => ({
    path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    message: issue.message.length > MAX_DETAIL_CHARS ? `${issue.message.slice(0, MAX_DETAIL_CHARS - 1)}…` : issue.message,
  }));
}

/** A path as a person reads it: 'model.hidden.1', or '(input)' for the whole. */
function pathText(path: readonly (string | number)[]): string {
  return path.length ? path.map(String).join('.') : '(input)';
}

/** Details as one line ('path: problem; ...'), for logs and the command line; code reads the details themselves. */
export function describeDetails(details: readonly ErrorDetail[], limit = 5): string {
  const shown = details.slice(0, limit).map((d) => `${pathText(d.path)}: ${d.message}`);
  return shown.join('; ') + (details.length > limit ? `; and ${details.length - limit} more` : '');
}

/** Parses input with the studio's messages, or throws a StudioError (code, `what: problems`) carrying each problem as a detail. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what: string, code: ErrorCode = 'invalid-argument'): z.output<S> {
  const parsed = safeParseStudio(schema, input);
  if (parsed.success) return parsed.data;
  const details = detailsOf(parsed.error);
  throw new StudioError(code, `${what}: ${describeDetails(details)}`, details);
}
