// The Lab service: each computation of src-core/lab as an API method, run in the Lab's process under an id that lab.cancel can name, with lab.progress events.
import { randomBytes } from 'node:crypto';
import type { DomainHandlers } from '../../src-core/api/dispatcher';
import type { EventHub } from '../../src-core/api/event-hub';
import { LAB_METHODS, labMethodName } from '../../src-core/api/methods/lab';
import { StudioError } from '../../src-core/errors';
import { labComputations, type LabComputation } from '../../src-core/lab';
import type { Registry } from '../../src-core/registry';
import { parseOrThrow } from '../../src-core/validation';
import { defaultLabRunner, type LabRunner } from './lab-runner';

/** Options of the Lab service: the built worker entry to run computations in (default: found beside the bundle; null: this process). */
export interface LabServiceOptions {
  readonly workerPath?: string | null;
  /** The workspace whose runs the computations may open (default none). */
  readonly workspace?: string | null;
}

/** What tests may swap: where computations run and which registry names them (both default to the Lab's own). */
interface LabServiceParts {
  readonly runner?: LabRunner;
  readonly registry?: Registry<LabComputation>;
}

/** What every lab method returns around the computation's own result. */
interface LabReply {
  readonly id: string;
  readonly seconds: number;
  readonly result: unknown;
}

/** The Lab part of the API. */
export class LabService {
  private readonly running = new Map<string, AbortController>();
  private readonly runner: LabRunner;
  private readonly registry: Registry<LabComputation>;

  constructor(
    private readonly events: EventHub | null = null,
    options: LabServiceOptions & LabServiceParts = {},
  ) {
    this.runner = options.runner ?? defaultLabRunner(options.workerPath, options.workspace ?? null);
    this.registry = options.registry ?? labComputations;
  }

  /** The handlers of the lab methods: one per registered computation, and cancel. */
  handlers(): DomainHandlers<typeof LAB_METHODS> {
    const perComputation = Object.fromEntries(this.registry.names().map((name) => [labMethodName(name), (p: { id?: string; params: unknown }) => this.run(name, p)]));
    return { ...perComputation, 'lab.cancel': (p: { id: string }) => ({ cancelled: this.cancel(p.id) }) } as unknown as DomainHandlers<typeof LAB_METHODS>;
  }

  /** Runs one computation to its end in the Lab's process; its result is checked against the computation's schema here. */
  async run(name: string, request: { id?: string; params: unknown }): Promise<LabReply> {
    const computation = this.registry.get(name);
    const id = request.id ?? randomBytes(6).toString('hex');
    if (this.running.has(id)) throw new StudioError('invalid-argument', `a lab computation named '${id}' is already running`);
    const controller = new AbortController();
    this.running.set(id, controller);
    const started = performance.now();
    try {
      const raw = await this.runner.run(name, request.params, {
        signal: controller.signal,
        onProgress: (done, total) => this.events?.emit('lab.progress', { id, name, done, total }),
      });
      const result = parseOrThrow(computation.result, raw, `the Lab's ${name} result`, 'internal');
      return { id, seconds: (performance.now() - started) / 1000, result };
    } finally {
      this.running.delete(id);
    }
  }

  /** Stops a running computation; false if none has that id. */
  cancel(id: string): boolean {
    const c = this.running.get(id);
    c?.abort();
    return c !== undefined;
  }

  /** Ends the Lab's process. */
  close(): Promise<void> {
    return this.runner.close();
  }
}
