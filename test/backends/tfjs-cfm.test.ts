// 200 conditional-flow-matching steps of the reference MLP on eight gaussians (wasm) lower the loss clearly, without leaking tensors.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { generateDataset } from '../../src-core/data';
import { buildMlp } from '../../src-core/graph';
import { Rng } from '../../src-core/rng';
import type { TrainBatch } from '../../src-core/training/backend';
import { wasmProvider } from '../../src-main/training/backends/wasm-backend';
import { OPT, freshState, randomBatch, smallModel, specOf } from './tfjs-fixtures';

/** A CFM batch: x_t = (1 - t) x0 + t eps, target eps - x0, weight 1. */
function cfmBatch(data: Float32Array, rng: Rng, n: number): TrainBatch {
  const count = data.length / 2;
  const xt = new Float32Array(2 * n);
  const target = new Float32Array(2 * n);
  const t = rng.fillUniform(new Float32Array(n));
  for (let i = 0; i < n; i++) {
    const k = rng.int(count);
    for (let j = 0; j < 2; j++) {
      const x0 = data[2 * k + j];
      const eps = rng.normal();
      xt[2 * i + j] = (1 - t[i]) * x0 + t[i] * eps;
      target[2 * i + j] = eps - x0;
    }
  }
  return { n, xt, t, target, weight: new Float32Array(n).fill(1) };
}

const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;

describe('tfjs training on wasm', () => {
  it('200 CFM steps of the reference MLP on eight gaussians lower the loss clearly', async () => {
    const model = buildMlp({ dataDim: 2, hidden: [256, 256, 256], timeEmbedding: { kind: 'raw' } });
    const data = generateDataset('eight-gaussians', { count: 4096 }).data;
    const backend = await wasmProvider.create(specOf(model, { ...OPT, gradClip: 1, emaDecay: 0.99 }, freshState(model, 1), 64));
    const rng = new Rng(2);
    const losses: number[] = [];
    try {
      for (let s = 0; s < 200; s++) losses.push((await backend.step(cfmBatch(data, rng, 64), 1e-3)).loss);
    } finally {
      backend.dispose();
    }
    const first = mean(losses.slice(0, 10));
    const last = mean(losses.slice(-20));
    console.info(`CFM on wasm: mean loss of steps 1-10 ${first.toFixed(3)}, of steps 181-200 ${last.toFixed(3)}`);
    expect(losses.every(Number.isFinite)).toBe(true);
    // measured 2.98 -> 2.07 with these seeds (batch 64); the CFM loss has a floor well above 0 (the conditional variance of eps - x0)
    expect(last).toBeLessThan(0.75 * first);
  }, 60_000);

  it('holds the number of live tensors steady over 50 steps, predictions and state reads', async () => {
    const model = smallModel();
    const backend = await wasmProvider.create(specOf(model, { ...OPT, kind: 'adamw', weightDecay: 0.01, gradClip: 1 }, freshState(model, 4)));
    try {
      const b = randomBatch(model, 32, 9);
      await backend.step(b, 1e-3);
      const before = tf.memory().numTensors;
      for (let s = 0; s < 50; s++) {
        await backend.step(randomBatch(model, 32, 10 + s), 1e-3);
        if (s % 10 === 0) {
          await backend.predict(b.xt, b.t, b.y, b.n, 'ema');
          await backend.writeState(await backend.readState());
        }
      }
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      backend.dispose();
    }
  });
});
