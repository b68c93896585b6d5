// The wire codec: parse(serialise(x)) = x for any message, and random text gives only typed errors.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeWire, encodeWire } from './wire';
import { decodeBase64, encodeBase64 } from './base64';
import { StudioError } from '../errors';

describe('base64', () => {
  it('round-trips any bytes and matches the standard encoding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = encodeBase64(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64'));
        expect(decodeBase64(text)).toEqual(bytes);
      }),
    );
  });
  it('rejects malformed text with a typed error', () => {
    for (const bad of ['abc', 'ab!d', '====', 'é===']) expect(() => decodeBase64(bad)).toThrow(StudioError);
  });
});

describe('wire', () => {
  const message = fc.record({
    id: fc.integer({ min: 0 }),
    method: fc.string(),
    params: fc.record({
      text: fc.string(),
      xs: fc.float32Array({ noDefaultInfinity: false, maxLength: 50 }),
      ys: fc.float64Array({ maxLength: 20 }),
      nested: fc.array(fc.record({ k: fc.integer(), v: fc.boolean() }), { maxLength: 4 }),
    }),
  });
  it('restores every message, typed arrays included, bit for bit', () => {
    fc.assert(
      fc.property(message, (m) => {
        const back = decodeWire(encodeWire(m)) as typeof m;
        expect(back.id).toBe(m.id);
        expect(back.params.xs).toBeInstanceOf(Float32Array);
        expect(new Uint8Array(back.params.xs.buffer)).toEqual(new Uint8Array(m.params.xs.buffer));
        expect(back.params.ys).toBeInstanceOf(Float64Array);
        expect(back.params.nested).toEqual(m.params.nested);
        expect(back.params.text).toBe(m.params.text);
      }),
    );
  });
  it('turns any text into a value or a StudioError, never another exception', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.constantFrom('{"$f32":1}', '{"$f64":"AAA="}', '{"$f32":"AAAAAAA="}')), (text) => {
        try {
          decodeWire(text);
        } catch (err) {
          expect(err).toBeInstanceOf(StudioError);
        }
      }),
    );
  });
  it('drops __proto__ keys instead of polluting prototypes', () => {
    const out = decodeWire('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    expect(out.a).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });
});
