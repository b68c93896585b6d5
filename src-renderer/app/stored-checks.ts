// Small checks of values read back from storage, shared by the session's parts.

/** A plain JSON object (not null, not an array). */
type Json = Record<string, unknown>;

/** Whether a stored value is a plain object. */
export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Whether a stored value is a finite number. */
export const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
/** Whether a stored value is an integer in [lo, hi]. */
export const intIn = (v: unknown, lo: number, hi: number): v is number => finite(v) && Number.isInteger(v) && v >= lo && v <= hi;
