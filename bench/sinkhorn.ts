// Entropic couplings at batch 256, 8 gaussians -> two moons: the log-domain solver against the scaled one per s, and training steps/s beside the independent coupling.
// Run: npx jiti bench/sinkhorn.ts [--s 1,0.5,0.2,0.1,0.05,0.02,0.01] [--batches 5] [--seconds 2] [--rounds 3] [--no-train] [--no-log-domain]
import { performance } from 'node:perf_hooks';
import { scaledSinkhorn } from '../src-core/coupling/scaled-sinkhorn';
import { sinkhorn } from '../src-core/coupling/sinkhorn';
import { mlpConfig } from '../src-core/graph/families/mlp';
import { drawBuiltin } from '../src-core/lab/lab-sets';
import { Rng } from '../src-core/rng';
import { createSchedule } from '../src-core/schedules';
import { parseTrainingConfig, type TrainingConfigInput } from '../src-core/training/config';
import { buildModel } from '../src-core/training/model-from-config';
import { BatchBuilder, DataSource, Trainer, createRngStreams, freshTrainerState } from '../src-core/training/trainer';
import { createLabHost } from '../src-main/lab/lab-host';
import { loadAverage, median, spread } from './lib/common';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const sValues = opt('s', '1,0.5,0.2,0.1,0.05,0.02,0.01').split(',').map(Number);
const batches = Number(opt('batches', '5'));
const seconds = Number(opt('seconds', '2'));
const rounds = Number(opt('rounds', '3'));
/** The batch builder's tolerance and the solvers' sweep cap. */
const TOLERANCE = 1e-3;
const CAP = 2000;
const N = 256;
const load = () => loadAverage()[0].toFixed(2);
const pool = { source: drawBuiltin({ id: 'eight-gaussians' }, 8192, 12), data: drawBuiltin({ id: 'two-moons' }, 8192, 11) };

function draw(set: Float32Array, rng: Rng): { data: Float32Array; shape: number[] } {
  const out = new Float32Array(2 * N);
  for (let r = 0; r < N; r++) {
    const i = Math.floor(rng.uniform() * (set.length / 2));
    out[2 * r] = set[2 * i];
    out[2 * r + 1] = set[2 * i + 1];
  }
  return { data: out, shape: [N, 2] };
}

console.log(`entropic coupling at batch ${N}, tolerance ${TOLERANCE} (L1 marginals), cap ${CAP} sweeps; 1-minute load at start ${load()}`);
{
  console.log('\n| s | epsilon | log-domain ms | log-domain sweeps (converged) | scaled ms | scaled sweeps (converged) | drawn from OT | load |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const s of sValues) {
    const eps = 2 * s * s;
    const rng = new Rng(7);
    const logMs: number[] = [];
    const logSweeps: number[] = [];
    const scaledMs: number[] = [];
    const scaledSweeps: number[] = [];
    let logConverged = 0;
    let scaledConverged = 0;
    let ot = 0;
    for (let b = 0; b < batches; b++) {
      const x = draw(pool.source, rng);
      const y = draw(pool.data, rng);
      // the same batch through both, alternating which goes first
      for (const which of b % 2 === 0 ? ['log', 'scaled'] : ['scaled', 'log']) {
        if (which === 'log' && args.includes('--no-log-domain')) continue;
        const t = performance.now();
        if (which === 'log') {
          const r = sinkhorn(x, y, { epsilon: eps, tolerance: TOLERANCE, maxIterations: CAP });
          logMs.push(performance.now() - t);
          logSweeps.push(r.iterations);
          logConverged += r.converged ? 1 : 0;
        } else {
          const r = scaledSinkhorn(x, y, { epsilon: eps, tolerance: TOLERANCE, maxSweeps: CAP });
          scaledMs.push(performance.now() - t);
          scaledSweeps.push(r.sweeps);
          scaledConverged += r.converged ? 1 : 0;
          ot += r.permutation ? 1 : 0;
        }
      }
    }
    const log = logMs.length > 0 ? `${spread(logMs)} | ${spread(logSweeps)} (${logConverged}/${batches})` : '- | -';
    console.log(`| ${s} | ${eps.toPrecision(3)} | ${log} | ${spread(scaledMs)} | ${spread(scaledSweeps)} (${scaledConverged}/${batches}) | ${ot}/${batches} | ${load()} |`);
  }
}

/** Steps/s of the studio's Trainer and BatchBuilder on the backend a run's 'auto' picks, MLP 64x3, over one window. */
async function stepsPerSecond(coupling: TrainingConfigInput['coupling']): Promise<number> {
  const config = parseTrainingConfig({ data: { source: 'builtin', id: 'two-moons' }, model: mlpConfig([64, 64, 64]), coupling, steps: 1_000_000, batchSize: N, seed: 5 });
  const model = buildModel(config.model, [2]);
  const streams = createRngStreams(config.seed);
  const state = freshTrainerState(model.layout, streams);
  const o = config.optimiser;
  const backend = await createLabHost(null).trainingBackend({
    graph: model.graph, layout: model.layout, batchSize: N, state,
    optimiser: { kind: o.kind, beta1: o.beta1, beta2: o.beta2, eps: o.eps, weightDecay: o.weightDecay, gradClip: o.gradClip, emaDecay: config.emaDecay },
  });
  try {
    const data = new DataSource({ data: pool.data, rowSize: 2 }, streams.data);
    const builder = new BatchBuilder(config, { data, streams, schedule: createSchedule(config.objective.schedule), source: { data: pool.source, rowSize: 2 } });
    const trainer = new Trainer(config, backend, builder, data, streams, 0);
    for (let i = 0; i < 3; i++) await trainer.runStep();
    const start = performance.now();
    let k = 0;
    while (performance.now() - start < seconds * 1000) {
      await trainer.runStep();
      k++;
    }
    return k / ((performance.now() - start) / 1000);
  } finally {
    backend.dispose();
  }
}

if (!args.includes('--no-train')) {
  const cases: [string, TrainingConfigInput['coupling']][] = [['independent', 'independent'], ...sValues.map((s): [string, TrainingConfigInput['coupling']] => [`schrodinger s = ${s}`, { schrodinger: s }])];
  const rates = new Map<string, number[]>();
  const loads: string[] = [];
  for (let r = 0; r < rounds; r++) {
    loads.push(load());
    for (const [name, coupling] of cases) rates.set(name, [...(rates.get(name) ?? []), await stepsPerSecond(coupling)]);
  }
  const independent = median(rates.get('independent') ?? [NaN]);
  console.log(`\nTraining, steps/s (${seconds} s windows, ${rounds} interleaved rounds, MLP 64x3, batch ${N})\n`);
  console.log('| coupling | steps/s | / independent |');
  console.log('|---|---|---|');
  for (const [name] of cases) {
    const a = rates.get(name) ?? [];
    console.log(`| ${name} | ${spread(a)} | ${(median(a) / independent).toFixed(3)} |`);
  }
  console.log(`\n1-minute load at the start of each round: ${loads.join(', ')}; at the end ${load()}`);
}
