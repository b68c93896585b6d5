// Interleaved rounds: every round runs every path once, so a change of load hits all paths alike; slow paths stop at a time budget.
import { TORCH_SETTINGS, loadAverage, median, torchKey, type TorchSetting } from './common';

/** Samples collected per cell (path x column), with the 1-minute load at the start of each round. */
export class Samples {
  private readonly cells = new Map<string, number[]>();
  private readonly spentBy = new Map<string, number>();
  readonly roundLoads: number[] = [];

  /** Adds one value to a cell. */
  add(path: string, column: string, value: number): void {
    const key = `${path}\u0000${column}`;
    this.cells.set(key, [...(this.cells.get(key) ?? []), value]);
  }

  /** The values of a cell (empty when never measured). */
  values(path: string, column: string): number[] {
    return this.cells.get(`${path}\u0000${column}`) ?? [];
  }

  /** Adds seconds spent on a cell, for the time budget of slow paths. */
  spend(path: string, column: string, seconds: number): void {
    const key = `${path}\u0000${column}`;
    this.spentBy.set(key, (this.spentBy.get(key) ?? 0) + seconds);
  }

  /** Seconds spent on a cell so far. */
  spent(path: string, column: string): number {
    return this.spentBy.get(`${path}\u0000${column}`) ?? 0;
  }

  /** Notes the load at the start of a round. */
  markRound(): void {
    this.roundLoads.push(loadAverage()[0]);
  }
}

/** Runs `rounds` rounds of `body`, noting the load before each; prints progress on stderr so stdout stays the table. */
export async function interleave(name: string, rounds: number, samples: Samples, body: (round: number) => Promise<void>): Promise<void> {
  for (let r = 0; r < rounds; r++) {
    samples.markRound();
    process.stderr.write(`${name}: round ${r + 1}/${rounds} (load ${samples.roundLoads[r].toFixed(2)})\n`);
    await body(r);
  }
}

/** PyTorch's fastest setting at a column by median (highest rate or lowest time), or null without PyTorch figures. */
export function torchReference(samples: Samples, column: string, better: 'higher' | 'lower'): { setting: TorchSetting; median: number } | null {
  let best: { setting: TorchSetting; median: number } | null = null;
  for (const setting of TORCH_SETTINGS) {
    const m = median(samples.values(torchKey(setting), column));
    if (Number.isNaN(m)) continue;
    if (!best || (better === 'higher' ? m > best.median : m < best.median)) best = { setting, median: m };
  }
  return best;
}
