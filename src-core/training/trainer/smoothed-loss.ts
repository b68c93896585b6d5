// A bias-corrected exponential moving average of the loss, for display; restorable from a logged value.

/** The smoothed loss after `count` updates: an EMA divided by (1 - beta^count) so early values are not pulled to 0. */
export class SmoothedLoss {
  private sum = 0;
  private n = 0;

  /** beta near 1 smooths more; 0.98 averages roughly the last 50 steps. */
  constructor(private readonly beta = 0.98) {}

  /** Adds one loss (non-finite values are skipped: the trainer stops on them anyway) and returns the smoothed value. */
  update(loss: number): number {
    if (Number.isFinite(loss)) {
      this.sum = this.beta * this.sum + (1 - this.beta) * loss;
      this.n++;
    }
    return this.value();
  }

  /** The current smoothed value (NaN before the first update). */
  value(): number {
    return this.n === 0 ? NaN : this.sum / (1 - this.beta ** this.n);
  }

  /** Restarts from a smoothed value seen after `count` updates (resume from a checkpoint). */
  restore(smoothed: number, count: number): void {
    if (!Number.isFinite(smoothed) || count < 1) return;
    this.n = count;
    this.sum = smoothed * (1 - this.beta ** count);
  }
}
