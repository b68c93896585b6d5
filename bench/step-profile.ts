// Where workload W's compiled step spends a run: wall time per step against ONNX Runtime's run and its kernels, and the top nodes.
// Run: npx jiti bench/step-profile.ts [--batch 256] [--threads 1,2] [--per-run 1,16] [--steps 400] [--top 20]
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initParams } from '../src-core/graph';
import { Rng } from '../src-core/rng';
import { compileTrainingStep } from '../src-core/training-graph';
import { createOnnxruntimeBackend } from '../src-main/training/backends/onnxruntime-backend';
import { ADAM, cfmBatches, loadAverage, median, referenceMlp } from './lib/common';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const n = Number(opt('batch', '256'));
const threadList = opt('threads', '1,2').split(',').map(Number);
const perRunList = opt('per-run', '1,16').split(',').map(Number);
const stepsWanted = Number(opt('steps', '400'));
const top = Number(opt('top', '20'));
const WARMUP = 20;
const ROUNDS = 3;

interface ProfileEvent {
  cat: string;
  name: string;
  dur: number;
  args?: { op_name?: string };
}

type Backend = Awaited<ReturnType<typeof createOnnxruntimeBackend>>;

async function backendFor(threads: number, perRun: number, profilePrefix?: string): Promise<Backend> {
  const model = referenceMlp();
  const params = initParams(model.layout, new Rng(1));
  const P = params.length;
  const state = { step: 0, params, m: new Float32Array(P), v: new Float32Array(P), ema: params.slice() };
  return createOnnxruntimeBackend({ graph: model.graph, layout: model.layout, optimiser: ADAM, batchSize: n, state }, { threads, provider: 'cpu', profilePrefix, stepsPerRun: perRun });
}

/** Milliseconds of wall and process CPU time per step over `steps` steps after a warm-up, perRun steps per session run. */
async function timeSteps(backend: Backend, perRun: number, steps: number): Promise<{ wall: number; cpu: number }> {
  const batches = cfmBatches(n, 2);
  let k = 0;
  const lrs = new Array<number>(perRun).fill(1e-3);
  const run = () => (perRun === 1 ? backend.step(batches[k++ % 8], 1e-3) : backend.steps(() => batches[k++ % 8], lrs));
  for (let i = 0; i < Math.ceil(WARMUP / perRun); i++) await run();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < steps / perRun; i++) await run();
  const wall = (performance.now() - t0) / steps;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 / steps };
}

