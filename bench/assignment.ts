// Times the exact assignment solver on 1,024 x 1,024 squared-Euclidean problems (Gaussian points, 1D, 2D and 32D).
// Run: npx jiti bench/assignment.ts
import { performance } from 'node:perf_hooks';
import { batch } from '../src-core/batch';
import { Rng } from '../src-core/rng';
import { assignSquaredEuclidean, solveAssignment } from '../src-core/coupling';
import { squaredDistances } from '../src-core/coupling/cost';
import { median } from './lib/common';

function gaussian(rng: Rng, n: number, d: number, shift = 0, scale = 1) {
  const a = rng.fillNormal(new Float32Array(n * d));
  for (let k = 0; k < a.length; k++) a[k] = shift + scale * a[k];
  return batch(a, [n, d]);
}

const n = 1024;
const repeats = 5;
for (const [d, shift, scale] of [[2, 0, 1], [32, 0, 1], [2, 2, 3], [32, 2, 3], [1, 2, 3]]) {
  const solveTimes: number[] = [];
  const totalTimes: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const rng = new Rng(1000 * d + r);
    const x = gaussian(rng, n, d);
    const y = gaussian(rng, n, d, shift, scale);
    const c = squaredDistances(x, y);
    let t0 = performance.now();
    solveAssignment(c, n);
    solveTimes.push(performance.now() - t0);
    t0 = performance.now();
    assignSquaredEuclidean(x, y);
    totalTimes.push(performance.now() - t0);
  }
  const fmt = (a: number[]) => `median ${median(a).toFixed(1)} ms, max ${Math.max(...a).toFixed(1)} ms`;
  console.log(`n=${n} d=${d} target N(${shift}, ${scale}^2 I): solver only ${fmt(solveTimes)}; with cost matrix ${fmt(totalTimes)}`);
}

