// The Likelihood computations in the Lab's own host: a flow trained here gives a grid density of mass 1 and a held-out NLL near the oracle's,
// and MNIST bits per dimension come out in pixel units: a network that predicts zero gives the closed form, a briefly trained one a sane value.
import { describe, expect, it } from 'vitest';
import { datasetMixture } from '../../src-core/data';
import { fitFlow } from '../../src-core/lab/flow-fit';
import { dequantise, dequantisedBits, pixelLevels } from '../../src-core/lab/dequantise';
import { runComputation } from '../../src-core/lab/computation';
import { likelihoodComputation } from '../../src-core/lab/computations/likelihood';
import { likelihoodBitsComputation } from '../../src-core/lab/computations/likelihood-bits';
import type { LabHost, LabRun } from '../../src-core/lab/host';
import { Rng } from '../../src-core/rng';
import { parseTrainingConfig } from '../../src-core/training/config';
import { buildModel } from '../../src-core/training/model-from-config';
import { createLabHost } from '../../src-main/lab/lab-host';
import { SOAK } from '../reliability/soak';

const eight = JSON.parse(JSON.stringify(datasetMixture('eight-gaussians'))) as unknown;
const DIGITS = [0, 1];
const TRAINED_ON = 64;
const NORM = { mean: [0.5], scale: [0.5] };
const CONFIG = { data: { source: 'builtin' as const, id: 'eight-gaussians' }, model: { family: 'mlp' as const, hidden: [128, 128] }, steps: 300, batchSize: 32, seed: 1 };

/** A host lending one in-memory MNIST run (an MLP over 784 pixels, normalised by mean 0.5 and scale 0.5) with the given EMA weights. */
function hostWithRun(weights: Float32Array): LabHost {
  const host = createLabHost(null);
  const config = parseTrainingConfig(CONFIG);
  const run: LabRun = { id: 'digits', name: 'digits', step: config.steps, config, itemShape: [784], normalisation: NORM, weights, data: { kind: 'mnist', setId: 'set', digits: DIGITS, count: TRAINED_ON } };
  return { ...host, openRun: async () => run };
}

describe('the Likelihood panel computations in the Lab host', () => {
  it('a flow trained on eight Gaussians: its grid density sums to 1 and its held-out NLL is near the oracle\'s; Hutchinson agrees with the exact divergence', async () => {
    const r = await runComputation(likelihoodComputation, { mixture: eight, model: 'flow', trainSteps: 4000, heldOut: 400, probes: 1 }, { host: createLabHost(null) });
    console.log(`trained flow: ${r.training?.steps} steps in ${r.training?.seconds.toFixed(1)} s on ${r.training?.backend};  mass ${r.modelMass.toFixed(4)} (oracle ${r.oracleMass.toFixed(4)}); NLL ${r.modelNll.toFixed(3)} ± ${r.modelNllSe.toFixed(3)} vs oracle ${r.oracleNll.toFixed(3)} ± ${r.oracleNllSe.toFixed(3)}; Hutchinson - exact ${r.hutchinsonGap.toFixed(4)} ± ${r.hutchinsonGapSe.toFixed(4)}`);
    expect(r.oracleMass).toBeGreaterThan(0.999);
    expect(r.oracleMass).toBeLessThan(1.001);
    expect(Math.abs(r.modelMass - 1)).toBeLessThan(0.05);
    // a model cannot beat the truth on average by more than noise; a flow trained this briefly comes within a few tenths of a nat
    expect(r.modelNll).toBeGreaterThan(r.oracleNll - 3 * Math.hypot(r.modelNllSe, r.oracleNllSe) - 0.05);
    expect(r.modelNll - r.oracleNll).toBeLessThan(0.35);
    expect(Math.abs(r.hutchinsonGap)).toBeLessThan(4 * r.hutchinsonGapSe);
  }, 120_000);

  it('MNIST bits per dimension: a zero network gives the closed form of N(0, I) in normalised units, a trained one a finite standard error and a sane value', async () => {
    const model = buildModel(parseTrainingConfig(CONFIG).model, [784]);
    const zero = await runComputation(likelihoodBitsComputation, { runId: 'digits', images: 8, steps: 4, probes: 1, seed: 5 }, { host: hostWithRun(new Float32Array(model.layout.size)) });
    // u = 0: x_1 = x_0 and the divergence is 0, so log p(y) = log N((y - 0.5) / 0.5; 0, I) - 784 log 0.5
    const held = (await createLabHost(null).mnist(DIGITS, TRAINED_ON + 8)).data.subarray(TRAINED_ON * 784);
    const y = dequantise(pixelLevels(held), new Rng(5));
    for (let i = 0; i < 8; i++) {
      let sq = 0;
      for (let j = 0; j < 784; j++) sq += ((y[i * 784 + j] - 0.5) / 0.5) ** 2;
      const logp = -0.5 * sq - 392 * Math.log(2 * Math.PI) - 784 * Math.log(0.5);
      expect(zero.bits[i]).toBeCloseTo(dequantisedBits(logp, 784), 4);
    }

    const host = createLabHost(null);
    const digits = await host.mnist(DIGITS, TRAINED_ON);
    const flow = await fitFlow({ config: CONFIG, data: { data: digits.data.map((v) => (v - 0.5) / 0.5), rowSize: 784 }, backend: host.trainingBackend });
    const weights = await flow.ema().finally(() => flow.dispose());
    const r = await runComputation(likelihoodBitsComputation, { runId: 'digits', images: 16, steps: 8, probes: 1 }, { host: hostWithRun(weights) });
    console.log(`MNIST bits: zero net ${zero.bpd.toFixed(3)} ± ${zero.standardError.toFixed(3)}; ${flow.steps} steps (${flow.seconds.toFixed(1)} s) -> ${r.bpd.toFixed(3)} ± ${r.standardError.toFixed(3)} bits/dim, NFE ${r.nfe}, tfjs ${r.tensors}`);
    expect(Number.isFinite(r.standardError) && r.standardError > 0).toBe(true);
    expect(r.bpd).toBeGreaterThan(0);
    expect(r.bpd).toBeLessThan(zero.bpd);
  }, 120_000);
});

