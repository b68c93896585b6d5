// 'whyFlowMatching' against closed forms: CNF training by maximum likelihood brings the held-out NLL of a Gaussian near its exact value, flow matching's NLL is
// measured by the same exact-divergence solve (which agrees with the CNF's own log-density), the NFE per step is what the solver evaluates, and the budget holds.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildMlp } from '../../graph/families/mlp/graph';
import { initParams } from '../../graph/param-layout';
import { Rng } from '../../rng';
import { cnfLogDensity, cnfNfe, type CnfSolve } from '../cnf';
import { runComputation } from '../computation';
import { NO_LAB_HOST, type LabHost } from '../host';
import { tfjsNet, type TfjsNet } from '../tfjs-velocity';
import { heldOutNll, whyFlowMatchingComputation } from './why-flow-matching';

beforeAll(() => {
  tf.enableProdMode();
});

/** A host lending tfjs's plain CPU backend. */
const host: LabHost = {
  ...NO_LAB_HOST,
  async tensors() {
    await tf.setBackend('cpu');
    return { name: 'cpu', device: 'CPU' };
  },
};
const ctx = { progress: async () => undefined, signal: new AbortController().signal, host };

const S2 = 0.25;
const MU = [0.6, -0.4];
/** N(MU, S2 I) as the 'gaussian-mixture' set of one component. */
const gaussian = { id: 'gaussian-mixture', mixture: { weights: [1], means: [MU], covariances: [[[S2, 0], [0, S2]]] } };
/** Its NLL in nats per point: log(2 pi S2) + 1 in 2-D (the expected squared Mahalanobis distance is d = 2). */
const EXACT = Math.log(2 * Math.PI * S2) + 1;

