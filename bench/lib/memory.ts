// Part (d): peak resident memory (VmHWM from /proc/self/status) of training and of sampling 100,000 points, each in a fresh child process.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BENCH_DIR, PYTHON, TORCH_SETTINGS, torchChild, torchLabel } from './common';

/** One measurement: the process's peak, and its peak right after start-up (imports, runtime). */
interface MemoryRow {
  readonly label: string;
  readonly peakMb: number;
  readonly startMb: number | null;
}

const JITI = join(BENCH_DIR, '..', 'node_modules', '.bin', 'jiti');
const mb = (kb: number) => kb / 1024;

function lastJson(stdout: string): Record<string, unknown> {
  const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (!line) throw new Error(`no JSON line in: ${stdout.slice(-500)}`);
  return JSON.parse(line) as Record<string, unknown>;
}

function nodeChild(args: string[]): { peak: number; start: number } {
  const r = spawnSync(JITI, [join(BENCH_DIR, 'memory-child.ts'), ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`memory-child ${args.join(' ')} failed: ${r.stderr.slice(-1500)}`);
  const j = lastJson(r.stdout);
  return { peak: j.vmhwmKb as number, start: j.baselineKb as number };
}

function firstAndLast(stdout: string): { start: number; peak: number } {
  const rows = stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { start: rows[0].vmhwm_kb as number, peak: rows[rows.length - 1].vmhwm_kb as number };
}

/** Peak memory of each job; PyTorch's only where torch is present. */
export function measureMemory(batch: number, points: number, withTorch: boolean, tmp: string): MemoryRow[] {
  const rows: MemoryRow[] = [];
  const train = nodeChild(['train-onnx', String(batch)]);
  rows.push({ label: `training, ONNX Runtime compiled step (batch ${batch}, 20 steps, 2 threads)`, peakMb: mb(train.peak), startMb: mb(train.start) });
  const sampling = nodeChild(['sample-onnx', String(points), tmp]);
  rows.push({ label: `sampling ${points.toLocaleString('en')} points, ONNX Runtime step loop (Euler, 2 threads)`, peakMb: mb(sampling.peak), startMb: mb(sampling.start) });
  if (!withTorch) return rows;
  const setting = TORCH_SETTINGS[1]; // two torch threads, as the ONNX Runtime rows run two
  const child = torchChild(setting);
  // the training script runs unchanged inside a wrapper that reads VmHWM after it (its folder on the path for torch_threads)
  const wrapper = [
    'import runpy, sys, json',
    `sys.path.insert(0, ${JSON.stringify(BENCH_DIR)})`,
    `sys.argv = ['torch_train_step.py', ${child.args.map((a) => `'${a}'`).join(', ')}, '--batches', '${batch}', '--seconds', '1', '--repeats', '1']`,
    `runpy.run_path(${JSON.stringify(join(BENCH_DIR, 'torch_train_step.py'))}, run_name='__main__')`,
    "print(json.dumps({'vmhwm_kb': int([l for l in open('/proc/self/status') if l.startswith('VmHWM:')][0].split()[1])}))",
  ].join('\n');
  const t = spawnSync(PYTHON, ['-c', wrapper], { encoding: 'utf8', env: child.env });
  if (t.status !== 0) throw new Error(`PyTorch training memory failed: ${t.stderr.slice(-1500)}`);
  rows.push({ label: `training, PyTorch (batch ${batch}, ${torchLabel(setting)}, 1 s)`, peakMb: mb(lastJson(t.stdout).vmhwm_kb as number), startMb: null });
  const s = spawnSync(PYTHON, [join(BENCH_DIR, 'torch_sample.py'), ...child.args, '--n', String(points), '--jobs', 'euler:10', '--memory'], { encoding: 'utf8', env: child.env });
  if (s.status !== 0) throw new Error(`PyTorch sampling memory failed: ${s.stderr.slice(-1500)}`);
  const fl = firstAndLast(s.stdout);
  rows.push({ label: `sampling ${points.toLocaleString('en')} points, PyTorch (Euler, ${torchLabel(setting)})`, peakMb: mb(fl.peak), startMb: mb(fl.start) });
  return rows;
}
