// NPY read/write: round trips for every dtype and shape, header layout, rejections, and random bytes giving only StudioErrors.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { StudioError } from '../errors';
import { npyToFloat32, npyToInt64, readNpy, writeNpy, type NpyArray } from './npy';

const shapeArb = fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 0, maxLength: 4 });

const arrayArb: fc.Arbitrary<NpyArray> = shapeArb.chain((shape) => {
  const n = shape.reduce((a, b) => a * b, 1);
  return fc.oneof(
    fc.array(fc.float({ noNaN: false }), { minLength: n, maxLength: n }).map((v): NpyArray => ({ dtype: 'float32', shape, data: Float32Array.from(v) })),
    fc.array(fc.double(), { minLength: n, maxLength: n }).map((v): NpyArray => ({ dtype: 'float64', shape, data: Float64Array.from(v) })),
    fc.array(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { minLength: n, maxLength: n }).map((v): NpyArray => ({ dtype: 'int64', shape, data: BigInt64Array.from(v) })),
    fc.array(fc.integer(), { minLength: n, maxLength: n }).map((v): NpyArray => ({ dtype: 'int32', shape, data: Int32Array.from(v) })),
  );
});

function sameBits(a: NpyArray, b: NpyArray): boolean {
  if (a.dtype !== b.dtype || a.data.length !== b.data.length || JSON.stringify(a.shape) !== JSON.stringify(b.shape)) return false;
  const ua = new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  const ub = new Uint8Array(b.data.buffer, b.data.byteOffset, b.data.byteLength);
  return ua.every((x, i) => x === ub[i]);
}

function onlyStudioErrors(bytes: Uint8Array): void {
  try {
    readNpy(bytes);
  } catch (e) {
    if (!(e instanceof StudioError)) throw e;
  }
}

function withHeader(header: string, data = new Uint8Array(0), major = 1): Uint8Array {
  const prefix = major === 1 ? 10 : 12;
  const text = header.padEnd(Math.ceil((prefix + header.length + 1) / 64) * 64 - prefix - 1, ' ') + '\n';
  const out = new Uint8Array(prefix + text.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, text.length, true);
  else view.setUint32(8, text.length, true);
  for (let i = 0; i < text.length; i++) out[prefix + i] = text.charCodeAt(i);
  out.set(data, prefix + text.length);
  return out;
}

describe('npy', () => {
  it('parse(serialize(x)) = x, bit for bit, for every dtype and shape', () => {
    fc.assert(fc.property(arrayArb, (a) => sameBits(readNpy(writeNpy(a)), a)), { numRuns: 300 });
  });

  it('writes a 64-byte aligned header in numpy\'s words', () => {
    const bytes = writeNpy({ dtype: 'float32', shape: [3], data: new Float32Array([1, 2, 3]) });
    const headerLength = new DataView(bytes.buffer).getUint16(8, true);
    expect((10 + headerLength) % 64).toBe(0);
    const text = new TextDecoder().decode(bytes.subarray(10, 10 + headerLength));
    expect(text.trimEnd()).toBe("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }");
    expect(bytes.length).toBe(10 + headerLength + 12);
  });

  it('switches to format 2.0 when the header outgrows 64 KiB', () => {
    const shape = new Array<number>(25_000).fill(1);
    const bytes = writeNpy({ dtype: 'float64', shape, data: new Float64Array([7]) });
    expect(bytes[6]).toBe(2);
    const back = readNpy(bytes);
    expect(back.shape).toHaveLength(25_000);
    expect(back.data[0]).toBe(7);
  });

  it('reads format 2.0 and 3.0 headers and double-quoted keys', () => {
    const data = new Uint8Array(new Float32Array([1.5, -2]).buffer);
    for (const major of [2, 3]) {
      const a = readNpy(withHeader('{"descr": "<f4", "fortran_order": False, "shape": (2,)}', data, major));
      expect([...npyToFloat32(a)]).toEqual([1.5, -2]);
    }
  });

  it('accepts Fortran order where it cannot matter (one non-trivial axis)', () => {
    const data = new Uint8Array(new Float32Array([1, 2, 3]).buffer);
    expect(readNpy(withHeader("{'descr': '<f4', 'fortran_order': True, 'shape': (3, 1), }", data)).shape).toEqual([3, 1]);
  });

  const rejections: [string, Uint8Array, RegExp][] = [
    ['Fortran order', withHeader("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", new Uint8Array(16)), /Fortran-ordered/],
    ['big-endian', withHeader("{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(8)), /big-endian/],
    ['object arrays', withHeader("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(8)), /object arrays/],
    ['structured arrays', withHeader("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", new Uint8Array(4)), /structured/],
    ['other dtypes', withHeader("{'descr': '<f2', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(2)), /'<f2' is not supported/],
    ['truncated data', withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", new Uint8Array(12)), /truncated/],
    ['trailing bytes', withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", new Uint8Array(12)), /after the data/],
    ['a missing shape', withHeader("{'descr': '<f4', 'fortran_order': False, }", new Uint8Array(0)), /'shape'/],
    ['a broken header', withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2,", new Uint8Array(8)), /header/],
    ['foreign bytes', new TextEncoder().encode('x,y\n1,2\n'), /magic/],
    ['an unknown version', withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", new Uint8Array(4), 9), /version 9/],
  ];
  for (const [what, bytes, message] of rejections) {
    it(`rejects ${what} with a message naming the problem`, () => {
      expect(() => readNpy(bytes)).toThrow(StudioError);
      expect(() => readNpy(bytes)).toThrow(message);
    });
  }

  it('refuses to write a shape that does not match the data', () => {
    expect(() => writeNpy({ dtype: 'float32', shape: [2, 2], data: new Float32Array(3) })).toThrow(/holds 4 elements/);
  });

  it('random bytes give only StudioErrors', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => onlyStudioErrors(b)), { numRuns: 500 });
  });

  it('random damage to a valid file gives a valid array or a StudioError', () => {
    const arb = fc.tuple(arrayArb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), fc.nat());
    fc.assert(
      fc.property(arb, ([a, flips, cut]) => {
        const bytes = writeNpy(a).slice();
        for (const [pos, value] of flips) bytes[pos % bytes.length] = value;
        onlyStudioErrors(bytes.subarray(0, cut % (bytes.length + 1)));
        onlyStudioErrors(bytes);
      }),
      { numRuns: 500 },
    );
  });

  it('converts between dtypes for the studio\'s uses', () => {
    expect([...npyToFloat32({ dtype: 'int64', shape: [2], data: new BigInt64Array([3n, -4n]) })]).toEqual([3, -4]);
    expect(() => npyToFloat32({ dtype: 'int64', shape: [1], data: new BigInt64Array([2n ** 40n]) })).toThrow(/float32/);
    expect([...npyToInt64({ dtype: 'float64', shape: [2], data: new Float64Array([1, 2]) })]).toEqual([1n, 2n]);
    expect(() => npyToInt64({ dtype: 'float32', shape: [1], data: new Float32Array([0.5]) })).toThrow(/not an integer/);
  });
});
