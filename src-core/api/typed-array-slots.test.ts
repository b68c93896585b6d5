// Typed arrays are allowed only where a schema names their class; one anywhere else is one short detail, found without walking it.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { misplacedTypedArrays } from './typed-array-slots';
import { MAX_DETAILS } from '../validation';

const float32 = z.instanceof(Float32Array);

describe('misplacedTypedArrays', () => {
  it('finds nothing where the schema takes the typed array, through wrappers, unions, lists and records', () => {
    const schema = z
      .object({
        points: float32,
        labels: z.instanceof(Int32Array).optional(),
        noise: float32.nullable().default(null),
        either: z.union([z.number(), z.instanceof(Uint8Array)]),
        files: z.array(z.object({ bytes: z.instanceof(Uint8Array) }).strict()),
        byName: z.record(z.string(), float32),
        piped: float32.transform((a) => a.length),
      })
      .strict();
    const params = {
      points: new Float32Array(4),
      labels: new Int32Array(2),
      noise: new Float32Array(2),
      either: new Uint8Array(3),
      files: [{ bytes: new Uint8Array(1) }, { bytes: new Uint8Array(2) }],
      byName: { a: new Float32Array(1) },
      piped: new Float32Array(1),
    };
    expect(misplacedTypedArrays(schema, params)).toEqual([]);
  });

  it('names each typed array out of place by its path, in words, without listing its elements', () => {
    const schema = z.object({ config: z.object({ steps: z.number() }).strict(), names: z.array(z.string()), title: z.string(), points: float32 }).strict();
    const found = misplacedTypedArrays(schema, { config: new Uint8Array(1_000_000), names: [new Float64Array(3)], title: new Int32Array(2), points: new Float64Array(2) });
    expect(found).toEqual([
      { path: ['config'], message: 'must be a group of settings, got binary data (a Uint8Array of 1000000 values)' },
      { path: ['names', 0], message: 'must be text, got binary data (a Float64Array of 3 values)' },
      { path: ['title'], message: 'must be text, got binary data (an Int32Array of 2 values)' },
      { path: ['points'], message: 'takes no binary data here, got binary data (a Float64Array of 2 values)' },
    ]);
    // the whole params as one typed array
    expect(misplacedTypedArrays(z.object({}).strict(), new Uint8Array(10))).toEqual([{ path: [], message: 'must be a group of settings, got binary data (a Uint8Array of 10 values)' }]);
  });

  it('refuses typed arrays inside values another schema checks later (unknown, custom) and under keys a strict object does not know', () => {
    const schema = z.object({ config: z.unknown(), spec: z.custom((v) => typeof v === 'object'), known: z.number() }).strict();
    const found = misplacedTypedArrays(schema, { config: { deep: [{ x: new Float32Array(1) }] }, spec: { a: new Uint8Array(1) }, stray: { b: new Uint8Array(1) } });
    expect(found.map((d) => d.path)).toEqual([
      ['config', 'deep', 0, 'x'],
      ['spec', 'a'],
      ['stray', 'b'],
    ]);
    // a key a non-strict object drops unread is left alone
    expect(misplacedTypedArrays(z.object({ known: z.number() }), { stray: new Uint8Array(1) })).toEqual([]);
  });

  it('follows the option a discriminator picks', () => {
    const schema = z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('file'), bytes: z.instanceof(Uint8Array) }).strict(),
      z.object({ kind: z.literal('oracle'), mixture: z.unknown() }).strict(),
    ]);
    expect(misplacedTypedArrays(schema, { kind: 'file', bytes: new Uint8Array(2) })).toEqual([]);
    expect(misplacedTypedArrays(schema, { kind: 'oracle', mixture: new Uint8Array(2) })).toEqual([
      { path: ['mixture'], message: 'takes no binary data here, got binary data (a Uint8Array of 2 values)' },
    ]);
  });

  it('stops at MAX_DETAILS and takes no longer for twelve million bytes than for twelve', () => {
    const many = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, new Uint8Array(1)]));
    expect(misplacedTypedArrays(z.object({}).strict(), many)).toHaveLength(MAX_DETAILS);
    const big = new Uint8Array(12 * 1024 * 1024);
    const start = performance.now();
    expect(misplacedTypedArrays(z.object({ a: z.object({}).strict() }).strict(), { a: big })).toHaveLength(1);
    expect(performance.now() - start).toBeLessThan(50);
  });
});
