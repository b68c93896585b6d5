// Times the exact assignment solver on squared-Euclidean batches of 256 and 1,024 points: cost matrix, solver and both together.
// Run: npx jiti bench/assignment.ts [--repeats 60] [--sizes 256,1024]
import { performance } from 'node:perf_hooks';
import { batch, type Batch } from '../src-core/batch';
import { generateDataset } from '../src-core/data';
import { Rng } from '../src-core/rng';
import { assignSquaredEuclidean, solveAssignment } from '../src-core/coupling';
import { squaredDistancesScratch } from '../src-core/coupling/cost-scratch';
import { loadAverage, spread } from './lib/common';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const sizes = opt('sizes', '256,1024').split(',').map(Number);
/** Problems per size: many at 256 (a training step's batch, a millisecond or so each), a few at 1,024. */
const repeatsAt = (n: number) => Number(opt('repeats', '0')) || (n <= 256 ? 60 : 5);

type Pair = (rng: Rng, n: number) => [Batch, Batch];

function gaussian(rng: Rng, n: number, d: number, shift = 0, scale = 1): Batch {
  const a = rng.fillNormal(new Float32Array(n * d));
  for (let k = 0; k < a.length; k++) a[k] = shift + scale * a[k];
  return batch(a, [n, d]);
}

/** n rows drawn from a built-in set's large sample, as the training batch builder draws them. */
function drawn(pool: Float32Array, rng: Rng, n: number): Batch {
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const k = rng.int(pool.length / 2);
    out[2 * i] = pool[2 * k];
    out[2 * i + 1] = pool[2 * k + 1];
  }
  return batch(out, [n, 2]);
}

const gaussians = generateDataset('eight-gaussians', { count: 20_000, seed: 1 }).data;
const moons = generateDataset('two-moons', { count: 20_000, seed: 2 }).data;
const cases: [string, Pair][] = [
  ['2-D N(0, I) -> N(0, I)', (rng, n) => [gaussian(rng, n, 2), gaussian(rng, n, 2)]],
  ['2-D N(0, I) -> N(2, 3^2 I)', (rng, n) => [gaussian(rng, n, 2), gaussian(rng, n, 2, 2, 3)]],
  ['2-D 8 gaussians -> two moons', (rng, n) => [drawn(gaussians, rng, n), drawn(moons, rng, n)]],
  ['32-D N(0, I) -> N(0, I)', (rng, n) => [gaussian(rng, n, 32), gaussian(rng, n, 32)]],
  ['32-D N(0, I) -> N(2, 3^2 I)', (rng, n) => [gaussian(rng, n, 32), gaussian(rng, n, 32, 2, 3)]],
  ['1-D N(0, 1) -> N(2, 3^2) (sorted pairing)', (rng, n) => [gaussian(rng, n, 1), gaussian(rng, n, 1, 2, 3)]],
];

console.log(`load at start ${loadAverage().join(' ')}`);
console.log('| n | points | cost matrix, ms | solver on the matrix, ms | assignSquaredEuclidean, ms | 1-min load |');
console.log('|---|---|---|---|---|---|');
for (const n of sizes) {
  for (const [name, pair] of cases) {
    const matrix: number[] = [];
    const solve: number[] = [];
    const total: number[] = [];
    const l0 = loadAverage()[0];
    for (let r = 0; r < repeatsAt(n); r++) {
      const [x, y] = pair(new Rng(1000 * n + r), n);
      const d = x.shape[1];
      let t0 = performance.now();
      const c = squaredDistancesScratch(x, y, n, n, d);
      matrix.push(performance.now() - t0);
      if (d > 1) {
        t0 = performance.now();
        solveAssignment(c, n);
        solve.push(performance.now() - t0);
      }
      t0 = performance.now();
      assignSquaredEuclidean(x, y);
      total.push(performance.now() - t0);
    }
    const cell = (a: number[]) => (a.length ? spread(a) : '-');
    console.log(`| ${n} | ${name} | ${cell(matrix)} | ${cell(solve)} | ${cell(total)} | ${l0.toFixed(2)} -> ${loadAverage()[0].toFixed(2)} |`);
  }
}
console.log(`\nmedian (min-max) over ${sizes.map((n) => `${repeatsAt(n)} problems at n = ${n}`).join(', ')}; the solver column takes the cost matrix as given (solveAssignment, so it includes its input check); 1-D problems are paired by sorting without a matrix.`);
console.log(`load at end ${loadAverage().join(' ')}`);
