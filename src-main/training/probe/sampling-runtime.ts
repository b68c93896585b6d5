// What sampling runs on: ONNX Runtime loaded and its provider picked on a one-node graph, the way the sampling process opens its sessions.
import { availableParallelism } from 'node:os';
import type { SamplingRuntime } from '../../../src-core/api/methods/training';
import { pickSamplingProvider } from '../../ort/execution-provider';
import { loadOrt } from '../../ort/ort-session';
import { FIXES } from '../backends/backend-fixes';
import { errorMessage } from '../backends/tfjs-engine';

/** Threads of a sampling session: the sampling service's default, the machine's cores up to 4. */
function samplingThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** Loads ONNX Runtime and picks the provider sampling sessions open on, the way the sampling process does; never throws. */
export async function probeSamplingRuntime(): Promise<SamplingRuntime> {
  try {
    await loadOrt();
  } catch (err) {
    return { available: false, reason: errorMessage(err), fix: FIXES.onnxruntime, notes: [] };
  }
  const threads = samplingThreads();
  let picked;
  try {
    picked = await pickSamplingProvider(threads);
  } catch (err) {
    return { available: false, reason: `ONNX Runtime loaded but could not run a test graph: ${errorMessage(err)}`, fix: FIXES.onnxruntime, notes: [] };
  }
  // why sampling is not on the GPU, in ONNX Runtime's words, and what would put it there
  const notes = picked.passedOver.map((p) => (p.provider === 'cuda' ? `Sampling runs on the CPU: ${p.reason}. ${FIXES.onnxruntimeCuda}` : `Not on ${p.provider}: ${p.reason}.`));
  return { available: true, device: picked.device, notes };
}
