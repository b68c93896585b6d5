// Where the U-Net's compiled step and forward spend their time: ONNX Runtime's per-node profile, summed by op type and by node.
// Run: npx jiti bench/unet-profile.ts [--what step|forward] [--threads 2] [--runs 5] [--batch 64] [--channels 32,64] [--attention 1] [--classes 10] [--top 25] [--ops Mul,Add]
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import { initParams } from '../src-core/graph';
import { buildUnet } from '../src-core/graph/families/unet';
import { writeOnnx } from '../src-core/onnx';
import { Rng } from '../src-core/rng';
import { STEP_IO, compileParametricForward, compileTrainingStep } from '../src-core/training-graph';
import { median } from './lib/common';
import { flagValue, UNET_ADAM, unetFromFlags } from './lib/unet-bench';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => flagValue(args, name, fallback);
const what = opt('what', 'step');
const threads = Number(opt('threads', '2'));
const runs = Number(opt('runs', '5'));
const n = Number(opt('batch', '64'));
const top = Number(opt('top', '25'));
const only = opt('ops', '').split(',').filter((o) => o !== '');
const options = unetFromFlags(args);
const model = buildUnet(options);
const P = model.layout.size;
const D = 28 * 28;
const rng = new Rng(2);
const params = initParams(model.layout, new Rng(1));
const f32 = (data: Float32Array, dims: number[]) => new ort.Tensor('float32', data, dims);

const graph = what === 'forward' ? compileParametricForward(model.graph) : compileTrainingStep(model.graph, model.layout, { optimiser: UNET_ADAM, hasLabels: options.classes !== undefined });
const feeds: Record<string, ort.Tensor> = { [STEP_IO.params]: f32(params, [P]) };
const labels = () => new ort.Tensor('int64', BigInt64Array.from({ length: n }, (_, i) => BigInt(i % ((options.classes ?? 0) + 1))), [n]);
if (what === 'forward') {
  feeds.x = f32(rng.fillNormal(new Float32Array(n * D)), [n, 1, 28, 28]);
  feeds.t = f32(rng.fillUniform(new Float32Array(n)), [n]);
  if (options.classes !== undefined) feeds.y = labels();
} else {
  for (const k of [STEP_IO.m, STEP_IO.v, STEP_IO.ema]) feeds[k] = f32(k === STEP_IO.ema ? params.slice() : new Float32Array(P), [P]);
  feeds[STEP_IO.xt] = f32(rng.fillNormal(new Float32Array(n * D)), [n, 1, 28, 28]);
  feeds[STEP_IO.t] = f32(rng.fillUniform(new Float32Array(n)), [n]);
  feeds[STEP_IO.target] = f32(rng.fillNormal(new Float32Array(n * D)), [n, 1, 28, 28]);
  feeds[STEP_IO.weight] = f32(new Float32Array(n).fill(1), [n]);
  for (const [k, v] of [[STEP_IO.lr, 1e-3], [STEP_IO.bc1, 0.1], [STEP_IO.bc2, 0.001]] as const) feeds[k] = f32(Float32Array.of(v), []);
  if (options.classes !== undefined) feeds[STEP_IO.y] = labels();
}

const dir = mkdtempSync(join(tmpdir(), 'unet-profile-'));
// no spinning: the process CPU time then counts work, not waiting (a steadier figure on a loaded machine)
const base = { executionMode: 'sequential', graphOptimizationLevel: 'all', intraOpNumThreads: threads, interOpNumThreads: 1, extra: { session: { intra_op: { allow_spinning: '0' } } } } as const;
const bytes = writeOnnx(graph, new Float32Array(0));

// wall time first, without the profiler's overhead
const plain = await ort.InferenceSession.create(bytes, base);
await plain.run(feeds);
const wall: number[] = [];
const cpu: number[] = [];
for (let r = 0; r < runs; r++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await plain.run(feeds);
  wall.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000);
}
await plain.release();

