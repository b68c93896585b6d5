// Where a method's params may hold typed arrays: only where its schema names their class, found before zod walks them key by key.
import type { z } from 'zod';
import { MAX_DETAILS, type ErrorDetail } from '../validation';
import { MAX_WIRE_DEPTH } from './wire';

// zod sees a typed array as an object with one key per element: a strict object schema lists all of them as
// unknown keys (12 million for a 16 MiB frame: seconds of work and gigabytes), a catch-all copies them.
// So typed arrays are matched against the schema first, and one out of place is one short detail.

/** The parts of a zod definition this walk reads (zod 4 keeps them on schema._zod.def). */
interface Def {
  readonly type: string;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly getter?: () => z.ZodType;
  readonly shape?: Record<string, z.ZodType>;
  readonly catchall?: z.ZodType;
  readonly element?: z.ZodType;
  readonly items?: readonly z.ZodType[];
  readonly rest?: z.ZodType | null;
  readonly valueType?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly discriminator?: string;
  readonly left?: z.ZodType;
  readonly right?: z.ZodType;
}

/** Schemas that only wrap another (the typed array slot is the inner one's). */
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'nonoptional', 'readonly', 'catch', 'success']);

/** What a value must be there, in the words the studio's validation messages use. */
const EXPECTED: Record<string, string> = {
  object: 'a group of settings',
  record: 'a group of settings',
  array: 'a list',
  tuple: 'a list',
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'yes or no (true or false)',
  enum: 'one of the named choices',
  literal: 'one of the named choices',
};

const defOf = (schema: z.ZodType): Def => schema._zod.def as unknown as Def;

/** The schema under wrappers, pipes and lazy references. */
function unwrap(schema: z.ZodType): z.ZodType {
  for (let i = 0; i < 32; i++) {
    const def = defOf(schema);
    if (WRAPPERS.has(def.type) && def.innerType) schema = def.innerType;
    else if (def.type === 'pipe' && def.in) schema = def.in;
    else if (def.type === 'lazy' && def.getter) schema = def.getter();
    else break;
  }
  return schema;
}

/** The typed-array class a schema names (z.instanceof), if any. */
function classOf(schema: z.ZodType): unknown {
  return (schema._zod.bag as { Class?: unknown }).Class;
}

function accepts(schema: z.ZodType, value: ArrayBufferView): boolean {
  const inner = unwrap(schema);
  const def = defOf(inner);
  if (def.type === 'union') return (def.options ?? []).some((option) => accepts(option, value));
  if (def.type === 'intersection') return !!def.left && !!def.right && accepts(def.left, value) && accepts(def.right, value);
  const Class = classOf(inner);
  return typeof Class === 'function' && value instanceof Class;
}

function describe(value: ArrayBufferView): string {
  const count = (value as unknown as { length?: number }).length ?? value.byteLength;
  const name = value.constructor.name;
  return `binary data (${/^[AEIO]/.test(name) ? 'an' : 'a'} ${name} of ${count} values)`;
}

function misplaced(schema: z.ZodType | null, value: ArrayBufferView): string {
  const expected = schema ? EXPECTED[defOf(unwrap(schema)).type] : undefined;
  return expected ? `must be ${expected}, got ${describe(value)}` : `takes no binary data here, got ${describe(value)}`;
}

/** A union's options worth trying for value: those whose discriminator names value's, when it has one that does. */
function optionsFor(def: Def, value: object): readonly z.ZodType[] {
  const options = def.options ?? [];
  const key = def.discriminator;
  if (key === undefined || !isPlainObject(value)) return options;
  const matching = options.filter((option) => defOf(unwrap(option)).shape?.[key]?._zod.values?.has(value[key] as never));
  return matching.length ? matching : options;
}

const isPlainObject = (v: object): v is Record<string, unknown> => !Array.isArray(v) && !ArrayBuffer.isView(v);

/**
 * Finds the typed arrays of value that sit where schema does not name their class, as details (at most MAX_DETAILS).
 * A null schema is a value another schema checks later (z.unknown(), a custom check): it takes none.
 * The walk never enters a typed array, so its cost is the number of plain values, whatever the bytes.
 */
function visit(schema: z.ZodType | null, value: unknown, path: (string | number)[], out: ErrorDetail[], depth: number): void {
  if (out.length >= MAX_DETAILS || depth > MAX_WIRE_DEPTH || value === null || typeof value !== 'object') return;
  if (ArrayBuffer.isView(value)) {
    if (!schema || !accepts(schema, value)) out.push({ path, message: misplaced(schema, value) });
    return;
  }
  const inner = schema && unwrap(schema);
  const def = inner && defOf(inner);
  const each = (child: (key: string | number) => z.ZodType | null | undefined) => {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length && out.length < MAX_DETAILS; i++) {
        const s = child(i);
        if (s !== undefined) visit(s, value[i], [...path, i], out, depth + 1);
      }
    } else if (isPlainObject(value)) {
      for (const key of Object.keys(value)) {
        if (out.length >= MAX_DETAILS) return;
        const s = child(key);
        if (s !== undefined) visit(s, value[key], [...path, key], out, depth + 1);
      }
    }
  };
  if (!def) return each(() => null);
  switch (def.type) {
    case 'object': {
      if (!isPlainObject(value)) return;
      const strict = def.catchall !== undefined && defOf(def.catchall).type === 'never';
      // a key the shape does not name: the catch-all's, none at all in a strict object, dropped unread otherwise
      const other = strict ? null : def.catchall;
      return each((key) => (Object.hasOwn(def.shape ?? {}, key) ? def.shape![key as string] : other));
    }
    case 'record':
      return isPlainObject(value) ? each(() => def.valueType ?? null) : undefined;
    case 'array':
      return Array.isArray(value) ? each(() => def.element ?? null) : undefined;
    case 'tuple':
      return Array.isArray(value) ? each((i) => def.items?.[i as number] ?? def.rest ?? undefined) : undefined;
    case 'union': {
      // the option that leaves fewest typed arrays out of place (none, for a request that fits one)
      let best: ErrorDetail[] | null = null;
      for (const option of optionsFor(def, value)) {
        const found: ErrorDetail[] = [];
        visit(option, value, path, found, depth);
        if (best === null || found.length < best.length) best = found;
        if (found.length === 0) break;
      }
      out.push(...(best ?? []).slice(0, MAX_DETAILS - out.length));
      return;
    }
    case 'intersection':
      if (def.left) visit(def.left, value, path, out, depth);
      if (def.right) visit(def.right, value, path, out, depth);
      return;
    case 'custom':
      // z.instanceof refuses anything else by its class; another custom check reads the value later
      return classOf(inner) ? undefined : each(() => null);
    case 'any':
    case 'unknown':
      return each(() => null);
    default:
      // any other schema refuses an object by its type, at once
      return;
  }
}

/** The typed arrays of params that the schema has no place for, each as a detail {path, message}; empty when all fit. */
export function misplacedTypedArrays(schema: z.ZodType, params: unknown): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  visit(schema, params, [], out, 0);
  return out;
}
