// UTF-8 in chunks: the valid prefix agrees with the platform's strict decoder, and a cut never changes the text or the first fault.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Utf8Chunks, validUtf8Prefix } from './text-input';

const strict = (b: Uint8Array): string | null => {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(b);
  } catch {
    return null;
  }
};

// bytes near the edges of the encoding: leads, continuations, surrogates, overlongs, past U+10FFFF
const edgy = fc.uint8Array({ maxLength: 40 }).chain((raw) =>
  fc.array(fc.constantFrom(0x41, 0x7f, 0x80, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xa0, 0xed, 0x9f, 0xef, 0xf0, 0x90, 0xf4, 0x8f, 0xf5, 0xff), { maxLength: 40 }).map((picked) => Uint8Array.from([...raw, ...picked].sort(() => 0))),
);
const mixed = fc.oneof(edgy, fc.string({ unit: 'binary' }).map((s) => new TextEncoder().encode(s)).chain((b) => fc.nat({ max: b.length }).map((cut) => b.subarray(0, cut))));

describe('validUtf8Prefix', () => {
  it('marks as valid exactly what the strict decoder accepts', () => {
    fc.assert(
      fc.property(mixed, (bytes) => {
        const { length, invalid } = validUtf8Prefix(bytes);
        expect(strict(bytes.subarray(0, length))).not.toBeNull();
        if (length === bytes.length) expect(strict(bytes)).not.toBeNull();
        else {
          expect(strict(bytes)).toBeNull();
          // an unfinished end is told apart from an invalid byte: only the latter stays invalid whatever follows
          if (!invalid) {
            const tail = [...bytes.subarray(length)];
            const endings = [0x80, 0x90, 0xa0].map((second) => Uint8Array.from([...tail, second, 0x80, 0x80].slice(0, 4)));
            expect(endings.some((e) => [1, 2, 3, 4].some((n) => n > tail.length && strict(e.subarray(0, n)) !== null))).toBe(true);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });
  it('refuses surrogates, overlong forms and code points past U+10FFFF', () => {
    for (const bad of [[0xed, 0xa0, 0x80], [0xc0, 0x80], [0xe0, 0x80, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80, 0x80, 0x80]]) {
      expect(validUtf8Prefix(Uint8Array.from(bad))).toEqual({ length: 0, invalid: true });
    }
    expect(validUtf8Prefix(Uint8Array.from([0x41, 0xf0, 0x9f, 0x98]))).toEqual({ length: 1, invalid: false });
  });
});

describe('Utf8Chunks', () => {
  const read = (bytes: Uint8Array, cuts: number[]) => {
    const chunks = new Utf8Chunks('test file');
    let text = '';
    const bounds = [0, ...cuts, bytes.length];
    try {
      for (let i = 0; i + 1 < bounds.length; i++) chunks.decode(bytes.subarray(bounds[i], bounds[i + 1]), (t) => (text += t));
      chunks.decode(new Uint8Array(0), (t) => (text += t), true);
      return { text, error: null };
    } catch (err) {
      return { text, error: (err as Error).message };
    }
  };
  it('gives the same text, and the text before the first fault, however the bytes are cut', () => {
    fc.assert(
      fc.property(mixed, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }), (bytes, f) => {
        const cuts = f.map((x) => Math.floor(x * bytes.length)).sort((a, b) => a - b);
        const whole = read(bytes, []);
        expect(read(bytes, cuts)).toEqual(whole);
        const ok = strict(bytes);
        if (ok !== null) expect(whole).toEqual({ text: ok.charCodeAt(0) === 0xfeff ? ok.slice(1) : ok, error: null });
        else expect(whole.error).toBe('the test file is not UTF-8 text');
      }),
      { numRuns: 3000 },
    );
  });
});
