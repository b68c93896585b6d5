// The CNF's maximum-likelihood loss: its weight gradient through the solver against central differences, and its log-density against a closed form.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildMlp, type MlpOptions } from '../graph/families/mlp';
import { initParams } from '../graph/param-layout';
import { Rng } from '../rng';
import { tfjsOpTable } from '../training/tfjs/tfjs-ops';
import { cnfLoss, cnfLogDensity, type CnfSolve } from './cnf';
import { tfjsNet, type TfjsNet } from './tfjs-velocity';

beforeAll(async () => {
  tf.enableProdMode();
  await tf.setBackend('cpu');
});

function tiny(activation: NonNullable<MlpOptions['activation']>, table = undefined as Parameters<typeof tfjsNet>[2]) {
  const m = buildMlp({ dataDim: 2, hidden: [8, 8], timeEmbedding: { kind: 'raw' }, activation });
  const net = tfjsNet(m.graph, undefined, table);
  const w = initParams(m.layout, new Rng(5));
  const x = new Rng(6).fillNormal(new Float32Array(6 * 2));
  return { net, w, x };
}

function loss(net: TfjsNet, w: Float32Array, x: Float32Array, solve: CnfSolve): number {
  const kept: tf.Tensor[] = [];
  const v = tf.tidy(() => cnfLoss(net, tf.tensor1d(w), tf.tensor2d(x, [x.length / 2, 2]), solve, kept).dataSync()[0]);
  tf.dispose(kept);
  return v;
}

function gradient(net: TfjsNet, w: Float32Array, x: Float32Array, solve: CnfSolve): Float32Array {
  const kept: tf.Tensor[] = [];
  const g = tf.tidy(() => tf.grad((p: tf.Tensor) => cnfLoss(net, p as tf.Tensor1D, tf.tensor2d(x, [x.length / 2, 2]), solve, kept))(tf.tensor1d(w)).dataSync() as Float32Array);
  tf.dispose(kept);
  return g;
}

/** Directional derivatives along random unit directions: autodiff against central differences (float32). */
function compare(net: TfjsNet, w: Float32Array, x: Float32Array, solve: CnfSolve, rng: Rng): { autodiff: number; differences: number }[] {
  const g = gradient(net, w, x, solve);
  const out = [];
  const central = (dir: Float32Array, h: number) => (loss(net, w.map((v, i) => v + h * dir[i]), x, solve) - loss(net, w.map((v, i) => v - h * dir[i]), x, solve)) / (2 * h);
  for (let k = 0; k < 4; k++) {
    const dir = rng.fillNormal(new Float32Array(w.length));
    const norm = Math.hypot(...dir);
    dir.forEach((v, i) => (dir[i] = v / norm));
    // Richardson: the h^2 terms of two steps cancel, leaving h^4 and float32 rounding (about 1e-5 here)
    const differences = (4 * central(dir, 0.02) - central(dir, 0.04)) / 3;
    out.push({ autodiff: g.reduce((s, gi, i) => s + gi * dir[i], 0), differences });
  }
  return out;
}

describe('the CNF loss differentiated through the solver', () => {
  for (const activation of ['tanh', 'silu'] as const) {
    it(`matches central differences on a tiny ${activation} network (RK4, 3 steps)`, () => {
      const { net, w, x } = tiny(activation);
      const rows = compare(net, w, x, { solver: 'rk4', steps: 3 }, new Rng(9));
      console.info(`CNF gradient (${activation}): ${rows.map((r) => `${r.autodiff.toFixed(6)} vs ${r.differences.toFixed(6)}`).join(', ')}`);
      for (const r of rows) expect(Math.abs(r.autodiff - r.differences)).toBeLessThan(1e-3 * Math.max(0.1, Math.abs(r.differences)));
      net.dispose();
    });
  }

  it("is wrong with tfjs's own tanh row, which is why the Lab compiles with its own", () => {
    const { net, w, x } = tiny('tanh', tfjsOpTable);
    const rows = compare(net, w, x, { solver: 'euler', steps: 2 }, new Rng(9));
    expect(Math.max(...rows.map((r) => Math.abs(r.autodiff - r.differences)))).toBeGreaterThan(0.05);
    net.dispose();
  });
});

describe('the CNF log-density', () => {
  it('of the zero field is the prior N(0, I) itself, for any solver', () => {
    const m = buildMlp({ dataDim: 2, hidden: [4], timeEmbedding: { kind: 'raw' }, activation: 'tanh' });
    const net = tfjsNet(m.graph);
    const w = new Float32Array(m.layout.size);
    const x = new Rng(2).fillNormal(new Float32Array(5 * 2));
    const kept: tf.Tensor[] = [];
    const logp = tf.tidy(() => cnfLogDensity(net, tf.tensor1d(w), tf.tensor2d(x, [5, 2]), { solver: 'rk4', steps: 2 }, kept).dataSync());
    tf.dispose(kept);
    for (let i = 0; i < 5; i++) expect(logp[i]).toBeCloseTo(-0.5 * (x[2 * i] ** 2 + x[2 * i + 1] ** 2) - Math.log(2 * Math.PI), 5);
    net.dispose();
  });
});
