// Opt-in: downloads ONNX Runtime's CUDA 12 execution provider (not fetched by a plain npm install).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const script = require.resolve('onnxruntime-node/script/install');
const run = spawnSync(process.execPath, [script], { stdio: 'inherit', env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'cuda12' } });
if (run.status !== 0) console.error('The CUDA provider could not be installed; the studio keeps using ONNX Runtime on the CPU.');
process.exit(run.status ?? 1);
