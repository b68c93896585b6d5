// Parts (f) and (g) of `npm run bench`: training steps/s under each coupling beside the independent one, and the 8 gaussians -> two moons task trained to the end.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drawBuiltin } from '../../src-core/lab/lab-sets';
import { fitFlow, pushFlow } from '../../src-core/lab/flow-fit';
import { mlpConfig } from '../../src-core/graph/families/mlp/schema';
import { exactW2Squared } from '../../src-core/metrics/wasserstein';
import type { TrainingConfigInput } from '../../src-core/training/config';
import { createOnnxruntimeBackend } from '../../src-main/training/backends/onnxruntime-backend';
import { PYTHON, fmt, median, spread, torchJson, torchLabel, type TorchSetting } from './common';
import { Samples, interleave } from './rounds';

type Coupling = TrainingConfigInput['coupling'];

/** A coupling of the table: its key, its words and the config's value. */
interface CouplingCase {
  readonly key: string;
  readonly label: string;
  readonly coupling: Coupling;
}

/** The couplings measured: independent pairs (the reference), exact OT, and the Schrödinger bridge from s = 1 down to 0.01. */
const CASES: readonly CouplingCase[] = [
  { key: 'independent', label: 'independent', coupling: 'independent' },
  { key: 'ot', label: 'exact OT (OT-CFM)', coupling: { ot: 'exact' } },
  ...[1, 0.5, 0.2, 0.1, 0.05, 0.01].map((s) => ({ key: `sb-${s}`, label: `Schrödinger bridge, s = ${s} (SB-CFM)`, coupling: { schrodinger: s } as Coupling })),
];

/** The couplings of `keys` in the table's order; an unknown key is an error naming the known ones. */
function casesOf(keys: readonly string[]): CouplingCase[] {
  for (const k of keys) if (!CASES.some((c) => c.key === k)) throw new Error(`unknown coupling '${k}' (couplings: ${COUPLING_KEYS.join(', ')})`);
  return CASES.filter((c) => keys.includes(c.key));
}

/** The keys of the measured couplings, independent first. */
export const COUPLING_KEYS = CASES.map((c) => c.key);

/** The task: noise-free data-to-data transport from 8 gaussians (t = 1) to two moons (t = 0), as torchcfm's 2-D example trains it. */
const TASK = { batch: 256, hidden: [64, 64, 64], pool: 100_000 } as const;

/** Pools of the two sets drawn once, so a step's batch is a draw from a large sample. */
function pools(seed: number): { moons: Float32Array; gaussians: Float32Array } {
  return { moons: drawBuiltin({ id: 'two-moons' }, TASK.pool, seed), gaussians: drawBuiltin({ id: 'eight-gaussians' }, TASK.pool, seed + 1) };
}

/** Thrown from the progress callback to end a window at its time budget. */
class OverBudget extends Error {}

/**
 * Trains the task's flow with a coupling for `steps` steps on the compiled ONNX step (2 threads). The rate is taken
 * between the trainer's progress reports after the first (warm-up) one; a window over `budget` seconds ends there.
 */
async function train(coupling: Coupling, steps: number, seed: number, budget = Infinity, drawn = pools(seed)) {
  const { moons, gaussians } = drawn;
  const marks: { done: number; at: number }[] = [];
  const rateOf = () => (marks.length < 2 ? NaN : ((marks[marks.length - 1].done - marks[0].done) * 1000) / (marks[marks.length - 1].at - marks[0].at));
  try {
    const flow = await fitFlow({
      config: { data: { source: 'builtin', id: 'two-moons' }, model: mlpConfig(TASK.hidden), coupling, steps, batchSize: TASK.batch, seed },
      data: { data: moons, rowSize: 2 },
      source: { data: gaussians, rowSize: 2 },
      backend: (spec) => createOnnxruntimeBackend(spec, { threads: 2, provider: 'cpu' }),
      onSteps: async (done) => {
        marks.push({ done, at: performance.now() });
        if ((marks[marks.length - 1].at - marks[0].at) / 1000 > budget) throw new OverBudget();
      },
    });
    return { flow, rate: rateOf(), complete: true };
  } catch (err) {
    if (!(err instanceof OverBudget)) throw err;
    return { flow: null, rate: rateOf(), complete: false };
  }
}

