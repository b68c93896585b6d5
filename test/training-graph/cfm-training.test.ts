// 200 steps of conditional flow matching on 8 gaussians with the reference MLP, through the compiled ONNX step, reduce the loss clearly.
import { describe, expect, it } from 'vitest';
import { generateDataset } from '../../src-core/data';
import { buildMlp, initParams } from '../../src-core/graph';
import { Rng } from '../../src-core/rng';
import { createOnnxruntimeBackend } from '../../src-main/training/backends/onnxruntime-backend';
import { ADAM } from './step-fixtures';

describe('CFM on 8 gaussians through the compiled step', () => {
  it('200 steps at batch 256 lower the loss by a clear margin', async () => {
    const model = buildMlp({ dataDim: 2, hidden: [256, 256, 256], timeEmbedding: { kind: 'raw' } });
    const rng = new Rng(7);
    const params = initParams(model.layout, rng);
    const P = params.length;
    const state = { step: 0, params, m: new Float32Array(P), v: new Float32Array(P), ema: params.slice() };
    const backend = await createOnnxruntimeBackend({ graph: model.graph, layout: model.layout, optimiser: ADAM, batchSize: 256, state });
    const pool = generateDataset('eight-gaussians', { count: 8192, seed: 3 }).data;
    const n = 256;
    const batch = { n, xt: new Float32Array(2 * n), t: new Float32Array(n), target: new Float32Array(2 * n), weight: new Float32Array(n).fill(1) };
    const losses: number[] = [];
    // the best constant prediction (the mean target) scores the targets' variance; a model using x_t and t must beat it
    let sum = 0;
    let sumSq = 0;
    let count = 0;
    try {
      for (let s = 0; s < 200; s++) {
        for (let i = 0; i < n; i++) {
          const k = rng.int(pool.length / 2);
          const t = rng.uniform();
          batch.t[i] = t;
          for (let j = 0; j < 2; j++) {
            const x0 = pool[2 * k + j];
            const eps = rng.normal();
            // linear path, t = 0 data and t = 1 noise: x_t = (1 - t) x0 + t eps, velocity target eps - x0
            batch.xt[2 * i + j] = (1 - t) * x0 + t * eps;
            batch.target[2 * i + j] = eps - x0;
            sum += eps - x0;
            sumSq += (eps - x0) ** 2;
            count++;
          }
        }
        losses.push((await backend.step(batch, 1e-3)).loss);
      }
    } finally {
      backend.dispose();
    }
    const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    const first = mean(losses.slice(0, 10));
    const last = mean(losses.slice(-20));
    const constantBaseline = sumSq / count - (sum / count) ** 2;
    console.log(`CFM loss: first 10 steps ${first.toFixed(3)}, last 20 steps ${last.toFixed(3)}, best constant ${constantBaseline.toFixed(3)}`);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(last).toBeLessThan(0.8 * first);
    expect(last).toBeLessThan(0.85 * constantBaseline);
  });
});
