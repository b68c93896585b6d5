// Classifies what stopped a run (a non-finite loss, out of memory, a bad config, anything else) for the status message.
import { StudioError } from '../../src-core/errors';
import { NonFiniteLossError } from '../../src-core/training/trainer';

/** The kinds of failure a run reports. */
type FailureKind = 'non-finite' | 'out-of-memory' | 'config' | 'error';

// V8's typed-array and buffer allocation failures, and what TensorFlow, ONNX Runtime and CUDA say when memory runs out.
const OOM_PATTERNS = [/Array buffer allocation failed/i, /Invalid typed array length/i, /out of memory/i, /\bOOM\b/, /ResourceExhausted/i, /failed to allocate/i, /bad_alloc/i, /CUDA_ERROR_OUT_OF_MEMORY/i, /Failed to allocate memory/i];

/** True if an error means an allocation failed. */
function isOutOfMemory(err: unknown): boolean {
  const message = err instanceof Error ? err.message : String(err);
  return OOM_PATTERNS.some((p) => p.test(message));
}

/** The failure kind of an error and a message a person can act on, naming the step. */
export function describeFailure(err: unknown, step: number, checkpointStep: number | null, during: 'setup' | 'training'): { kind: FailureKind; message: string } {
  const resumeFrom = checkpointStep !== null ? `; the last good checkpoint is step ${checkpointStep}` : '';
  if (err instanceof NonFiniteLossError) return { kind: 'non-finite', message: `${err.message}${resumeFrom}` };
  const message = err instanceof Error ? err.message : String(err);
  if (isOutOfMemory(err)) {
    return { kind: 'out-of-memory', message: `out of memory ${during === 'setup' ? 'while starting' : `at step ${step + 1}`} (${message}): use a smaller batch or model${resumeFrom}` };
  }
  if (during === 'setup' && err instanceof StudioError && (err.code === 'invalid-argument' || err.code === 'invalid-shape' || err.code === 'not-found' || err.code === 'invalid-schedule')) {
    return { kind: 'config', message };
  }
  return { kind: 'error', message: `${during === 'setup' ? 'the run could not start' : `training stopped at step ${step + 1}`}: ${message}${resumeFrom}` };
}
