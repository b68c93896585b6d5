// Reflow in the Lab's process setting (the studio's trainer on the backend a run's 'auto' would choose): against the closed forms of a Gaussian's
// rectified flows, and on eight Gaussians, where rectification straightens the paths and mends one-step sampling.
import { describe, expect, it } from 'vitest';
import { runComputation } from '../../src-core/lab';
import { reflowComputation } from '../../src-core/lab/computations/reflow';
import { flowStraightness } from '../../src-core/lab/flow-fit';
import type { Model } from '../../src-core/model';
import { createOracle } from '../../src-core/oracle';
import { Rng } from '../../src-core/rng';
import { createSchedule } from '../../src-core/schedules';
import { createLabHost } from '../../src-main/lab/lab-host';

const host = createLabHost(null);
/** The data law N(m, s^2 I). */
const m = [1, -0.5];
const s = 0.3;
const gaussian = { weights: [1], means: [m], covariances: [[[s * s, 0], [0, s * s]]] };

/** Mean and standard deviation (pooled over both axes) of the points [n, 2] around their own mean. */
function spread(x: Float32Array, offset: number, n: number): { mean: number[]; sd: number } {
  const mean = [0, 0];
  for (let i = 0; i < n; i++) for (let a = 0; a < 2; a++) mean[a] += x[offset + 2 * i + a] / n;
  let v = 0;
  for (let i = 0; i < n; i++) for (let a = 0; a < 2; a++) v += (x[offset + 2 * i + a] - mean[a]) ** 2 / (2 * n - 2);
  return { mean, sd: Math.sqrt(v) };
}

describe('reflow', () => {
  it("matches a Gaussian's closed forms: curved 1-rectified paths, straight 2-rectified ones, and one Euler step that lands on the data only after reflow", async () => {
    // noise z to N(m, s^2 I) with independent pairs: x_t = (1 - t) m + sigma_t z, sigma_t = sqrt((1 - t)^2 s^2 + t^2), so
    // u - (x1 - x0) = (sigma_t' - (1 - s)) z and S = 2 integral (sigma_t' - (1 - s))^2 dt; the reflowed pairs (m + s z, z) are straight (S = 0)
    const grid = 20_000;
    let exact = 0;
    for (let k = 0; k < grid; k++) {
      const t = (k + 0.5) / grid;
      const sigma = Math.sqrt((1 - t) ** 2 * s * s + t * t);
      exact += (2 * ((t - (1 - t) * s * s) / sigma - (1 - s)) ** 2) / grid;
    }
    const schedule = createSchedule({ name: 'linear', sigmaMin: 0 });
    const oracle = createOracle(gaussian, schedule, 'velocity');
    const ideal: Model = { parameterisation: 'velocity', schedule, predict: (x, t) => oracle.predict(x, t) };
    const rng = new Rng(2);
    const z = Float32Array.from({ length: 4000 }, () => rng.normal());
    // the oracle's own paths on the computation's grid agree with the integral (the grid's error is the 32-step Euler's)
    const oracleS = await flowStraightness(ideal, z, 2, 32);
    expect(Math.abs(oracleS - exact) / exact).toBeLessThan(0.08);

    const r = await runComputation(reflowComputation, { set: { id: 'gaussian-mixture', mixture: gaussian, noise: 0 }, rounds: 1, stepsPerRound: 600, samples: 1000, pairs: 2048, eulerSteps: [1, 8], seed: 1 }, { host });
    console.log(`reflow on N(m, ${s}^2 I): straightness exact ${exact.toFixed(4)}, oracle ${oracleS.toFixed(4)}, trained ${Array.from(r.straightness, (v) => v.toFixed(4)).join(' -> ')}`);
    expect(Math.abs(r.straightness[0] - exact) / exact).toBeLessThan(0.25);
    expect(r.straightness[1]).toBeLessThan(0.1 * exact);
    // one Euler step from t = 1: u(z, 1) = z - m, so the 1-rectified flow sends every z to m; the 2-rectified to m + s z
    const n = 1000;
    const one = spread(r.samples, 0, n);
    const reflowed = spread(r.samples, 2 * n * 2, n);
    expect(one.sd).toBeLessThan(0.1);
    expect(Math.abs(reflowed.sd - s)).toBeLessThan(0.05);
    for (const q of [one, reflowed]) for (let a = 0; a < 2; a++) expect(Math.abs(q.mean[a] - m[a])).toBeLessThan(0.08);
  }, 90_000);

  it('on eight Gaussians: the pairs land on the data, and each rectification straightens the paths and mends one-step samples', async () => {
    const r = await runComputation(reflowComputation, { set: { id: 'eight-gaussians' }, rounds: 2, stepsPerRound: 600, samples: 600, pairs: 2048, eulerSteps: [1, 2, 4, 8], seed: 0 }, { host });
    const E = 4;
    console.log(`reflow on eight Gaussians: straightness ${Array.from(r.straightness, (v) => v.toFixed(4)).join(' -> ')}, one-step sliced W2 ${[0, 1, 2].map((f) => r.slicedW2[f * E].toFixed(3)).join(' -> ')} (floor ${r.floor.slicedW2.toFixed(3)}), pair energy ${Array.from(r.pairDataEnergy, (v) => v.toFixed(4)).join(', ')} against noise's ${Array.from(r.pairNoiseEnergy, (v) => v.toFixed(3)).join(', ')}`);
    // the pairs' data ends sit on the set: energy distance far below that of the noise they came from
    for (let k = 0; k < 2; k++) expect(r.pairDataEnergy[k]).toBeLessThan(r.pairNoiseEnergy[k] / 10);
    expect(r.straightness[1]).toBeLessThan(0.2 * r.straightness[0]);
    expect(r.straightness[2]).toBeLessThan(1.5 * r.straightness[1]);
    // one Euler step: the 1-rectified flow smears the ring toward its centre; the reflowed ones reach it
    expect(r.slicedW2[E]).toBeLessThan(0.5 * r.slicedW2[0]);
    expect(r.mmd2[E]).toBeLessThan(0.1 * r.mmd2[0]);
    expect(r.slicedW2[2 * E]).toBeLessThan(0.5 * r.slicedW2[0]);
    // eight steps: every flow samples the ring, far nearer it than the 1-rectified flow's one step
    for (let f = 0; f < 3; f++) expect(r.slicedW2[f * E + 3]).toBeLessThan(0.35 * r.slicedW2[0]);
  }, 90_000);

  it('stops promptly on cancel in a later round and frees every backend it made', async () => {
    let made = 0;
    let freed = 0;
    const counting = {
      ...host,
      trainingBackend: async (spec: Parameters<typeof host.trainingBackend>[0]) => {
        const b = await host.trainingBackend(spec);
        made++;
        return new Proxy(b, { get: (target, key, receiver) => (key === 'dispose' ? () => (freed++, target.dispose()) : Reflect.get(target, key, receiver)) });
      },
    };
    const controller = new AbortController();
    let raisedAt = 0;
    const run = runComputation(reflowComputation, { rounds: 2, stepsPerRound: 400, samples: 200, pairs: 512 }, {
      host: counting,
      signal: controller.signal,
      progressMs: 0,
      // raise the flag halfway through the second flow's training
      onProgress: (done) => {
        if (done > 440 + 40 + 200 && !raisedAt) {
          raisedAt = performance.now();
          controller.abort();
        }
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(performance.now() - raisedAt).toBeLessThan(2000);
    expect(made).toBe(2);
    expect(freed).toBe(made);
  }, 60_000);
});