describe("lab computation 'whyFlowMatching'", () => {
  it('CNF training lowers the held-out NLL of a Gaussian to near its closed form; flow matching is measured the same way', async () => {
    const t0 = performance.now();
    const r = await runComputation(whyFlowMatchingComputation, { set: gaussian, width: 8, steps: 120, batchSize: 64, lr: 1e-2, solver: 'rk4', solverSteps: 1, evalSteps: 6, heldOut: 400, checkpoints: 3, samples: 200, seed: 1 }, { host });
    const cnf = Array.from(r.cnf.nll);
    const fm = Array.from(r.fm.nll);
    console.info(`Gaussian, 120 steps each (${((performance.now() - t0) / 1000).toFixed(1)} s): exact ${EXACT.toFixed(3)} (sample ${r.exactNll?.toFixed(3)}); CNF ${cnf.map((v) => v.toFixed(3)).join(' ')}; FM ${fm.map((v) => v.toFixed(3)).join(' ')}`);
    // the sample's exact NLL is the closed form within its standard error (the Mahalanobis term's sd is 1 / sqrt(n))
    expect(Math.abs(r.exactNll! - EXACT)).toBeLessThan(4 / Math.sqrt(400));
    // both start from the same weights, so the first measurement is the same
    expect(fm[0]).toBeCloseTo(cnf[0], 6);
    expect(cnf[0] - EXACT).toBeGreaterThan(0.5);
    // maximum likelihood closes nearly all of the gap to the exact law, and no model beats it by more than the sample's noise
    expect(cnf.at(-1)! - r.exactNll!).toBeLessThan(0.15);
    expect(cnf.at(-1)!).toBeGreaterThan(r.exactNll! - 0.05);
    expect(fm.at(-1)!).toBeLessThan(fm[0]);
    expect(fm.at(-1)!).toBeGreaterThan(r.exactNll! - 0.05);
    expect(Array.from(r.cnf.checkStep)).toEqual([0, 40, 80, 120]);
    expect(r.cnf.loss).toHaveLength(120);
    expect(r.fm.loss).toHaveLength(120);
    // the samples pushed from the shared noise sit on the Gaussian: mean MU (the standard error is 0.035 here; the
    // rest is what 120 steps leave of the model's own error), variance S2 per coordinate
    for (const s of [r.cnf.samples, r.fm.samples]) {
      const n = s.length / 2;
      for (let j = 0; j < 2; j++) {
        let m = 0;
        let v = 0;
        for (let i = 0; i < n; i++) m += s[2 * i + j] / n;
        for (let i = 0; i < n; i++) v += (s[2 * i + j] - m) ** 2 / (n - 1);
        console.info(`sample mean ${m.toFixed(3)} (${MU[j]}), variance ${v.toFixed(3)} (${S2})`);
        expect(Math.abs(m - MU[j])).toBeLessThan(0.25);
        expect(Math.abs(v / S2 - 1)).toBeLessThan(0.4);
      }
    }
  }, 120_000);

  it('measures the held-out NLL as the CNF defines it: the prior itself for the zero field, and -mean log p_0 of the CNF solve for trained weights', async () => {
    await host.tensors();
    const m = buildMlp({ dataDim: 2, hidden: [8, 8], timeEmbedding: { kind: 'raw' }, activation: 'silu' });
    const net = tfjsNet(m.graph);
    const x = new Rng(3).fillNormal(new Float32Array(40 * 2)).map((v) => 0.5 * v + 0.3);
    let prior = 0;
    for (let i = 0; i < 40; i++) prior += (0.5 * (x[2 * i] ** 2 + x[2 * i + 1] ** 2) + Math.log(2 * Math.PI)) / 40;
    expect(await heldOutNll(net, new Float32Array(m.layout.size), x, 4, ctx)).toBeCloseTo(prior, 5);
    const w = initParams(m.layout, new Rng(4));
    const kept: tf.Tensor[] = [];
    const logp = tf.tidy(() => cnfLogDensity(net, tf.tensor1d(w), tf.tensor2d(x, [40, 2]), { solver: 'rk4', steps: 6 }, kept).dataSync());
    tf.dispose(kept);
    const nll = -Array.from(logp).reduce((a, b) => a + b, 0) / 40;
    expect(Math.abs(nll - prior)).toBeGreaterThan(0.01);
    expect(Math.abs((await heldOutNll(net, w, x, 6, ctx)) - nll)).toBeLessThan(1e-4 * Math.max(1, Math.abs(nll)));
    net.dispose();
  });

  it('reports as NFE per step the network evaluations the CNF solve makes per point, and 1 for flow matching', async () => {
    await host.tensors();
    const m = buildMlp({ dataDim: 2, hidden: [4], timeEmbedding: { kind: 'raw' }, activation: 'silu' });
    const inner = tfjsNet(m.graph);
    let rows = 0;
    const counting: TfjsNet = { ...inner, apply: (w, x, t) => ((rows += x.shape[0]), inner.apply(w, x, t)) };
    const n = 5;
    for (const solve of [{ solver: 'rk4', steps: 3 }, { solver: 'euler', steps: 5 }] as CnfSolve[]) {
      rows = 0;
      const kept: tf.Tensor[] = [];
      tf.tidy(() => cnfLogDensity(counting, tf.tensor1d(initParams(m.layout, new Rng(1))), tf.tensor2d(new Float32Array(n * 2), [n, 2]), solve, kept));
      tf.dispose(kept);
      expect(rows / n).toBe(cnfNfe(solve, 2));
    }
    inner.dispose();
    const r = await runComputation(whyFlowMatchingComputation, { set: gaussian, width: 4, steps: 2, solver: 'euler', solverSteps: 5, evalSteps: 2, heldOut: 50, checkpoints: 1, samples: 10 }, { host });
    expect(r.cnf.nfePerStep).toBe(5 * 1 * 2);
    expect(r.fm.nfePerStep).toBe(1);
  });

  it('stops promptly on cancel and frees every tensor it made', async () => {
    await host.tensors();
    const before = tf.memory().numTensors;
    const abort = new AbortController();
    let reports = 0;
    let abortedAt = 0;
    const run = runComputation(whyFlowMatchingComputation, { set: gaussian, width: 8, steps: 5000, evalSteps: 2, heldOut: 50, samples: 10 }, {
      host,
      signal: abort.signal,
      progressMs: 0,
      onProgress: () => {
        if (++reports !== 3) return;
        abortedAt = performance.now();
        abort.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    // the next step's progress report sees the raised signal: one CNF step (tens of ms) after the cancel
    expect(performance.now() - abortedAt).toBeLessThan(1000);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("under the 'seconds' budget trains each for about the same time, flow matching taking far more steps", async () => {
    const r = await runComputation(whyFlowMatchingComputation, { set: gaussian, width: 8, budget: 'seconds', seconds: 0.6, batchSize: 32, solverSteps: 2, evalSteps: 2, heldOut: 50, checkpoints: 2, samples: 10 }, { host });
    for (const t of [r.cnf, r.fm]) {
      expect(t.seconds).toBeGreaterThanOrEqual(0.6);
      // the budget is checked after each step: it ends at the first step past the limit (the one before was under it)
      expect(t.time[t.time.length - 2]).toBeLessThan(0.6);
      expect(t.time).toHaveLength(t.steps);
      expect(t.nll).toHaveLength(3);
    }
    expect(r.fm.steps).toBeGreaterThan(3 * r.cnf.steps);
  });
});
