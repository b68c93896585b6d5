// Runs one Lab computation for a panel through the API: the latest request wins, progress from 'lab.progress', cancel, the result kept raw.
import { markRaw, onBeforeUnmount, readonly, ref, shallowRef, watch } from 'vue';
import type { z } from 'zod';
import type { METHODS, MethodName, Params, Result } from '../../../src-core/api/contract';
import { messageOf, StudioError } from '../../../src-core/errors';
import { useAppStore } from '../../app/app.store';

/** The API method of a Lab computation ('lab.cancel' is not one). */
type LabMethodName = Exclude<Extract<MethodName, `lab.${string}`>, 'lab.cancel'>;
/** What a computation takes: its schema's input, so a panel leaves out what the computation defaults. */
export type LabParams<M extends LabMethodName> = z.input<(typeof METHODS)[M]['params']> extends { params: infer P } ? P : never;
/** What a computation gives. */
type LabResult<M extends LabMethodName> = Result<M> extends { result: infer R } ? R : never;

/** Every lab method's reply around its result. */
interface LabReply {
  readonly seconds: number;
  readonly result: unknown;
}

/** Where a panel's computation stands. */
export type LabStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'failed';

/** How long edits wait before the computation runs again (ms). */
const RERUN_DEBOUNCE_MS = 250;

let counter = 0;

/** A panel's handle on its computation: run (superseding a running one), runSoon (debounced), cancel, and what came back. */
export function useLabRun<M extends LabMethodName>(method: M) {
  const app = useAppStore();
  const result = shallowRef<LabResult<M> | null>(null);
  const status = ref<LabStatus>('idle');
  /** Fraction done of the running computation, 0 to 1. */
  const progress = ref(0);
  const error = ref<string | null>(null);
  const seconds = ref<number | null>(null);
  /** Bumped whenever a new result lands (charts watch this, not the result's insides). */
  const version = ref(0);
  let current: string | null = null;
  let off: (() => void) | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  async function run(params: LabParams<M>): Promise<void> {
    const api = app.api;
    if (!api) {
      // The page is still connecting (a panel opened straight from the URL): run once it is, rather than never.
      const stop = watch(
        () => app.api,
        (now) => {
          if (!now) return;
          stop();
          void run(params);
        },
      );
      return;
    }
    if (timer) clearTimeout(timer);
    timer = null;
    if (current) void cancel();
    const id = `${String(method).replace('.', '-')}-${Date.now().toString(36)}-${++counter}`;
    current = id;
    status.value = 'running';
    progress.value = 0;
    error.value = null;
    off?.();
    off = api.on('lab.progress', (p) => {
      if (p.id === id && p.total > 0) progress.value = Math.min(1, p.done / p.total);
    });
    try {
      const reply = (await api.call(method, { id, params } as Params<M>)) as LabReply;
      if (current !== id) return;
      result.value = markRaw(reply.result as object) as LabResult<M>;
      seconds.value = reply.seconds;
      progress.value = 1;
      status.value = 'done';
      version.value++;
    } catch (err) {
      if (current !== id) return;
      const cancelled = err instanceof StudioError && err.code === 'cancelled';
      status.value = cancelled ? 'cancelled' : 'failed';
      error.value = cancelled ? null : messageOf(err);
    } finally {
      if (current === id) {
        current = null;
        off?.();
        off = null;
      }
    }
  }

  /** Runs after RERUN_DEBOUNCE_MS unless another edit comes first (sliders being dragged). */
  function runSoon(params: () => LabParams<M>): void {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void run(params());
    }, RERUN_DEBOUNCE_MS);
  }

  /** Asks the studio to stop the running computation (the run then ends as 'cancelled'). */
  async function cancel(): Promise<void> {
    const id = current;
    if (!id || !app.api) return;
    await app.api.call('lab.cancel', { id }).catch(() => undefined);
  }

  onBeforeUnmount(() => {
    if (timer) clearTimeout(timer);
    void cancel();
    off?.();
  });

  return { result, status: readonly(status), progress: readonly(progress), error: readonly(error), seconds: readonly(seconds), version: readonly(version), run, runSoon, cancel };
}