const session = await ort.InferenceSession.create(bytes, { ...base, enableProfiling: true, profileFilePrefix: join(dir, 'p') });
await session.run(feeds);
for (let r = 0; r < runs; r++) await session.run(feeds);
session.endProfiling();
await session.release();
const file = readdirSync(dir).find((f) => f.endsWith('.json'));
if (!file) throw new Error('ONNX Runtime wrote no profile');
interface Event {
  cat: string;
  name: string;
  dur: number;
  args?: { op_name?: string; input_type_shape?: Record<string, number[]>[] };
}
const events = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Event[];
rmSync(dir, { recursive: true, force: true });
const runsSeen = events.filter((e) => e.cat === 'Session' && e.name === 'model_run').length;
const kernels = events.filter((e) => e.cat === 'Node' && e.name.endsWith('_kernel_time'));
// each node's fastest run: on a loaded machine a preempted kernel's wall time says nothing about the kernel, and the
// minima add up to about the process CPU time of a run where the sums over runs do not
interface NodeTime {
  readonly op: string;
  readonly us: number;
  readonly shapes: string;
}
const nodes = new Map<string, NodeTime>();
const shapesOf = (e: Event) => (e.args?.input_type_shape ?? []).map((t) => `[${Object.values(t)[0].join('x')}]`).join(' ');
for (const e of kernels) {
  const node = e.name.slice(0, -'_kernel_time'.length);
  const seen = nodes.get(node);
  nodes.set(node, { op: e.args?.op_name ?? '?', us: Math.min(seen?.us ?? Infinity, e.dur), shapes: shapesOf(e) });
}
const ms = (us: number) => us / 1000;
const byOp = new Map<string, number>();
const byPhase = new Map<string, number>();
// gradient nodes are named tg.<forward node>/<op>_<k>: their time is charged to the forward op's rule; a node ONNX
// Runtime inserted (a layout reorder) is charged to the node it follows in execution order
const forwardOp = new Map(graph.nodes.filter((x) => !x.name.startsWith('tg.')).map((x) => [x.name, x.op]));
const byRule = new Map<string, number>();
const byScope = new Map<string, number>();
let total = 0;
let owner = '';
for (const [name, { op, us }] of nodes) {
  const inserted = !name.startsWith('tg.') && !forwardOp.has(name.replace(/_nchwc$/, ''));
  const node = inserted && owner !== '' ? owner : name;
  owner = node;
  byOp.set(op, (byOp.get(op) ?? 0) + us);
  // the parametric forward's parameter views are tg.* too: only a step has a backward
  const backward = what !== 'forward' && node.startsWith('tg.');
  const phase = backward ? 'backward + optimiser' : 'forward';
  if (backward) {
    const slash = node.lastIndexOf('/');
    const rule = slash < 0 ? 'sums, loss, optimiser' : `${forwardOp.get(node.slice(3, slash)) ?? '?'} rule`;
    byRule.set(rule, (byRule.get(rule) ?? 0) + us);
    const scope = slash < 0 ? '(sums, loss, optimiser)' : node.slice(3, slash);
    byScope.set(scope, (byScope.get(scope) ?? 0) + us);
  }
  byPhase.set(phase, (byPhase.get(phase) ?? 0) + us);
  total += us;
}
const runMs = median(events.filter((e) => e.cat === 'Session' && e.name === 'model_run').map((e) => e.dur / 1000));

console.log(`U-Net ${JSON.stringify({ channels: options.channels, attention: options.attentionLevels, classes: options.classes })}, batch ${n}, ${what}, ${threads} thread(s), ${graph.nodes.length} graph nodes; load ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}`);
console.log(`wall median ${median(wall).toFixed(1)} ms, CPU ${median(cpu).toFixed(1)} ms (no profiler); profiled run median ${runMs.toFixed(1)} ms; kernels, each at its fastest of ${runsSeen} runs, ${ms(total).toFixed(1)} ms`);
for (const [phase, us] of byPhase) console.log(`  ${phase}: ${ms(us).toFixed(1)} ms`);
console.log('\n| op | ms per run | share |\n|---|---|---|');
for (const [op, us] of [...byOp].sort((a, b) => b[1] - a[1])) console.log(`| ${op} | ${ms(us).toFixed(1)} | ${((100 * us) / total).toFixed(1)}% |`);
if (byRule.size > 0) {
  console.log('\n| backward by rule | ms per run |\n|---|---|');
  for (const [rule, us] of [...byRule].sort((a, b) => b[1] - a[1])) console.log(`| ${rule} | ${ms(us).toFixed(1)} |`);
  console.log(`\n| gradient of forward node (top ${top}) | ms per run |\n|---|---|`);
  for (const [scope, us] of [...byScope].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`| ${scope} | ${ms(us).toFixed(2)} |`);
}
console.log(`\n| node (top ${top}) | op | inputs | ms per run |\n|---|---|---|---|`);
for (const [node, v] of [...nodes].filter(([, v]) => only.length === 0 || only.includes(v.op)).sort((a, b) => b[1].us - a[1].us).slice(0, top)) console.log(`| ${node} | ${v.op} | ${v.shapes} | ${ms(v.us).toFixed(2)} |`);