describe.runIf(SOAK)('likelihood tables (STUDIO_SOAK=1)', () => {
  it('prints the held-out NLL gap of trained flows against training steps, and MNIST bits against training steps', async () => {
    const host = createLabHost(null);
    const rows: string[] = ['eight Gaussians, batch 256, RK4 24 steps, 400 held-out draws: steps | mass | NLL model | NLL exact | gap | Hutchinson - exact (1 probe)'];
    for (const trainSteps of [500, 1000, 2000, 4000, 8000]) {
      const r = await runComputation(likelihoodComputation, { mixture: eight, model: 'flow', trainSteps, heldOut: 400, probes: 1 }, { host });
      rows.push(`${trainSteps} | ${r.modelMass.toFixed(4)} | ${r.modelNll.toFixed(3)} ± ${r.modelNllSe.toFixed(3)} | ${r.oracleNll.toFixed(3)} ± ${r.oracleNllSe.toFixed(3)} | ${(r.modelNll - r.oracleNll).toFixed(3)} | ${r.hutchinsonGap.toFixed(4)} ± ${r.hutchinsonGapSe.toFixed(4)}`);
    }
    rows.push('MNIST digits 0 and 1, 64 training images, MLP 128x128, 16 held-out, RK4 8 steps, 1 probe: steps | bits/dim');
    const digits = await host.mnist(DIGITS, TRAINED_ON);
    for (const steps of [0, 300, 1000, 3000]) {
      let weights: Float32Array;
      if (steps === 0) weights = new Float32Array(buildModel(parseTrainingConfig(CONFIG).model, [784]).layout.size);
      else {
        const flow = await fitFlow({ config: { ...CONFIG, steps }, data: { data: digits.data.map((v) => (v - 0.5) / 0.5), rowSize: 784 }, backend: host.trainingBackend });
        weights = await flow.ema().finally(() => flow.dispose());
      }
      const r = await runComputation(likelihoodBitsComputation, { runId: 'digits', images: 16, steps: 8, probes: 1 }, { host: hostWithRun(weights) });
      rows.push(`${steps} | ${r.bpd.toFixed(3)} ± ${r.standardError.toFixed(3)}`);
    }
    console.log(rows.join('\n'));
    expect(rows.length).toBe(11);
  }, 1_200_000);
});
