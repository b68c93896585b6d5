// PNG and JPEG bytes to pixels in [0, 1] (channel-first), with pure-JS decoders (fast-png, jpeg-js).
import { convertIndexedToRgb, decode as decodePng } from 'fast-png';
import { Unzlib } from 'fflate';
import jpeg from 'jpeg-js';
import { StudioError } from '../errors';
import { MAX_IMAGE_SIDE } from './dataset-array';

/** One decoded image: 1 channel where every pixel is gray, else 3; values in [0, 1], laid out [C, H, W]. */
export interface DecodedImage {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  readonly pixels: Float32Array;
  /** True when the file had an alpha channel (dropped). */
  readonly alpha: boolean;
}

/** Which image format bytes hold, by their signature. */
export function imageKind(bytes: Uint8Array): 'png' | 'jpeg' | null {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return null;
}

function tooLarge(name: string, width: number, height: number): StudioError {
  return new StudioError('invalid-shape', `${name} is ${width}x${height}; images up to ${MAX_IMAGE_SIDE}x${MAX_IMAGE_SIDE} are supported`);
}

/** Interleaved samples (any channel count 1-4) to [C, H, W] floats; gray+alpha and RGBA lose their alpha. */
function toPlanes(samples: ArrayLike<number>, width: number, height: number, stride: number, maxValue: number): { pixels: Float32Array; channels: 1 | 3 } {
  const area = width * height;
  const colour = stride >= 3;
  let gray = true;
  if (colour) {
    for (let p = 0; p < area && gray; p++) {
      const o = p * stride;
      gray = samples[o] === samples[o + 1] && samples[o] === samples[o + 2];
    }
  }
  const channels = colour && !gray ? 3 : 1;
  const pixels = new Float32Array(channels * area);
  for (let c = 0; c < channels; c++) {
    for (let p = 0; p < area; p++) pixels[c * area + p] = samples[p * stride + c] / maxValue;
  }
  return { pixels, channels };
}

/** Unpacks 1-, 2- or 4-bit samples (rows padded to whole bytes) into one value per sample. */
function unpackBits(data: ArrayLike<number>, width: number, height: number, stride: number, depth: number): Uint8Array {
  const perRow = width * stride;
  const rowBytes = Math.ceil((perRow * depth) / 8);
  const out = new Uint8Array(perRow * height);
  const mask = (1 << depth) - 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < perRow; x++) {
      const bit = x * depth;
      out[y * perRow + x] = (data[y * rowBytes + (bit >> 3)] >> (8 - depth - (bit & 7))) & mask;
    }
  }
  return out;
}

/** Chunks the decoder is given: the image itself; text, colour profiles and the like are left out (a profile is compressed too). */
const PNG_KEPT = new Set(['IHDR', 'PLTE', 'tRNS', 'IDAT', 'IEND']);
/** Samples per pixel of each PNG colour type. */
const PNG_SAMPLES: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/**
 * Checks a PNG's chunks before the decoder sees them: the size in IHDR, and that the compressed pixels expand to no more
 * than that size needs (a few hundred KB of zeros can expand to gigabytes). Returns the file with only the chunks the
 * decoder needs.
 */
function checkedPng(bytes: Uint8Array, name: string): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const truncated = () => new StudioError('invalid-argument', `${name}: the PNG file is truncated`);
  if (bytes.length < 33) throw truncated();
  const w = view.getUint32(16);
  const h = view.getUint32(20);
  if (w > MAX_IMAGE_SIDE || h > MAX_IMAGE_SIDE) throw tooLarge(name, w, h);
  const samples = PNG_SAMPLES[bytes[25]] ?? 4;
  const depth = Math.min(bytes[24], 16);
  // rows of filter byte + packed samples; interlacing adds at most a filter byte per pass row (7 passes)
  const limit = h * (1 + Math.ceil((w * samples * Math.max(depth, 1)) / 8)) + 7 * (h + 1) * 2 + 64;
  let expanded = 0;
  const inflate = new Unzlib((chunk) => {
    expanded += chunk.length;
    if (expanded > limit) throw new StudioError('invalid-argument', `${name}: the PNG's compressed pixels expand to more than its ${w}x${h} size holds`);
  });
  const kept: Uint8Array[] = [bytes.subarray(0, 8)];
  let o = 8;
  while (o < bytes.length) {
    if (o + 12 > bytes.length) throw truncated();
    const length = view.getUint32(o);
    if (length > bytes.length - o - 12) throw truncated();
    const type = String.fromCharCode(bytes[o + 4], bytes[o + 5], bytes[o + 6], bytes[o + 7]);
    const end = o + 12 + length;
    // fed in small pieces, so the expansion is caught after at most ~1 MB more than the limit
    if (type === 'IDAT') for (let p = o + 8; p < o + 8 + length; p += 1024) inflate.push(bytes.subarray(p, Math.min(p + 1024, o + 8 + length)));
    if (PNG_KEPT.has(type)) kept.push(bytes.subarray(o, end));
    o = end;
    if (type === 'IEND') break;
  }
  const out = new Uint8Array(kept.reduce((s, k) => s + k.length, 0));
  let at = 0;
  for (const k of kept) {
    out.set(k, at);
    at += k.length;
  }
  return out;
}

