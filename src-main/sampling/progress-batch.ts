// Steps of a running request gathered into few progress messages: the first step at once, then at most one message per PROGRESS_MS, the rest when the request ends.
import type { StepInfo } from '../../src-core/sampling';

/** Shortest gap between two progress messages of one request (ms): a chart redraws no faster, and each message costs both processes a turn. */
const PROGRESS_MS = 50;

/** Collects steps and hands each batch to send, in order; flush() sends what is left (before the result or the error). */
export function progressBatcher(send: (steps: StepInfo[]) => void, now: () => number = () => performance.now(), gapMs: number = PROGRESS_MS): { add(step: StepInfo): void; flush(): void } {
  let pending: StepInfo[] = [];
  let last = -Infinity;
  const flush = (): void => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    last = now();
    send(batch);
  };
  return {
    add(step) {
      pending.push({ step: step.step, total: step.total, t: step.t, nfe: step.nfe });
      if (now() - last >= gapMs) flush();
    },
    flush,
  };
}
