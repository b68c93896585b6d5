// What sampling runs on: ONNX Runtime opened and run on a one-node graph the way the sampling process opens its sessions.
import { availableParallelism } from 'node:os';
import type { SamplingRuntime } from '../../../src-core/api/methods/training';
import { GraphBuilder } from '../../../src-core/graph/builder';
import { writeOnnx } from '../../../src-core/onnx';
import { createSession, cudaProviderInstalled, loadOrt } from '../../ort/ort-session';
import { FIXES } from '../backends/backend-fixes';
import { errorMessage } from '../backends/tfjs-engine';

/** Threads of a sampling session: the sampling service's default, the machine's cores up to 4. */
function samplingThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

function negModel(): Uint8Array {
  const b = new GraphBuilder('sampling-probe');
  b.output(b.node('Neg', [b.input('x', 'float32', [2])], { name: 'y' }));
  return writeOnnx(b.build().graph, new Float32Array(0));
}

/** Loads ONNX Runtime and runs a tiny graph on the CPU provider, which is what sampling sessions ask for; never throws. */
export async function probeSamplingRuntime(): Promise<SamplingRuntime> {
  const cuda = cudaProviderInstalled();
  const notes = [
    cuda
      ? "ONNX Runtime's CUDA provider is installed: the onnxruntime training backend uses it where it runs; sampling sessions use the CPU provider."
      : "ONNX Runtime's CUDA provider is not installed; npm run setup:cuda adds it (CUDA 12) for the onnxruntime training backend.",
  ];
  try {
    await loadOrt();
  } catch (err) {
    return { available: false, reason: errorMessage(err), fix: FIXES.onnxruntime, notes };
  }
  const threads = samplingThreads();
  try {
    const session = await createSession(negModel(), { threads, providers: ['cpu'] });
    try {
      const out = await session.run({ x: { type: 'float32', data: Float32Array.of(1, -2), dims: [2] } });
      const y = out.y?.data;
      if (!y || y[0] !== -1 || y[1] !== 2) return { available: false, reason: 'ONNX Runtime computed a wrong result on a one-node test graph', fix: FIXES.onnxruntime, notes };
    } finally {
      await session.release();
    }
  } catch (err) {
    return { available: false, reason: `ONNX Runtime loaded but could not run a test graph on the CPU: ${errorMessage(err)}`, fix: FIXES.onnxruntime, notes };
  }
  return { available: true, device: `CPU, ${threads} thread${threads === 1 ? '' : 's'}`, notes };
}