function fromPng(bytes: Uint8Array, name: string): DecodedImage {
  const png = decodePng(checkedPng(bytes, name));
  const { width, height, depth } = png;
  if (png.palette) {
    const rgb = convertIndexedToRgb(png);
    const stride = rgb.length / (width * height);
    return { width, height, ...toPlanes(rgb, width, height, stride, 255), alpha: stride === 4 };
  }
  const stride = png.channels;
  const samples = depth < 8 ? unpackBits(png.data, width, height, stride, depth) : png.data;
  if (samples.length < width * height * stride) throw new StudioError('invalid-argument', `${name}: the PNG data are shorter than its ${width}x${height} size`);
  return { width, height, ...toPlanes(samples, width, height, stride, 2 ** depth - 1), alpha: stride === 2 || stride === 4 };
}

/** Width and height from a JPEG's first frame header (SOF0-SOF15 but DHT, JPG and DAC), or null when there is none. */
function jpegSize(bytes: Uint8Array): { width: number; height: number } | null {
  let o = 2;
  while (o + 4 <= bytes.length) {
    if (bytes[o] !== 0xff) return null;
    const marker = bytes[o + 1];
    if (marker === 0xff) {
      o++;
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      o += 2;
      continue;
    }
    const length = (bytes[o + 2] << 8) | bytes[o + 3];
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (o + 9 > bytes.length) return null;
      return { height: (bytes[o + 5] << 8) | bytes[o + 6], width: (bytes[o + 7] << 8) | bytes[o + 8] };
    }
    if (marker === 0xda || length < 2) return null;
    o += 2 + length;
  }
  return null;
}

/** jpeg-js counts what it allocates; a 64x64 image needs well under this. */
const JPEG_MEMORY_MB = 4;

function fromJpeg(bytes: Uint8Array, name: string): DecodedImage {
  // The frame header first: refuse a large image before the decoder allocates for it.
  const size = jpegSize(bytes);
  if (size && (size.width > MAX_IMAGE_SIDE || size.height > MAX_IMAGE_SIDE)) throw tooLarge(name, size.width, size.height);
  const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxResolutionInMP: (MAX_IMAGE_SIDE * MAX_IMAGE_SIDE) / 1e6, maxMemoryUsageInMB: JPEG_MEMORY_MB });
  if (img.width > MAX_IMAGE_SIDE || img.height > MAX_IMAGE_SIDE) throw tooLarge(name, img.width, img.height);
  if (img.data.length < img.width * img.height * 3) throw new StudioError('invalid-argument', `${name}: the JPEG data are shorter than its ${img.width}x${img.height} size`);
  return { width: img.width, height: img.height, ...toPlanes(img.data, img.width, img.height, 3, 255), alpha: false };
}

/** Decodes a PNG (any bit depth, palette, gray or colour) or a baseline/progressive JPEG; other bytes give a StudioError naming the file. */
export function decodeImage(bytes: Uint8Array, name: string): DecodedImage {
  const kind = imageKind(bytes);
  if (kind === null) throw new StudioError('invalid-argument', `${name} is not a PNG or JPEG image`);
  let image: DecodedImage;
  try {
    image = kind === 'png' ? fromPng(bytes, name) : fromJpeg(bytes, name);
  } catch (err) {
    if (err instanceof StudioError) throw err;
    throw new StudioError('invalid-argument', `${name}: the ${kind === 'png' ? 'PNG' : 'JPEG'} image cannot be decoded (${(err as Error).message})`);
  }
  if (image.width < 1 || image.height < 1) throw new StudioError('invalid-shape', `${name} has no pixels (${image.width}x${image.height})`);
  return image;
}