/** The profile ONNX Runtime writes on dispose (asynchronously: the session is released after its profile ends). */
async function profileIn(dir: string, perRun: number): Promise<ProfileEvent[]> {
  for (let wait = 0; wait < 100; wait++) {
    const file = readdirSync(dir).find((f) => f.startsWith(`step-k${perRun}`) && f.endsWith('.json'));
    if (file) {
      try {
        return JSON.parse(readFileSync(join(dir, file), 'utf8')) as ProfileEvent[];
      } catch {
        // still being written
      }
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('ONNX Runtime wrote no profile');
}

// gradient nodes are named tg.<forward node>/<op>_<k>; the parameter views, the loss and the optimiser tg.<op>_<k>, but
// for the values named after the step's state and results (params_next, m.3, loss.3, ...); step k > 0 of a run prefixes
// its forward values with s<k>/
const STATE_NAMES = /^(params|m|v|ema)(_next|\.\d+)$|^(loss|grad_norm)(\.\d+)?$/;
function phaseOf(node: string): string {
  if (STATE_NAMES.test(node)) return 'views, loss, gradient concat, optimiser';
  if (!node.startsWith('tg.')) return 'forward';
  return node.includes('/') ? 'backward' : 'views, loss, gradient concat, optimiser';
}

/** A node's name with its step's prefix dropped, so the steps of one run add up per node. */
const stepless = (node: string): string => node.replace(/^(tg\.)?s\d+\//, '$1');

const model = referenceMlp();
const stepGraph = compileTrainingStep(model.graph, model.layout, { optimiser: ADAM, hasLabels: false });
console.log(`workload W, batch ${n}: ${stepGraph.nodes.length} nodes in the compiled step (before ONNX Runtime's fusions), P = ${model.layout.size}`);
console.log(`command: npx jiti bench/step-profile.ts ${args.join(' ')}`.trimEnd());
for (const threads of threadList) for (const perRun of perRunList) {
  const steps = Math.ceil(stepsWanted / perRun) * perRun;
  const loadBefore = loadAverage()[0];
  // plain and profiled sessions alternate, so a load change hits both; the profile is read from the last round
  const plain: { wall: number; cpu: number }[] = [];
  const profiledWall: number[] = [];
  let events: ProfileEvent[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const b = await backendFor(threads, perRun);
    plain.push(await timeSteps(b, perRun, steps));
    b.dispose();
    const dir = mkdtempSync(join(tmpdir(), 'step-profile-'));
    const p = await backendFor(threads, perRun, join(dir, 'step'));
    profiledWall.push((await timeSteps(p, perRun, steps)).wall);
    p.dispose();
    if (round === ROUNDS - 1) events = await profileIn(dir, perRun);
    rmSync(dir, { recursive: true, force: true });
  }
  // the last steps / perRun runs are the timed ones; kernels are matched to runs by order
  const runEvents = events.filter((e) => e.cat === 'Session' && e.name === 'model_run');
  const timedRuns = runEvents.length - steps / perRun;
  const kernels: ProfileEvent[] = [];
  let run = -1;
  for (const e of events) {
    if (e.cat === 'Session' && e.name === 'model_run') run++;
    // a run's kernel events come before its model_run event (written when the run ends)
    else if (e.cat === 'Node' && e.name.endsWith('_kernel_time') && run + 1 >= timedRuns) kernels.push(e);
  }
  const perStep = (us: number) => us / 1000 / steps;
  const byNode = new Map<string, { op: string; us: number }>();
  const byOp = new Map<string, { us: number; nodes: Set<string> }>();
  const byPhase = new Map<string, number>();
  let total = 0;
  for (const e of kernels) {
    const op = e.args?.op_name ?? '?';
    const node = e.name.slice(0, -'_kernel_time'.length);
    byNode.set(stepless(node), { op, us: (byNode.get(stepless(node))?.us ?? 0) + e.dur });
    const o = byOp.get(op) ?? { us: 0, nodes: new Set<string>() };
    o.us += e.dur;
    o.nodes.add(stepless(node));
    byOp.set(op, o);
    byPhase.set(phaseOf(node), (byPhase.get(phaseOf(node)) ?? 0) + e.dur);
    total += e.dur;
  }
  // means throughout (the kernel sums are means): the profiled window's wall = run time + time outside the runs
  const timed = runEvents.slice(timedRuns);
  const runMs = timed.reduce((a, e) => a + e.dur, 0) / 1000 / timed.length / perRun;
  const wallPlain = median(plain.map((x) => x.wall));
  const wallProfiled = profiledWall[ROUNDS - 1];
  const kernelMs = perStep(total);
  console.log(`\n## ${threads} thread(s), batch ${n}, ${perRun} step(s) per run, ${steps} timed steps per session; 1-minute load ${loadBefore.toFixed(2)} before, ${loadAverage()[0].toFixed(2)} after`);
  console.log(`${kernels.length / steps} kernels run per step (after ONNX Runtime's fusions)\n`);
  console.log('| per step | ms | steps/s |\n|---|---|---|');
  console.log(`| wall, no profiler (median; rounds ${plain.map((x) => x.wall.toFixed(3)).join(', ')}) | ${wallPlain.toFixed(3)} | ${(1000 / wallPlain).toFixed(0)} |`);
  console.log(`| process CPU, no profiler (median; rounds ${plain.map((x) => x.cpu.toFixed(3)).join(', ')}) | ${median(plain.map((x) => x.cpu)).toFixed(3)} | |`);
  console.log(`| wall, profiled (the profile's round) | ${wallProfiled.toFixed(3)} | ${(1000 / wallProfiled).toFixed(0)} |`);
  console.log(`| ONNX Runtime model_run (mean run / steps per run, profiled) | ${runMs.toFixed(3)} | |`);
  console.log(`| sum of kernel times (mean, profiled) | ${kernelMs.toFixed(3)} | |`);
  console.log(`| outside kernels, inside run: executor and allocation | ${(runMs - kernelMs).toFixed(3)} | |`);
  console.log(`| outside run: binding (it copies every output into a fresh buffer), event loop, JS | ${(wallProfiled - runMs).toFixed(3)} | |`);
  console.log('\n| phase | ms per step | share of kernels |\n|---|---|---|');
  for (const [phase, us] of [...byPhase].sort((a, b) => b[1] - a[1])) console.log(`| ${phase} | ${perStep(us).toFixed(3)} | ${((100 * us) / total).toFixed(1)}% |`);
  console.log('\n| op | nodes | ms per step | share |\n|---|---|---|---|');
  for (const [op, v] of [...byOp].sort((a, b) => b[1].us - a[1].us)) console.log(`| ${op} | ${v.nodes.size} | ${perStep(v.us).toFixed(3)} | ${((100 * v.us) / total).toFixed(1)}% |`);
  console.log(`\n| node (top ${top}) | op | ms per step |\n|---|---|---|`);
  for (const [node, v] of [...byNode].sort((a, b) => b[1].us - a[1].us).slice(0, top)) console.log(`| ${node} | ${v.op} | ${perStep(v.us).toFixed(3)} |`);
}
