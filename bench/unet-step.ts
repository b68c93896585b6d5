// The U-Net at batch 64 on 1x28x28: train steps/s of the compiled ONNX step (1 and 2 threads) beside tfjs wasm and cpu, and the forward (sample step) time.
// PyTorch's same network (bench/torch_unet_step.py) runs in its three thread settings as paths torch11, torch21, torch12.
// Run: npx jiti bench/unet-step.ts [--seconds 4] [--repeats 3] [--batch 64] [--channels 32,64] [--blocks 1] [--attention 1] [--paths ort1,ort2,wasm,cpu,torch11,torch21,torch12]
import { readFileSync } from 'node:fs';
import { buildUnet } from '../src-core/graph/families/unet';
import { median } from './lib/common';
import { flagValue, unetFromFlags, unetPaths } from './lib/unet-bench';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => flagValue(args, name, fallback);
const seconds = Number(opt('seconds', '4'));
const repeats = Number(opt('repeats', '3'));
const n = Number(opt('batch', '64'));
const options = unetFromFlags(args);
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const model = buildUnet(options);

const ALL_PATHS = unetPaths(options, n, seconds);
const paths = Object.fromEntries(
  opt('paths', 'ort1,ort2,wasm,cpu').split(',').map((k) => {
    if (!(k in ALL_PATHS)) throw new Error(`--paths: unknown path '${k}' (paths: ${Object.keys(ALL_PATHS).join(', ')})`);
    return ALL_PATHS[k];
  }),
);

console.log(`U-Net ${JSON.stringify({ channels: options.channels, blocks: options.resBlocksPerLevel, attention: options.attentionLevels, groups: options.groups })} on 1x28x28, batch ${n}, ${model.layout.size} parameters, ${model.graph.nodes.length} forward nodes`);
console.log(`${seconds}s windows, median of ${repeats} rounds, paths interleaved per round; load at start ${load()}`);
const rates = new Map<string, number[]>();
const forward = new Map<string, number[]>();
const loads: string[] = [];
for (let r = 0; r < repeats; r++) {
  loads.push(load().split(' ')[0]);
  for (const [name, make] of Object.entries(paths)) {
    const m = await make();
    console.log(`  round ${r + 1}, ${name}: ${m.steps.toFixed(3)} steps/s, forward ${m.forwardMs.toFixed(1)} ms (load ${load().split(' ')[0]})`);
    rates.set(name, [...(rates.get(name) ?? []), m.steps]);
    forward.set(name, [...(forward.get(name) ?? []), m.forwardMs]);
  }
}
const best = Math.max(...['onnxruntime, 1 thread', 'onnxruntime, 2 threads'].map((k) => (rates.has(k) ? median(rates.get(k) as number[]) : 0)));
console.log('\n| path | train steps/s | best compiled / this | forward (sample step) ms |');
console.log('|---|---|---|---|');
for (const name of Object.keys(paths)) {
  const s = median(rates.get(name) as number[]);
  console.log(`| ${name} | ${s.toFixed(2)} | ${(best / s).toFixed(2)}x | ${median(forward.get(name) as number[]).toFixed(1)} |`);
}
const torchBest = Math.max(...Object.keys(paths).filter((k) => k.startsWith('PyTorch')).map((k) => median(rates.get(k) as number[])));
if (Number.isFinite(torchBest)) console.log(`\nCompiled step's best setting over PyTorch's best: ${(best / torchBest).toFixed(2)}x`);
console.log(`\n1-min load per round: ${loads.join(', ')}; load at end ${load()}`);
