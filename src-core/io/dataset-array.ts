// What every data-file parser returns, the shapes a data set may have, and the statistics recorded with it.
import { StudioError } from '../errors';

/** A parsed data set: rows of float32 in C order with shape [n, d] or [n, C, H, W], and optional class labels. */
export interface DatasetArray {
  readonly data: Float32Array;
  readonly shape: number[];
  /** One class index per row, 0..classes.length - 1. */
  readonly labels?: Int32Array;
  /** Class names, indexed by label. */
  readonly classes?: string[];
  /** The column of a table the labels were read from, numbered from 1. */
  readonly labelColumn?: number;
  /** Column names, where the file had them. */
  readonly header?: string[];
  /** What the parser did that a person should know (a header row read, a shape expanded, pixels scaled). */
  readonly notes: string[];
}

/** Largest number of float values one import may hold (256 MiB of float32; MNIST's 60,000 training images need 47M). */
export const MAX_VALUES = 1 << 26;
/** Largest image side the studio accepts. */
export const MAX_IMAGE_SIDE = 64;
/** Most classes a labelled set may have (a label column of ids, or a label of 2e9, must not make 2e9 class names). */
export const MAX_CLASSES = 10_000;

/** A shape in Python's tuple style, shortened past 8 axes so a hostile file cannot flood the message. */
const fmt = (shape: readonly number[]): string =>
  shape.length > 8 ? `(${shape.slice(0, 6).join(', ')}, …)` : `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;

/**
 * Maps an array's shape to a data-set shape: [n] -> [n, 1], [n, d] kept, [n, H, W] -> [n, 1, H, W],
 * [n, C, H, W] kept for C of 1 or 3 and sides up to 64; anything else throws, naming the shape.
 */
export function datasetShape(shape: readonly number[], notes: string[] = []): number[] {
  if (shape.length === 0) throw new StudioError('invalid-shape', 'the array is a single number (shape ()); a data set needs one row per item');
  if (shape.some((s) => !Number.isSafeInteger(s) || s < 1)) throw new StudioError('invalid-shape', `shape ${fmt(shape)} has an empty axis; every axis needs at least 1 entry`);
  if (shape.length === 1) {
    notes.push(`shape ${fmt(shape)} read as ${fmt([shape[0], 1])}: one number per row`);
    return [shape[0], 1];
  }
  if (shape.length === 2) return [...shape];
  if (shape.length > 4) throw new StudioError('invalid-shape', `shape ${fmt(shape)} has ${shape.length} axes; expected (n, d), (n, H, W) or (n, C, H, W)`);
  let out = [...shape];
  if (shape.length === 3) {
    out = [shape[0], 1, shape[1], shape[2]];
    notes.push(`shape ${fmt(shape)} read as ${fmt(out)}: one channel`);
  }
  const [, c, h, w] = out;
  if (c !== 1 && c !== 3) {
    const hint = (shape[3] === 1 || shape[3] === 3) && shape.length === 4 ? '; it looks channel-last: save it as (n, C, H, W), e.g. with np.transpose(x, (0, 3, 1, 2))' : '';
    throw new StudioError('invalid-shape', `shape ${fmt(shape)} has ${c} channels; images need 1 (grayscale) or 3 (RGB) as in (n, C, H, W)${hint}`);
  }
  if (h > MAX_IMAGE_SIDE || w > MAX_IMAGE_SIDE) throw new StudioError('invalid-shape', `shape ${fmt(shape)} holds ${h}x${w} images; images up to ${MAX_IMAGE_SIDE}x${MAX_IMAGE_SIDE} are supported`);
  return out;
}

/** Throws unless one label is a whole number from 0 to MAX_CLASSES - 1. */
export function checkLabel(v: number, where: string): void {
  if (!Number.isInteger(v) || v < 0) throw new StudioError('invalid-argument', `${where} is ${v}; labels must be whole numbers >= 0`);
  if (v >= MAX_CLASSES) throw new StudioError('invalid-argument', `${where} is ${v}; a set may have at most ${MAX_CLASSES} classes (labels 0 to ${MAX_CLASSES - 1})`);
}

/** Class names '0'..'count - 1' for labels below count. */
export function numberedClasses(count: number): string[] {
  return Array.from({ length: count }, (_, i) => String(i));
}

export { datasetStats, type DatasetStats } from './dataset-stats';
