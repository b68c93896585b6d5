// Typed errors of the studio: every failure a caller can meet carries a stable code, and input problems their places as data.

/** The codes a StudioError can carry; they cross process boundaries unchanged. */
export const ERROR_CODES = [
  'invalid-argument',
  'invalid-shape',
  'not-finite',
  'unknown-name',
  'duplicate-name',
  'invalid-schedule',
  'invalid-message',
  'unknown-method',
  'cancelled',
  'not-found',
  'internal',
  'rate-limited',
] as const;

/** One problem with an input: where (a path into it) and what, in words a person can act on. */
export interface ErrorDetail {
  readonly path: (string | number)[];
  readonly message: string;
}

/** One of ERROR_CODES. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error with a stable code, a message meant for a person and, for bad input, each problem with its path. */
export class StudioError extends Error {
  readonly code: ErrorCode;
  readonly details: readonly ErrorDetail[];
  constructor(code: ErrorCode, message: string, details: readonly ErrorDetail[] = []) {
    super(message);
    this.name = 'StudioError';
    this.code = code;
    this.details = details;
  }
}

/** The message of anything thrown: an Error's own message, anything else as text. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Throws an invalid-argument error unless the condition holds. */
export function check(condition: unknown, message: string, code: ErrorCode = 'invalid-argument'): asserts condition {
  if (!condition) throw new StudioError(code, message);
}

/** Throws unless x is a finite number. */
export function checkFinite(x: number, what: string): void {
  if (!Number.isFinite(x)) throw new StudioError('not-finite', `${what} must be a finite number, got ${x}`);
}

/** Throws unless x is an integer >= min. */
export function checkInteger(x: number, what: string, min = 0): void {
  if (!Number.isInteger(x) || x < min) {
    throw new StudioError('invalid-argument', `${what} must be an integer >= ${min}, got ${x}`);
  }
}

/** Throws if an array holds a NaN or an infinity, naming the first bad index. */
export function checkAllFinite(a: ArrayLike<number>, what: string): void {
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) throw new StudioError('not-finite', `${what}[${i}] is ${a[i]}; expected a finite number`);
  }
}