/** (f) steps/s per coupling at batch 256, interleaved rounds of `steps` steps each, with the ratio to the independent coupling. */
export async function couplingPart(s: { repeats: number; steps: number; budget: number; couplings: readonly string[] }): Promise<{ lines: string[] }> {
  const cases = casesOf(s.couplings);
  const samples = new Samples();
  await interleave('couplings', s.repeats, samples, async (round) => {
    for (const c of cases) {
      const { flow, rate } = await train(c.coupling, s.steps, 11 + round, s.budget);
      flow?.dispose();
      samples.add(c.key, 'rate', rate);
    }
  });
  const ref = median(samples.values('independent', 'rate'));
  const lines = ['| coupling | steps/s | / independent | coupling cost per step |', '|---|---|---|---|'];
  for (const c of cases) {
    const v = samples.values(c.key, 'rate');
    const m = median(v);
    const extra = c.key === 'independent' ? '-' : `${fmt(1000 / m - 1000 / ref)} ms`;
    lines.push(`| ${c.label} | ${spread(v)} | ${(m / ref).toFixed(2)}x | ${extra} |`);
  }
  lines.push(
    '',
    `Batch ${TASK.batch}, MLP ${TASK.hidden.join('x')} (SiLU), 8 gaussians (t = 1) to two moons (t = 0), each step's batch drawn from ${TASK.pool.toLocaleString('en')}-point pools; the studio's trainer, batch builder and compiled ONNX step (2 threads); windows of ${s.steps} steps (or ${s.budget} s) timed after the first 32, median (min-max) of ${s.repeats} interleaved rounds. The goal is every coupling at >= 0.5x the independent one's steps/s (s >= 0.05). Cost per step: 1/rate minus the independent 1/rate.`,
    `1-minute load at the start of each round: ${samples.roundLoads.map((l) => l.toFixed(2)).join(', ')}.`,
  );
  return { lines };
}

/** The PyTorch + POT run of the task for a coupling key, on the same pools and test points; null where it has no such coupling. */
function torchTask(key: string, files: Record<'moons' | 'gaussians' | 'testSources' | 'testTargets', string>, steps: number, budget: number): { seconds: number; rate: number; w2: number | null; complete: boolean } | null {
  const coupling = key === 'independent' ? ['--coupling', 'independent'] : key === 'ot' ? ['--coupling', 'ot'] : key.startsWith('sb-') ? ['--coupling', 'sb', '--s', key.slice(3)] : null;
  if (!coupling) return null;
  const [row] = torchJson(
    'torch_cfm_task.py',
    ['--moons', files.moons, '--gaussians', files.gaussians, '--test-sources', files.testSources, '--test-targets', files.testTargets, ...coupling, '--steps', String(steps), '--batch', String(TASK.batch), '--budget', String(budget)],
    TASK_TORCH,
  );
  return { seconds: Number(row.seconds), rate: Number(row.steps_per_s), w2: typeof row.w2 === 'number' ? row.w2 : null, complete: row.steps === steps };
}

/** PyTorch's setting for the task: one thread each (a 64-wide MLP and POT's solvers gain nothing from a second). */
const TASK_TORCH: TorchSetting = { torch: 1, blas: 1 };

/**
 * (g) The task trained to the end per coupling, the studio beside PyTorch + POT on the same pools: training seconds and
 * the W2 of the learned map's images against fresh targets.
 */
