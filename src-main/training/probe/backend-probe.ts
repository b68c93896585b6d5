// The host's view of what can train and sample here: asks a short-lived probe process, survives its crashes, and keeps the answer.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BackendAvailability, BackendsReport, SamplingRuntime } from '../../../src-core/api/methods/training';
import { StudioError } from '../../../src-core/errors';
import { BACKEND_NAMES, type BackendName } from '../../../src-core/training/backend';
import { describeExit, lastErrorLine, spawnChild, type ChildHandle } from '../../process';
import { FIXES } from '../backends/backend-fixes';
import { fromProbeSchema, toProbeSchema, type FromProbe, type ToProbe } from './probe-protocol';

/** Settings of the probe. */
interface BackendProbeOptions {
  /** The built probe entry (out/main/backend-probe.js). */
  readonly probePath: string;
  /** How long the process may stay silent before it is killed and the backend it was trying is reported as hanging; default 60 s. */
  readonly silenceMs?: number;
  readonly env?: NodeJS.ProcessEnv;
}

/** The built probe beside the training worker (both are entries of the main build). */
export function probePathBeside(workerPath: string): string {
  return join(dirname(workerPath), 'backend-probe.js');
}

/** What one probe process delivered before it ended, and why it ended early (null when it finished). */
interface Round {
  readonly failure: string | null;
}

/**
 * Probes every training backend (in the order 'auto' tries them) and ONNX Runtime for sampling in a child process,
 * once per instance: the first answer is kept for the life of the host. A process that crashes, hangs or answers
 * nonsense while trying one backend gets that backend reported as unavailable with what happened, and a fresh process
 * tries the rest. A probe that could not run at all (the entry missing) is not kept, so a later call tries again.
 */
export class BackendProbe {
  private cached: Promise<BackendsReport> | null = null;
  /** The backends whose probe ended the process (a crash, a hang, nonsense), with what happened: known once a probe finished. */
  private crashes: { name: BackendName; reason: string }[] = [];
  private readonly children = new Set<ChildHandle<ToProbe, FromProbe>>();
  private closed = false;

  constructor(private readonly options: BackendProbeOptions) {}

  /** The report, probing on the first call. */
  report(): Promise<BackendsReport> {
    if (this.closed) return Promise.reject(new StudioError('cancelled', 'the studio is closing'));
    if (!this.cached) {
      const running = this.probe();
      this.cached = running;
      running.catch(() => {
        if (this.cached === running) this.cached = null;
      });
    }
    return this.cached;
  }

  /** The backends that crashed, hung or garbled the probe process, by the last finished probe (none before one). */
  crashed(): { name: BackendName; reason: string }[] {
    return [...this.crashes];
  }

  /** Ends any probe process still running. */
  async close(): Promise<void> {
    this.closed = true;
    const live = [...this.children];
    for (const c of live) c.kill('SIGKILL');
    await Promise.all(live.map((c) => c.exited));
  }

  private async probe(): Promise<BackendsReport> {
    if (!existsSync(this.options.probePath)) {
      throw new StudioError('internal', `the backend probe ${this.options.probePath} is missing: build the studio first (npx electron-vite build)`);
    }
    const found = new Map<BackendName, BackendAvailability>();
    const crashes: { name: BackendName; reason: string }[] = [];
    let sampling: SamplingRuntime | null = null;
    // each round either finishes or settles the item it stopped on, so this many rounds always suffice
    for (let round = 0; round <= BACKEND_NAMES.length; round++) {
      const pending = BACKEND_NAMES.filter((n) => !found.has(n));
      if (pending.length === 0 && sampling !== null) break;
      const { failure } = await this.round(pending, sampling === null, (r) => found.set(r.name, r), (s) => (sampling = s));
      const stuck = pending.find((n) => !found.has(n));
      if (failure === null) {
        // a finished process must have answered everything it was asked
        for (const n of pending) if (!found.has(n)) found.set(n, { name: n, available: false, reason: 'the probe process finished without reporting it', fix: null });
        sampling ??= { available: false, reason: 'the probe process finished without reporting it', fix: null, notes: [] };
      } else if (stuck) {
        const reason = `the probe process ${failure} while trying it`;
        found.set(stuck, { name: stuck, available: false, reason, fix: null });
        crashes.push({ name: stuck, reason });
      }
      // a process that dies loading ONNX Runtime points at its install
      else sampling ??= { available: false, reason: `the probe process ${failure} while trying ONNX Runtime`, fix: FIXES.onnxruntime, notes: [] };
    }
    const backends = BACKEND_NAMES.map((n): BackendAvailability => found.get(n) ?? { name: n, available: false, reason: 'not probed', fix: null });
    this.crashes = crashes;
    return {
      backends,
      auto: backends.find((b) => b.available)?.name ?? null,
      sampling: sampling ?? { available: false, reason: 'not probed', fix: null, notes: [] },
      probedAt: new Date().toISOString(),
    };
  }

  /** One probe process: asks it about the pending items and collects answers until it says done or ends. */
  private async round(
    backends: readonly BackendName[],
    sampling: boolean,
    onBackend: (r: BackendAvailability) => void,
    onSampling: (s: SamplingRuntime) => void,
  ): Promise<Round> {
    if (this.closed) throw new StudioError('cancelled', 'the studio is closing');
    const child = await spawnChild({
      modulePath: this.options.probePath,
      name: 'backend-probe',
      toChild: toProbeSchema,
      fromChild: fromProbeSchema,
      // the reasons land in the report; the stderr tail explains a crash
      onStderr: () => undefined,
      ...(this.options.env ? { env: this.options.env } : {}),
    });
    this.children.add(child);
    const silenceMs = this.options.silenceMs ?? 60_000;
    let done = false;
    let problem: string | null = null;
    let timer: NodeJS.Timeout | undefined;
    const watch = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        problem = `gave no answer for ${silenceMs >= 1000 ? `${Math.round(silenceMs / 1000)} s` : `${silenceMs} ms`} and was stopped`;
        child.kill('SIGKILL');
      }, silenceMs);
    };
    watch();
    child.onInvalidMessage((p) => {
      problem ??= `sent an invalid message (${p})`;
      child.kill('SIGKILL');
    });
    child.onMessage((m) => {
      watch();
      if (m.type === 'ready') child.send({ type: 'probe', backends: [...backends], sampling });
      else if (m.type === 'backend') {
        if (backends.includes(m.result.name)) onBackend(m.result);
      } else if (m.type === 'sampling') onSampling(m.result);
      else done = true;
    });
    const exit = await child.exited;
    clearTimeout(timer);
    this.children.delete(child);
    // a broken answer or a timeout outranks a 'done' that may have raced in before the kill
    if (problem) return { failure: problem };
    if (done) return { failure: null };
    const line = lastErrorLine(exit.stderrTail);
    return { failure: `${describeExit(exit)}${line ? ` (${line.slice(0, 300)})` : ''}` };
  }
}
