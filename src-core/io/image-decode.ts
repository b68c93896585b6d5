// PNG and JPEG bytes to pixels in [0, 1] (channel-first), with pure-JS decoders (fast-png, jpeg-js).
import { convertIndexedToRgb, decode as decodePng } from 'fast-png';
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

function fromPng(bytes: Uint8Array, name: string): DecodedImage {
  // IHDR first: refuse a huge image before decoding it.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 24) throw new StudioError('invalid-argument', `${name}: the PNG file is truncated`);
  const w = view.getUint32(16);
  const h = view.getUint32(20);
  if (w > MAX_IMAGE_SIDE || h > MAX_IMAGE_SIDE) throw tooLarge(name, w, h);
  const png = decodePng(bytes);
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

function fromJpeg(bytes: Uint8Array, name: string): DecodedImage {
  // jpeg-js's own limits keep a hostile file from allocating much before the size check below.
  const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxResolutionInMP: 1, maxMemoryUsageInMB: 64 });
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
