// Typed access to parsed command-line flags: required strings, numbers and integers with messages that name the flag.
import { StudioError } from '../../src-core/errors';

/** Flags as parseFlags returns them. */
export type FlagValues = Readonly<Record<string, string | boolean>>;

/** The string value of a flag, or undefined when it was left out. */
export function optionalString(flags: FlagValues, name: string): string | undefined {
  const v = flags[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new StudioError('invalid-argument', `--${name} needs a value`);
  return v;
}

/** The string value of a required flag. */
export function requiredString(flags: FlagValues, name: string): string {
  const v = optionalString(flags, name);
  if (v === undefined || v === '') throw new StudioError('invalid-argument', `missing --${name}`);
  return v;
}

/** A finite number flag, or undefined when left out. */
export function optionalNumber(flags: FlagValues, name: string): number | undefined {
  const v = optionalString(flags, name);
  if (v === undefined) return undefined;
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x)) throw new StudioError('invalid-argument', `--${name} must be a number, got '${v}'`);
  return x;
}

/** An integer flag >= min, or undefined when left out. */
export function optionalInteger(flags: FlagValues, name: string, min = 0): number | undefined {
  const x = optionalNumber(flags, name);
  if (x === undefined) return undefined;
  if (!Number.isSafeInteger(x) || x < min) throw new StudioError('invalid-argument', `--${name} must be an integer >= ${min}, got '${flags[name] as string}'`);
  return x;
}

/** A required integer flag >= min. */
export function requiredInteger(flags: FlagValues, name: string, min = 0): number {
  const x = optionalInteger(flags, name, min);
  if (x === undefined) throw new StudioError('invalid-argument', `missing --${name}`);
  return x;
}
