// Part (e): time to quality. Seconds of training (8 gaussians -> two moons, data to data, exact OT coupling, the compiled ONNX step)
// until sliced W2 of 5,000 samples reaches a fixed threshold; then per sampler the fewest steps to reach a fixed MMD, and timed sampler runs there.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { batch } from '../../src-core/batch';
import { generateDataset } from '../../src-core/data';
import { mmd2, slicedW2Squared } from '../../src-core/metrics';
import { Rng } from '../../src-core/rng';
import { sample } from '../../src-core/sampling';
import { parseTrainingConfig } from '../../src-core/training/config';
import { denormalise } from '../../src-core/normalisation';
import { drawRows } from '../../src-core/training/trainer';
import { createRun } from '../../src-main/runs';
import { createOnnxruntimeBackend } from '../../src-main/training/backends/onnxruntime-backend';
import { emaModel, type PreviewSpec } from '../../src-main/training/preview';
import { setupRun } from '../../src-main/training/run-setup';
import { TORCH_SETTINGS, fmt, median, spread, torchKey, torchLabel } from './common';
import { Samples, interleave, torchReference } from './rounds';
import { jobKey, jobNfe, torchSampleTimes, type SampleJob } from './sample-paths';

/**
 * Sliced W2 (not squared) that counts as trained: twice the value between two independent 5,000-point draws of two moons
 * (0.05 measured), so what is left of the model's error is no larger than the sampling noise of the measure itself.
 */
const SW2_THRESHOLD = 0.1;
/**
 * Squared MMD (biased V-statistic: zero for identical sets) a sampler must reach against the same model's Heun-200
 * samples from the same source points: well under a tenth of its value between two independent 2,000-point draws of the
 * model (3.4e-3 measured, printed by the bench), so the solver's error is far below what comparing sample sets could detect.
 */
const MMD2_THRESHOLD = 1e-4;
const MMD_BANDWIDTHS = [0.05, 0.1, 0.2, 0.5, 1];
const EVAL_POINTS = 5_000;
const STEP_LADDER = [1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32, 48, 64, 100];
/** Points of the timed sampler runs (part (b)'s size). */
const TIMED_POINTS = 10_000;
const SAMPLERS = ['euler', 'heun', 'dpmpp-2m'] as const;

/** Two-moons reference points (the target set's generator, another seed). */
function moons(n: number, seed: number): Float32Array {
  return Float32Array.from(generateDataset('two-moons', { count: n, seed }).data);
}

/** Sliced W2 (128 fixed directions) between two point sets. */
function sw2(a: Float32Array, b: Float32Array): number {
  return Math.sqrt(slicedW2Squared(batch(a, [a.length / 2, 2]), batch(b, [b.length / 2, 2]), { projections: 128, rng: new Rng(11) }));
}

/** Samples n points from the spec's EMA network, starting from fresh source rows. */
async function draw(spec: PreviewSpec, sampler: string, steps: number, n: number, seed: number): Promise<Float32Array> {
  const start = new Float64Array(n * 2);
  drawRows(spec.source as NonNullable<PreviewSpec['source']>, new Rng(seed), n, start);
  const r = await sample(sampler, emaModel(spec), { data: Float32Array.from(start), shape: [n, 2] }, { grid: { name: 'uniform', steps } });
  return denormalise(Float32Array.from(r.x.data), spec.normalisation, 2);
}

/** The step count giving a sampler `nfe` network evaluations (Heun takes two per step; `nfe` is even for it). */
const stepsAt = (sampler: SampleJob['sampler'], nfe: number): number => (sampler === 'heun' ? nfe / 2 : nfe);

/** Settings part (e) takes from the run. */
interface QualitySettings {
  readonly quick: boolean;
  /** Rounds of the timed sampler runs. */
  readonly repeats: number;
  readonly torch: boolean;
}

