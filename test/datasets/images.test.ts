// Image decoding and image folders: PNG (8/16/1-bit, palette, alpha) and JPEG, size checks, labels from subfolders.
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { zlibSync } from 'fflate';
import fc from 'fast-check';
import { encode as encodePng } from 'fast-png';
import { failure, pngOf } from './fixtures';
import jpeg from 'jpeg-js';
import { StudioError } from '../../src-core/errors';
import { parseDataFile, parseImageFolder } from '../../src-core/io/data-file';
import { decodeImage } from '../../src-core/io/image-decode';
import { parseImageSet } from '../../src-core/io/image-set';



function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A 1-bit grayscale PNG of 3x2 pixels: 1 0 1 / 0 1 0. */
function oneBitPng(): Uint8Array {
  const chunk = (type: string, body: Uint8Array): number[] => {
    const typed = [...type].map((ch) => ch.charCodeAt(0));
    const len = [body.length >>> 24, (body.length >>> 16) & 255, (body.length >>> 8) & 255, body.length & 255];
    const crc = crc32(new Uint8Array([...typed, ...body]));
    return [...len, ...typed, ...body, crc >>> 24, (crc >>> 16) & 255, (crc >>> 8) & 255, crc & 255];
  };
  const ihdr = new Uint8Array([0, 0, 0, 3, 0, 0, 0, 2, 1, 0, 0, 0, 0]);
  const idat = new Uint8Array(deflateSync(new Uint8Array([0, 0b10100000, 0, 0b01000000])));
  return new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...chunk('IHDR', ihdr), ...chunk('IDAT', idat), ...chunk('IEND', new Uint8Array(0))]);
}

describe('decodeImage', () => {
  it('reads gray, RGB and RGBA PNGs into [C, H, W] in [0, 1]', () => {
    const gray = decodeImage(pngOf(4, 3, 1), 'g.png');
    expect([gray.channels, gray.width, gray.height]).toEqual([1, 4, 3]);
    expect(gray.pixels[5]).toBeCloseTo(35 / 255, 6);
    const rgb = decodeImage(pngOf(4, 3, 3), 'c.png');
    expect(rgb.channels).toBe(3);
    expect(rgb.pixels[12 + 5]).toBeCloseTo(85 / 255, 6); // channel 1 of pixel 5
    const rgba = decodeImage(pngOf(2, 2, 4), 'a.png');
    expect([rgba.channels, rgba.alpha]).toEqual([3, true]);
  });

  it('reads 16-bit and 1-bit PNGs with their own maximum', () => {
    const deep = decodeImage(encodePng({ width: 2, height: 1, data: new Uint16Array([0, 65535]), channels: 1, depth: 16 }), 'd.png');
    expect(Array.from(deep.pixels)).toEqual([0, 1]);
    expect(Array.from(decodeImage(oneBitPng(), 'b.png').pixels)).toEqual([1, 0, 1, 0, 1, 0]);
  });

  it('reads JPEGs, gray when every pixel is gray', () => {
    const rgba = new Uint8Array(8 * 8 * 4).map((_, i) => (i % 4 === 3 ? 255 : 128));
    const img = decodeImage(new Uint8Array(jpeg.encode({ width: 8, height: 8, data: rgba }, 95).data), 'j.jpg');
    expect([img.channels, img.width, img.height]).toEqual([1, 8, 8]);
    expect(Math.abs(img.pixels[0] - 128 / 255)).toBeLessThan(0.02);
  });

  it('names the file that is not an image, too large or damaged', () => {
    expect(failure(() => decodeImage(new Uint8Array([1, 2, 3]), 'digits/x.png')).message).toBe('digits/x.png is not a PNG or JPEG image');
    expect(failure(() => decodeImage(pngOf(65, 10, 1), 'big.png')).message).toBe('big.png is 65x10; images up to 64x64 are supported');
    const cut = pngOf(8, 8, 1).slice(0, 40);
    expect(failure(() => decodeImage(cut, 'cut.png')).message).toBe('cut.png: the PNG file is truncated');
  });

  it('refuses compressed pixels that expand past the size the header gives, before they fill memory', () => {
    // 64x64 gray needs 64 x 65 bytes; these 200 KB expand to 200 MB (and once took 670 MB and 3 s, then decoded)
    const header = pngOf(64, 64, 1);
    const bomb = zlibSync(new Uint8Array(200 << 20), { level: 9 });
    const idat = new Uint8Array(12 + bomb.length);
    new DataView(idat.buffer).setUint32(0, bomb.length);
    idat.set([0x49, 0x44, 0x41, 0x54], 4);
    idat.set(bomb, 8);
    const png = new Uint8Array([...header.subarray(0, 33), ...idat, 0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);
    const start = performance.now();
    expect(failure(() => decodeImage(png, 'bomb.png')).message).toBe("bomb.png: the PNG's compressed pixels expand to more than its 64x64 size holds");
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('refuses a JPEG whose frame header is larger than 64x64 before decoding it', () => {
    const rgba = new Uint8Array(8 * 8 * 4).fill(100);
    const jpg = new Uint8Array(jpeg.encode({ width: 8, height: 8, data: rgba }, 90).data);
    // the SOF0 marker's height and width fields, set to 4000 x 4000 (the decoder would allocate for 16 megapixels)
    const sof = jpg.findIndex((b, i) => b === 0xff && jpg[i + 1] === 0xc0);
    jpg.set([4000 >> 8, 4000 & 255, 4000 >> 8, 4000 & 255], sof + 5);
    expect(failure(() => decodeImage(jpg, 'huge.jpg')).message).toBe('huge.jpg is 4000x4000; images up to 64x64 are supported');
  });

  it('gives only StudioErrors on random bytes, with or without an image signature', () => {
    const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
    const check = (bytes: Uint8Array): void => {
      try {
        decodeImage(bytes, 'r.png');
      } catch (err) {
        if (!(err instanceof StudioError)) throw err;
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), check), { numRuns: 300 });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => check(new Uint8Array([...png, ...b]))), { numRuns: 300 });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => check(new Uint8Array([0xff, 0xd8, 0xff, ...b]))), { numRuns: 300 });
    // A real file with bytes flipped.
    const good = pngOf(6, 6, 3);
    fc.assert(fc.property(fc.integer({ min: 8, max: good.length - 1 }), fc.integer({ min: 0, max: 255 }), (i, v) => check(good.map((x, k) => (k === i ? v : x)))), { numRuns: 300 });
  });
});

