// The sampling service: a thin client of the sampling process. It checks requests at the API's boundary, turns a training
// run into the file of its newest checkpoint, forwards whole requests, relays their steps as 'sampling.progress' and their
// cancel. The sampler loop, the oracle and the likelihood run where the models live (sampling-job.ts), never here.
import { randomBytes } from 'node:crypto';
import type { DomainHandlers } from '../../src-core/api/dispatcher';
import { parseOrThrow } from '../../src-core/validation';
import type { EventHub } from '../../src-core/api/event-hub';
import {
  SAMPLING_METHODS, likelihoodRequestSchema, samplingRequestSchema,
  type LikelihoodParams, type LikelihoodRequest, type LikelihoodResult, type SamplingModel, type SamplingParams, type SamplingRequest, type SamplingResult,
} from '../../src-core/api/methods/sampling';
import { StudioError } from '../../src-core/errors';
import { samplers, type StepInfo } from '../../src-core/sampling';
import { runDir } from '../runs';
import { LiveModels } from './live-model';
import { createChildProcessRunner, findSamplingWorker } from './child-runner';
import type { OnnxRunner } from './onnx-runner';
import type { JobHooks, SamplingBackend } from './sampling-backend';

/**
 * The sampling process when the built worker (out/main/sampling-worker.js) is there, as in the app, the server and the
 * command line; this process when the code runs from source (unit tests), where no worker bundle exists.
 */
function defaultBackend(): SamplingBackend | null {
  const worker = findSamplingWorker();
  return worker ? createChildProcessRunner({ workerPath: worker }) : null;
}

function isBackend(r: OnnxRunner | SamplingBackend): r is SamplingBackend {
  return 'sample' in r && 'likelihood' in r;
}

/**
 * The loop in this process, over the given runner (or its own): loaded only when asked for, so that a host with a
 * sampling process never loads the samplers' numerical code.
 */
async function inProcess(runner: OnnxRunner | null): Promise<SamplingBackend> {
  const { inProcessBackend } = await import('./in-process-backend');
  return inProcessBackend(runner ?? undefined);
}

/** The sampling part of the API; the CLI calls run() directly. */
export class SamplingService {
  private readonly running = new Map<string, AbortController>();
  private readonly live: LiveModels | null;
  private backend: Promise<SamplingBackend> | null = null;
  private readonly given: OnnxRunner | SamplingBackend | null;

  constructor(
    private readonly events: EventHub | null = null,
    /**
     * Where requests run: the sampling process's client (createChildProcessRunner), or a plain OnnxRunner whose
     * sessions the loop uses in this process; by default the sampling process where it is built.
     */
    runner: OnnxRunner | SamplingBackend | null = defaultBackend(),
    /** Where `{kind: 'run'}` finds a run: a workspace's runs folder, or the folder of each run id; null where there are no runs. */
    runs: string | ((runId: string) => string) | null = null,
  ) {
    this.given = runner;
    this.live = runs === null ? null : new LiveModels(typeof runs === 'string' ? (id) => runDir(runs, id) : runs);
  }

  /** The handlers of the sampling methods of the API (their params come checked by the dispatcher). */
  handlers(): DomainHandlers<typeof SAMPLING_METHODS> {
    return {
      'sampling.run': (p) => this.sampleChecked(p),
      'sampling.likelihood': (p) => this.likelihoodChecked(p),
      'sampling.cancel': (p) => ({ cancelled: this.cancel(p.id) }),
      'sampling.samplers': () =>
        samplers.names().map((name) => {
          const s = samplers.get(name);
          return { name, label: s.label, kind: s.kind, nfePerStep: s.nfePerStep, stochastic: s.stochastic, noiseWhen: s.noiseWhen ?? null, options: s.options.map((o) => ({ ...o })) };
        }),
    };
  }

  /** Stops a run between network evaluations; false if no run has that id. */
  cancel(id: string): boolean {
    const c = this.running.get(id);
    c?.abort();
    return c !== undefined;
  }

  /** Releases the model sessions (and ends the sampling process). */
  async close(): Promise<void> {
    const b = this.backend;
    this.backend = null;
    if (b) await (await b).close();
    else if (this.given) await this.given.close();
  }

  /** Runs one request to the end; onStep (and the 'sampling.progress' event) follows each step, in order. */
  async run(request: SamplingRequest, onStep?: (info: StepInfo) => void): Promise<SamplingResult> {
    return this.sampleChecked(parseOrThrow(samplingRequestSchema, request, 'sampling request'), onStep);
  }

  /** -log p_0 of points in data units through the probability-flow ODE; onStep (and 'sampling.progress') follows each solver step. */
  async likelihood(request: LikelihoodRequest, onStep?: (info: StepInfo) => void): Promise<LikelihoodResult> {
    return this.likelihoodChecked(parseOrThrow(likelihoodRequestSchema, request, 'likelihood request'), onStep);
  }

  private async sampleChecked(p: SamplingParams, onStep?: (info: StepInfo) => void): Promise<SamplingResult> {
    samplers.get(p.sampler); // an unknown name fails here, before any model is loaded, listing the known ones
    return this.track(p.id, onStep, async (id, hooks) => (await this.where()).sample(id, { ...p, id, model: await this.fileOf(p.model) }, hooks));
  }

  private async likelihoodChecked(p: LikelihoodParams, onStep?: (info: StepInfo) => void): Promise<LikelihoodResult> {
    return this.track(p.id, onStep, async (id, hooks) => (await this.where()).likelihood(id, { ...p, id, model: await this.fileOf(p.model) }, hooks));
  }

  /** The backend requests go to, made on first use. */
  private where(): Promise<SamplingBackend> {
    if (!this.backend) {
      const given = this.given;
      this.backend = given && isBackend(given) ? Promise.resolve(given) : inProcess(given);
    }
    return this.backend;
  }

  /** Runs work under an id that sampling.cancel can name, relaying its steps to onStep and as 'sampling.progress'. */
  private async track<T>(requested: string | undefined, onStep: ((info: StepInfo) => void) | undefined, work: (id: string, hooks: JobHooks) => Promise<T>): Promise<T> {
    const id = requested ?? randomBytes(6).toString('hex');
    if (this.running.has(id)) throw new StudioError('invalid-argument', `a sampling run named '${id}' is already running`);
    const controller = new AbortController();
    this.running.set(id, controller);
    try {
      return await work(id, {
        signal: controller.signal,
        onStep: (info) => {
          onStep?.(info);
          this.events?.emit('sampling.progress', { id, ...info });
        },
      });
    } finally {
      this.running.delete(id);
    }
  }

  /** A run as the file of its latest checkpoint (a run that is still training samples its newest EMA weights); other models as they are. */
  private async fileOf(m: SamplingModel): Promise<SamplingModel> {
    if (m.kind !== 'run') return m;
    if (!this.live) throw new StudioError('invalid-argument', 'sampling from a run needs the studio workspace; export the run and sample the file');
    return { kind: 'onnx', path: await this.live.path(m.runId) };
  }
}