/** Runs part (e) and returns its markdown lines: training time to the threshold, each sampler's fewest steps, and timed runs of 10,000 points there. */
export async function qualityPart({ quick, repeats, torch }: QualitySettings): Promise<{ lines: string[] }> {
  const workspace = mkdtempSync(join(tmpdir(), 'studio-bench-quality-'));
  const budget = quick ? 15 : 60; // seconds of training at most
  const evalEvery = 250;
  try {
    const config = {
      data: { source: 'builtin', id: 'two-moons', params: { count: 20_000 } },
      source: { source: 'builtin', id: 'eight-gaussians', params: { count: 20_000 } },
      coupling: { ot: 'exact' },
      steps: 1_000_000,
      emaDecay: 0.99,
      seed: 1,
    };
    const { dir } = await createRun(workspace, parseTrainingConfig(config), 'time to quality');
    const setup = await setupRun(dir, async (_pref, spec) => {
      const backend = await createOnnxruntimeBackend(spec, { threads: 2, provider: 'cpu' });
      return { backend, decision: { name: backend.name, device: backend.device, how: 'forced', tried: [] } };
    }, { workspace });
    const spec: PreviewSpec = { backend: setup.backend, parameterisation: setup.parameterisation, schedule: setup.schedule, itemShape: setup.itemShape, normalisation: setup.normalisation, ...(setup.source ? { source: setup.source } : {}) };
    const reference = moons(EVAL_POINTS, 101);
    const floor = sw2(moons(EVAL_POINTS, 102), reference);
    let trained = 0;
    let reached: { seconds: number; step: number; sw2: number } | null = null;
    const curve: string[] = [];
    while (trained < budget) {
      const t0 = performance.now();
      for (let k = 0; k < evalEvery; k++) await setup.trainer.runStep();
      trained += (performance.now() - t0) / 1000;
      const d = sw2(await draw(spec, 'heun', 32, EVAL_POINTS, 7), reference);
      curve.push(`${setup.trainer.step}: ${d.toFixed(3)}`);
      if (d <= SW2_THRESHOLD) {
        reached = { seconds: trained, step: setup.trainer.step, sw2: d };
        break;
      }
    }
    // per sampler: fewest steps whose samples come within the MMD threshold of the model's own converged samples
    const n = 2_000;
    const converged = await draw(spec, 'heun', 200, n, 9);
    const independent = mmd2(batch(await draw(spec, 'heun', 200, n, 10), [n, 2]), batch(converged, [n, 2]), { bandwidths: MMD_BANDWIDTHS, biased: true });
    const best = new Map<SampleJob['sampler'], { steps: number; mmd: number }>();
    for (const sampler of SAMPLERS) {
      for (const steps of STEP_LADDER) {
        const x = await draw(spec, sampler, steps, n, 9);
        const m = mmd2(batch(x, [n, 2]), batch(converged, [n, 2]), { bandwidths: MMD_BANDWIDTHS, biased: true });
        if (m <= MMD2_THRESHOLD) {
          best.set(sampler, { steps, mmd: m });
          break;
        }
      }
    }
    // equal NFE: the most any sampler needed, made even so Heun runs it exactly; every sampler is within the threshold there
    const needed = [...best].map(([sampler, b]) => jobNfe({ sampler, steps: b.steps }));
    const equalNfe = needed.length > 0 ? 2 * Math.ceil(Math.max(...needed) / 2) : null;
    const jobsOf = (sampler: SampleJob['sampler']): { own: SampleJob | null; equal: SampleJob | null } => {
      const b = best.get(sampler);
      return { own: b ? { sampler, steps: b.steps } : null, equal: equalNfe !== null ? { sampler, steps: stepsAt(sampler, equalNfe) } : null };
    };
    const jobs = [...new Map(SAMPLERS.flatMap((sm) => Object.values(jobsOf(sm))).filter((j): j is SampleJob => j !== null).map((j) => [jobKey(j), j])).values()];
    // timed runs of TIMED_POINTS points: the studio's samplers on the trained EMA network (the ONNX Runtime step, 2 threads),
    // and PyTorch's same update formulas on the same network shape in each thread setting, interleaved rounds
    const times = new Samples();
    if (jobs.length > 0) {
      await interleave('time to quality', repeats, times, async () => {
        for (const j of jobs) {
          const t0 = performance.now();
          await draw(spec, j.sampler, j.steps, TIMED_POINTS, 9);
          times.add('studio', jobKey(j), (performance.now() - t0) / 1000);
        }
        if (torch) for (const t of TORCH_SETTINGS) for (const [key, sec] of torchSampleTimes(t, TIMED_POINTS, jobs)) times.add(torchKey(t), key, sec);
      });
    }
    const cell = (j: SampleJob | null): string[] => {
      if (!j) return ['-', '-'];
      const studio = times.values('studio', jobKey(j));
      const ref = torch ? torchReference(times, jobKey(j), 'lower') : null;
      return [spread(studio, ' s'), ref ? `${fmt(ref.median)} s, ${torchLabel(ref.setting)} (${(ref.median / median(studio)).toFixed(2)}x)` : '-'];
    };
    const rows = SAMPLERS.map((sampler) => {
      const b = best.get(sampler);
      const { own, equal } = jobsOf(sampler);
      return `| ${sampler} | ${b ? b.steps : `> ${STEP_LADDER[STEP_LADDER.length - 1]}`} | ${own ? jobNfe(own) : '-'} | ${b ? b.mmd.toExponential(1) : '-'} | ${cell(own).join(' | ')} | ${equal ? equal.steps : '-'} | ${cell(equal).join(' | ')} |`;
    });
    setup.backend.dispose();
    return {
      lines: [
        `Training: ${reached ? `sliced W2 <= ${SW2_THRESHOLD} after **${fmt(reached.seconds)} s** of training (${reached.step} steps, batch 256, sliced W2 ${reached.sw2.toFixed(3)})` : `sliced W2 above ${SW2_THRESHOLD} after ${fmt(trained)} s (budget)`}; ONNX Runtime compiled step, 2 threads; 8 gaussians -> two moons (data to data), exact OT coupling, velocity on the linear path, EMA 0.99, evaluated every ${evalEvery} steps with Heun-32 on ${EVAL_POINTS.toLocaleString('en')} points (evaluation time not counted).`,
        `Two moons against itself (two independent ${EVAL_POINTS.toLocaleString('en')}-point draws): sliced W2 ${floor.toFixed(3)}. Curve (step: sliced W2): ${curve.join(', ')}.`,
        '',
        `| sampler | fewest steps to MMD^2 <= ${MMD2_THRESHOLD} | NFE | MMD^2 there | studio, ${TIMED_POINTS.toLocaleString('en')} points there | PyTorch there (fastest setting; its time over the studio's) | steps at equal NFE ${equalNfe ?? '-'} | studio at equal NFE | PyTorch at equal NFE |`,
        '|---|---|---|---|---|---|---|---|---|',
        ...rows,
        '',
        `Timed runs of ${TIMED_POINTS.toLocaleString('en')} points, median (min-max) of ${repeats} interleaved rounds: the studio's samplers on the trained EMA network through the ONNX Runtime step (2 threads); PyTorch's same update formulas (bench/torch_sample.py) on the same network shape, in each of its thread settings, the fastest median given with its setting${torch ? '' : ' (PyTorch absent: "-")'}. Equal NFE: the most any sampler needed, made even so Heun runs it exactly.`,
        `MMD^2 (biased V-statistic, RBF bandwidths ${MMD_BANDWIDTHS.join(', ')}) of ${n.toLocaleString('en')} samples against the same model's Heun-200 samples from the same source points, so only the solver's error counts; two independent Heun-200 draws of ${n.toLocaleString('en')} points differ by MMD^2 ${independent.toExponential(1)}. Steps tried: ${STEP_LADDER.join(', ')}. The ${fmt((reached?.step ?? setup.trainer.step) / trained)} training steps/s include the exact OT assignment of every batch.`,
      ],
    };
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}