export async function transportTaskPart(s: { steps: number; points: number; couplings: readonly string[]; budget: number; torch: boolean }): Promise<{ lines: string[] }> {
  const cases = casesOf(s.couplings);
  // POT (Debian's python3-pot) computes the reference's plans; without it the reference columns read '-'
  const withTorch = s.torch && spawnSync(PYTHON, ['-c', 'import ot'], { encoding: 'utf8' }).status === 0;
  const { moons, gaussians } = pools(21);
  const fresh = drawBuiltin({ id: 'two-moons' }, s.points, 901);
  const sources = drawBuiltin({ id: 'eight-gaussians' }, s.points, 902);
  const floor = Math.sqrt(exactW2Squared({ data: fresh, shape: [s.points, 2] }, { data: drawBuiltin({ id: 'two-moons' }, s.points, 903), shape: [s.points, 2] }));
  const dir = mkdtempSync(join(tmpdir(), 'bench-transport-'));
  const files = { moons: join(dir, 'moons.f32'), gaussians: join(dir, 'gaussians.f32'), testSources: join(dir, 'test-sources.f32'), testTargets: join(dir, 'test-targets.f32') };
  const lines = [
    '| coupling | studio: training s | steps/s | W2 | PyTorch + POT: training s | steps/s | W2 | studio time / PyTorch\'s |',
    '|---|---|---|---|---|---|---|---|',
  ];
  try {
    for (const [name, data] of [['moons', moons], ['gaussians', gaussians], ['testSources', sources], ['testTargets', fresh]] as const) writeFileSync(files[name], data);
    for (const c of cases) {
      process.stderr.write(`transport task: ${c.label}, ${s.steps} steps\n`);
      const { flow, rate } = await train(c.coupling, s.steps, 21, s.budget, { moons, gaussians });
      let ours = `stopped at ${s.budget} s | ${fmt(rate)} | -`;
      let oursSeconds = s.steps / rate;
      if (flow) {
        try {
          const image = await pushFlow(flow.model, sources, 2, 100, 'heun');
          const w2 = Math.sqrt(exactW2Squared({ data: image, shape: [s.points, 2] }, { data: fresh, shape: [s.points, 2] }));
          oursSeconds = flow.seconds;
          ours = `${flow.seconds.toFixed(1)} | ${fmt(rate)} | ${w2.toFixed(3)}`;
        } finally {
          flow.dispose();
        }
      }
      const ref = withTorch ? torchTask(c.key, files, s.steps, s.budget) : null;
      const theirs = ref ? `${ref.complete ? ref.seconds.toFixed(1) : `stopped at ${s.budget} s`} | ${fmt(ref.rate)} | ${ref.w2 === null ? '-' : ref.w2.toFixed(3)}` : '- | - | -';
      const refSeconds = ref ? s.steps / ref.rate : NaN;
      lines.push(`| ${c.label} | ${ours} | ${theirs} | ${Number.isFinite(refSeconds) ? (oursSeconds / refSeconds).toFixed(2) : '-'} |`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  lines.push(
    '',
    ...(s.torch && !withTorch ? ['PyTorch + POT left out: /usr/bin/python3 cannot import ot (apt-get install python3-pot).', ''] : []),
    `${s.steps.toLocaleString('en')} steps at batch ${TASK.batch}, MLP ${TASK.hidden.join('x')} (SiLU), one run each, training time only (a run past ${s.budget} s stops and its time is extrapolated from its rate). Both sides draw each batch from the same ${TASK.pool.toLocaleString('en')}-point pools of the studio's sets. PyTorch + POT (bench/torch_cfm_task.py, ${torchLabel(TASK_TORCH)}): exact OT by POT's network simplex (ot.emd), the bridge's plan by POT's log-domain Sinkhorn at regularisation 2 s^2 (stop at 1e-3), pairs drawn from the plan. W2: exact, between the images of ${s.points.toLocaleString('en')} fresh 8-gaussian points (Heun, 100 steps, EMA weights) and ${s.points.toLocaleString('en')} fresh two-moons points; two independent two-moons samples of that size are ${floor.toFixed(3)} apart (the floor). Goal: OT-CFM and SB-CFM in under a third of the reference's time at equal or better W2.`,
  );
  return { lines };
}
