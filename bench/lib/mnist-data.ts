// MNIST for the digit bench: the `mnist` package's images split train / held out without randomness, shifted copies, and sample grids as PNG.
import { encode as encodePng } from 'fast-png';
import { loadMnist, MNIST_SIDE } from '../../src-main/datasets/mnist';
import type { Rng } from '../../src-core/rng';

/** Pixels of one image. */
export const AREA = MNIST_SIDE * MNIST_SIDE;
/** Digits 0..9. */
export const CLASSES = 10;

/** Images [n, 1, 28, 28] in [0, 1] with their labels. */
export interface Digits {
  readonly data: Float32Array;
  readonly labels: Int32Array;
  readonly n: number;
}

/** The split: every fifth image of each digit (its 5th, 10th, ...) is held out, the rest trains. */
interface MnistSplit {
  readonly train: Digits;
  readonly heldOut: Digits;
  /** Images of each digit in the package. */
  readonly perDigit: readonly number[];
}

function take(data: Float32Array, labels: Int32Array, rows: readonly number[]): Digits {
  const out = new Float32Array(rows.length * AREA);
  rows.forEach((r, i) => out.set(data.subarray(r * AREA, (r + 1) * AREA), i * AREA));
  return { data: out, labels: Int32Array.from(rows, (r) => labels[r]), n: rows.length };
}

/** Loads every image of the package and splits it by each image's rank within its digit. */
export async function loadMnistSplit(): Promise<MnistSplit> {
  const all = await loadMnist();
  const labels = all.labels as Int32Array;
  const rank = new Array<number>(CLASSES).fill(0);
  const train: number[] = [];
  const heldOut: number[] = [];
  for (let i = 0; i < labels.length; i++) (rank[labels[i]]++ % 5 === 4 ? heldOut : train).push(i);
  return { train: take(all.data, labels, train), heldOut: take(all.data, labels, heldOut), perDigit: rank };
}

/** Copies image `row` of src into dst slot `slot`, moved by (dx, dy) pixels with zeros coming in. */
export function shiftInto(src: Float32Array, row: number, dst: Float32Array, slot: number, dx: number, dy: number): void {
  const s = row * AREA;
  const d = slot * AREA;
  for (let y = 0; y < MNIST_SIDE; y++) {
    const sy = y - dy;
    for (let x = 0; x < MNIST_SIDE; x++) {
      const sx = x - dx;
      dst[d + y * MNIST_SIDE + x] = sy >= 0 && sy < MNIST_SIDE && sx >= 0 && sx < MNIST_SIDE ? src[s + sy * MNIST_SIDE + sx] : 0;
    }
  }
}

/** A random whole-pixel shift in [-max, max] per axis. */
export function randomShift(rng: Rng, max: number): [number, number] {
  return [rng.int(2 * max + 1) - max, rng.int(2 * max + 1) - max];
}

/**
 * A grid of 28x28 images as an 8-bit grayscale PNG, each pixel drawn `scale` times wide: `rows` lists, per grid
 * row, blocks of images (flat [k, 784], values clamped to [0, 1]); blocks in a row are set apart by a gap.
 */
export function gridPng(rows: readonly (readonly Float32Array[])[], scale = 2): Uint8Array {
  const gap = 6;
  const pad = 1;
  const cell = MNIST_SIDE + pad;
  const widthOf = (blocks: readonly Float32Array[]) => blocks.reduce((w, b) => w + (b.length / AREA) * cell, 0) + gap * (blocks.length - 1);
  const w = Math.max(...rows.map(widthOf));
  const h = rows.length * cell;
  const px = new Uint8Array(w * scale * h * scale).fill(48);
  rows.forEach((blocks, r) => {
    let x0 = 0;
    for (const block of blocks) {
      for (let k = 0; k < block.length / AREA; k++, x0 += cell) {
        for (let y = 0; y < MNIST_SIDE; y++) {
          for (let x = 0; x < MNIST_SIDE; x++) {
            const v = Math.round(255 * Math.min(1, Math.max(0, block[k * AREA + y * MNIST_SIDE + x])));
            for (let sy = 0; sy < scale; sy++) px.fill(v, ((r * cell + y) * scale + sy) * w * scale + (x0 + x) * scale, ((r * cell + y) * scale + sy) * w * scale + (x0 + x + 1) * scale);
          }
        }
      }
      x0 += gap;
    }
  });
  return encodePng({ width: w * scale, height: h * scale, data: px, channels: 1, depth: 8 });
}
