// When to restart a crashed child automatically: as VS Code's extension host, while fewer than 3 crashes fall in 5 minutes.

/** Settings of a RestartPolicy. */
interface RestartPolicyOptions {
  /** Crashes inside the window that stop automatic restarts; default 3. */
  readonly maxCrashes?: number;
  /** The sliding window, in ms; default 5 minutes. */
  readonly windowMs?: number;
  /** The clock (tests pass their own). */
  readonly now?: () => number;
}

/** Counts crashes in a sliding window and says whether the next restart may happen without asking the user. */
export class RestartPolicy {
  private readonly crashes: number[] = [];
  private readonly maxCrashes: number;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(options: RestartPolicyOptions = {}) {
    this.maxCrashes = options.maxCrashes ?? 3;
    this.windowMs = options.windowMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Records a crash; true if a restart is still allowed (fewer than maxCrashes inside the window, this one included). */
  recordCrash(): boolean {
    const t = this.now();
    this.crashes.push(t);
    while (this.crashes.length > 0 && this.crashes[0] <= t - this.windowMs) this.crashes.shift();
    return this.crashes.length < this.maxCrashes;
  }

  /** Crashes inside the current window. */
  get recent(): number {
    const t = this.now();
    return this.crashes.filter((c) => c > t - this.windowMs).length;
  }

  /** Forgets every crash (after the user chose to try again). */
  reset(): void {
    this.crashes.length = 0;
  }
}
