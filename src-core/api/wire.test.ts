// The wire codec: parse(serialise(x)) = x for any message, and random text gives only typed errors.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeWire, encodeWire, MAX_WIRE_DEPTH, MAX_WIRE_KEYS, MAX_WIRE_VALUES } from './wire';
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

describe('wire limits on costly shapes', () => {
  const frame = (params: string) => `{"id":1,"method":"m","params":${params}}`;
  const keys = (n: number) => `{${Array.from({ length: n }, (_, i) => `"k${i}":0`).join(',')}}`;
  const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

  it('refuses an object of too many members, too deep a nesting or too many values, before parsing it', () => {
    expect(() => decodeWire(frame(keys(MAX_WIRE_KEYS)))).not.toThrow();
    expect(() => decodeWire(frame(keys(MAX_WIRE_KEYS + 1)))).toThrow(/more than 1000 members/);
    expect(() => decodeWire(nested(MAX_WIRE_DEPTH))).not.toThrow();
    expect(() => decodeWire(nested(MAX_WIRE_DEPTH + 1))).toThrow(/nests deeper/);
    // MAX_WIRE_VALUES entries, then one more
    expect(() => decodeWire(`[${'0,'.repeat(MAX_WIRE_VALUES - 1)}0]`)).not.toThrow();
    expect(() => decodeWire(`[${'0,'.repeat(MAX_WIRE_VALUES)}0]`)).toThrow(/more than 1000000 values/);
    for (const text of [frame(keys(MAX_WIRE_KEYS + 1)), nested(MAX_WIRE_DEPTH + 1)]) {
      try {
        decodeWire(text);
      } catch (err) {
        expect(err).toBeInstanceOf(StudioError);
        expect((err as StudioError).code).toBe('invalid-message');
      }
    }
  });

  it('counts only structure: braces, colons, commas and escaped quotes inside strings are text', () => {
    const text = JSON.stringify({ s: '{"a":1,"b":[2,3]}'.repeat(200_000), t: 'a\\"b\\\\', u: '\\' });
    expect((decodeWire(text) as { s: string }).s.length).toBe(17 * 200_000);
    expect(decodeWire(JSON.stringify(['"', '\\', '\\"{', ':,']))).toEqual(['"', '\\', '\\"{', ':,']);
  });

  it('reads an object whose one key is an Object.prototype name as settings, not as a typed array', () => {
    expect(decodeWire('{"constructor":"AAAA"}')).toEqual({ constructor: 'AAAA' });
    expect(decodeWire('{"toString":1}')).toEqual({ toString: 1 });
  });

  it('refuses a 4 MiB frame of half a million keys in a fraction of the time JSON.parse alone takes', () => {
    const parts: string[] = [];
    let length = 0;
    for (let i = 0; length < 4 * 1024 * 1024 - 100; i++) {
      const member = `"${i.toString(36)}":0`;
      parts.push(member);
      length += member.length + 1;
    }
    const text = frame(`{${parts.join(',')}}`);
    const start = performance.now();
    expect(() => decodeWire(text)).toThrow(/members/);
    const refused = performance.now() - start;
    const parseStart = performance.now();
    JSON.parse(text);
    const parsed = performance.now() - parseStart;
    expect(refused).toBeLessThan(parsed / 5);
  });
});
