// What a Lab computation is (name, params and result schemas, run) and the one driver that runs any of them with progress and cancel.
import type { z } from 'zod';
import { StudioError } from '../errors';
import { parseOrThrow } from '../validation';
import { NO_LAB_HOST, type LabHost } from './host';

/** A zod object schema of any shape, strict or not. */
type AnyObjectSchema = z.ZodObject<z.core.$ZodShape, z.core.$ZodObjectConfig>;

/** What a computation is handed besides its params. */
export interface LabContext {
  /**
   * Reports how far the work is (done of total units). Await it inside long loops: now and then it gives the event
   * loop a turn (so a cancel message can arrive) and it throws 'cancelled' once the signal is raised.
   */
  progress(done: number, total: number): Promise<void>;
  /** Raised when the caller cancels; the simulators take it as their cancel flag. */
  readonly signal: AbortSignal;
  /** What the running process lends: a tfjs backend, the workspace's runs, MNIST. */
  readonly host: LabHost;
}

/** One computation of the Lab: a name, the schemas of its params and result, and the work itself. */
export interface LabComputation<N extends string = string, P extends AnyObjectSchema = AnyObjectSchema, R extends AnyObjectSchema = AnyObjectSchema> {
  readonly name: N;
  /** What it computes, in a few words (for logs and the command line). */
  readonly title: string;
  readonly params: P;
  readonly result: R;
  run(params: z.output<P>, ctx: LabContext): Promise<z.output<R>>;
}

/** Declares a computation with its name kept as a literal type (so the API can name a method after it). */
export function defineComputation<N extends string, P extends AnyObjectSchema, R extends AnyObjectSchema>(c: LabComputation<N, P, R>): LabComputation<N, P, R> {
  return c;
}

/** How runComputation reports and yields. */
interface RunOptions {
  readonly signal?: AbortSignal;
  /** Receives progress at most every progressMs (and always the last report before the end). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Longest stretch of work between turns of the event loop (ms); default 20. */
  readonly sliceMs?: number;
  /** Least time between two progress reports (ms); default 50. */
  readonly progressMs?: number;
  /** The services of the process (default: none). */
  readonly host?: LabHost;
}

/** A turn of the event loop: timers, I/O and messages (a cancel among them) run before the work goes on. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Checks the params against the computation's schema and runs it with progress and cancel (its result is checked where it crosses a boundary). */
export async function runComputation<R extends AnyObjectSchema>(c: LabComputation<string, AnyObjectSchema, R>, params: unknown, options: RunOptions = {}): Promise<z.output<R>> {
  const parsed = parseOrThrow(c.params, params, `lab ${c.name} params`);
  const signal = options.signal ?? new AbortController().signal;
  const sliceMs = options.sliceMs ?? 20;
  const progressMs = options.progressMs ?? 50;
  let lastTurn = performance.now();
  let lastReport = -Infinity;
  const cancelled = () => new StudioError('cancelled', `lab ${c.name} cancelled`);
  const ctx: LabContext = {
    signal,
    host: options.host ?? NO_LAB_HOST,
    async progress(done, total) {
      const now = performance.now();
      if (options.onProgress && (now - lastReport >= progressMs || done >= total)) {
        lastReport = now;
        options.onProgress(done, total);
      }
      if (now - lastTurn >= sliceMs) {
        await nextTurn();
        lastTurn = performance.now();
      }
      if (signal.aborted) throw cancelled();
    },
  };
  if (signal.aborted) throw cancelled();
  try {
    return await c.run(parsed, ctx);
  } catch (err) {
    // a simulator that saw the raised flag throws its own 'cancelled'; any failure after a cancel is the cancel
    if (signal.aborted) throw cancelled();
    throw err;
  }
}
