// Whole sampling requests run in this process: what the code does when it runs from source (unit tests), where no built sampling process exists.
import { createInProcessRunner, type OnnxRunner } from './onnx-runner';
import type { SamplingBackend } from './sampling-backend';
import { runLikelihoodJob, runSamplingJob } from './sampling-job';

/** A backend that runs the sampling process's own loop here, over the given runner (by default one of its own). */
export function inProcessBackend(runner: OnnxRunner = createInProcessRunner()): SamplingBackend {
  return {
    sample: (id, params, hooks) => runSamplingJob(id, params, { runner, ...hooks }),
    likelihood: (id, params, hooks) => runLikelihoodJob(id, params, { runner, ...hooks }),
    close: () => runner.close(),
  };
}
