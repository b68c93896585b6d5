// Where sampling requests run: the contract between the sampling service (a thin client) and what executes a whole request.
import type { LikelihoodParams, LikelihoodResult, SamplingParams, SamplingResult } from '../../src-core/api/methods/sampling';
import type { StepInfo } from '../../src-core/sampling';

/** What the client hands a request besides its parameters: the signal that cancels it and who hears of each step, in order. */
export interface JobHooks {
  readonly signal: AbortSignal;
  readonly onStep: (info: StepInfo) => void;
}

/**
 * Runs whole requests: the sampling process (child-runner.ts) in the app, the server and the command line, or this
 * process where the code runs from source (in-process-backend.ts). Both run the same loop (sampling-job.ts).
 */
export interface SamplingBackend {
  /** Runs one sampling request (its model a file or the oracle; a run is resolved to its file first) under the id. */
  sample(id: string, params: SamplingParams, hooks: JobHooks): Promise<SamplingResult>;
  /** Computes one likelihood request under the id. */
  likelihood(id: string, params: LikelihoodParams, hooks: JobHooks): Promise<LikelihoodResult>;
  /** Releases the sessions (and ends the process, where there is one). */
  close(): Promise<void>;
}
