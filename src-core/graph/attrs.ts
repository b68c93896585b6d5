// Attribute constructors and typed getters with defaults.
import { StudioError } from '../errors';
import type { Attr, Attrs } from './types';

/** An integer attribute. */
export const int = (value: number): Attr => ({ kind: 'int', value });
/** A float attribute. */
export const float = (value: number): Attr => ({ kind: 'float', value });
/** A list-of-integers attribute. */
export const ints = (value: readonly number[]): Attr => ({ kind: 'ints', value: [...value] });
/** A string attribute. */
export const str = (value: string): Attr => ({ kind: 'string', value });

function get<K extends Attr['kind']>(attrs: Attrs, name: string, kind: K): Extract<Attr, { kind: K }> | undefined {
  const a = attrs[name];
  if (a === undefined) return undefined;
  if (a.kind !== kind) throw new StudioError('invalid-argument', `attribute '${name}' must be ${kind}, got ${a.kind}`);
  return a as Extract<Attr, { kind: K }>;
}

/** The integer attribute, or the fallback when absent. */
export function attrInt(attrs: Attrs, name: string, fallback: number): number {
  return get(attrs, name, 'int')?.value ?? fallback;
}

/** The float attribute, or the fallback when absent. */
export function attrFloat(attrs: Attrs, name: string, fallback: number): number {
  return get(attrs, name, 'float')?.value ?? fallback;
}

/** The integer-list attribute, or undefined when absent. */
export function attrInts(attrs: Attrs, name: string): readonly number[] | undefined {
  return get(attrs, name, 'ints')?.value;
}

/** Throws unless every attribute name is one the op accepts. */
export function checkAttrNames(op: string, attrs: Attrs, allowed: readonly string[]): void {
  for (const k of Object.keys(attrs)) {
    if (!allowed.includes(k)) throw new StudioError('invalid-argument', `${op} has no attribute '${k}'; it accepts: ${allowed.join(', ') || 'none'}`);
  }
}
