// How many trials a reliability test runs: a reduced count in `npm test`, the full count under `npm run soak`.

/** True under `npm run soak` (STUDIO_SOAK=1). */
export const SOAK = process.env.STUDIO_SOAK === '1';

/** The trial count: `ci` in npm test, `soak` under npm run soak. */
export function trials(ci: number, soak: number): number {
  return SOAK ? soak : ci;
}

/** A test timeout that grows with the trial count (ms per trial, plus a fixed allowance). */
export function timeoutFor(count: number, msPerTrial: number, base = 30_000): number {
  // the soak is about counts, not speed: its trials may run on a loaded machine for as long as they need (each case keeps its own limit)
  return SOAK ? Math.max(3_600_000, base + count * msPerTrial) : base + count * msPerTrial;
}