describe('image folders', () => {
  it('stacks a gray folder as [n, 1, H, W] in sorted order, labels from subfolders numerically', () => {
    const files = [
      { path: '10/b.png', bytes: pngOf(5, 4, 1, 3) },
      { path: '2/a.png', bytes: pngOf(5, 4, 1, 1) },
      { path: '2/c.png', bytes: pngOf(5, 4, 1, 2) },
      { path: 'notes.txt', bytes: new Uint8Array(0) },
    ];
    const set = parseImageSet(files.filter((f) => f.path.includes('/')));
    expect(set.shape).toEqual([3, 1, 4, 5]);
    expect(set.classes).toEqual(['2', '10']);
    // sorted by path: '10/b.png' < '2/a.png' < '2/c.png'
    expect(Array.from(set.labels ?? [])).toEqual([1, 0, 0]);
    expect(set.data[0]).toBeCloseTo(3 / 255, 6);
    const withText = parseImageFolder('digits', files);
    expect(Array.from(withText.labels ?? [])).toEqual([1, 0, 0]);
    expect(withText.notes).toContain('1 file that is not a PNG or JPEG image skipped');
    const loose = parseImageFolder('digits', [...files, { path: 'top.png', bytes: pngOf(5, 4, 1) }]);
    expect(loose.labels).toBeUndefined();
    expect(loose.shape).toEqual([4, 1, 4, 5]);
  });

  it('makes the set RGB when any image has colour', () => {
    const set = parseImageSet([
      { path: 'a.png', bytes: pngOf(3, 3, 1) },
      { path: 'b.png', bytes: pngOf(3, 3, 3) },
    ]);
    expect(set.shape).toEqual([2, 3, 3, 3]);
    // the gray image repeats its plane over the three channels
    expect(Array.from(set.data.subarray(0, 9))).toEqual(Array.from(set.data.subarray(9, 18)));
  });

  it('names the image whose size differs from the others', () => {
    const files = ['0.png', '1.png', '7.png', '9.png'].map((p) => ({ path: p, bytes: p === '7.png' ? pngOf(32, 30, 1) : pngOf(28, 28, 1) }));
    expect(failure(() => parseImageFolder('digits', files)).message).toBe('digits/7.png is 32x30, the others are 28x28; every image must have the same size');
  });

  it('asks for class subfolders when labels are required and one image sits outside them', () => {
    const files = [
      { path: '3/a.png', bytes: pngOf(2, 2, 1) },
      { path: 'b.png', bytes: pngOf(2, 2, 1) },
    ];
    expect(failure(() => parseImageFolder('set', files, { labelsFromFolders: true })).message).toBe(
      'set/b.png is not in a class subfolder; with labels from folders every image sits in one (e.g. set/7/b.png)',
    );
    expect(failure(() => parseImageFolder('empty', [{ path: 'a.txt', bytes: new Uint8Array(0) }])).message).toBe('empty holds no .png, .jpg, .jpeg files');
  });

  it('reads one image file as a one-image set', () => {
    expect(failure(() => parseDataFile('fake.png', new Uint8Array([1, 2, 3]))).message).toBe('fake.png is not a PNG or JPEG image');
    const set = parseDataFile('one.png', pngOf(4, 4, 3));
    expect(set.format).toBe('images');
    expect(set.shape).toEqual([1, 3, 4, 4]);
  });
});
