// The lifecycle model test: random sequences of start, pause, resume, cancel, SIGKILL, export, sample, delete and workspace switch on the real studio, with every invariant checked after every command.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { built, have } from '../prerequisites';
import { commandArbitraries, EVERY, newModel, Start } from './lifecycle-model';
import { newFigures, World } from './lifecycle-world';
import { medianMax } from './run-checks';
import { SOAK, timeoutFor, trials } from './soak';

const SEQUENCES = Number(process.env.STUDIO_LIFECYCLE_RUNS ?? trials(10, 1000));
const MAX_COMMANDS = Number(process.env.STUDIO_LIFECYCLE_COMMANDS ?? (SOAK ? 12 : 7));
const ready = have(built('out/main/training-worker.js', 'out/main/sampling-worker.js'));

describe.skipIf(!ready)('run lifecycle against a model', () => {
  it(`${SEQUENCES} random command sequences keep every invariant after every command`, async () => {
    const figures = newFigures();
    const seed = Number(process.env.STUDIO_LIFECYCLE_SEED ?? Date.now() % 1_000_000);
    // the seed and path a failure prints replay that one sequence (with STUDIO_LIFECYCLE_RUNS=1)
    const path = process.env.STUDIO_LIFECYCLE_PATH;
    await fc.assert(
      fc.asyncProperty(fc.commands(commandArbitraries(), { maxCommands: MAX_COMMANDS, size: 'max' }), async (commands) => {
        const world = await World.create(figures);
        figures.sequences++;
        try {
          // every sequence begins with a run, so the commands that need one have it
          const model = newModel();
          await new Start().run(model, world);
          await fc.asyncModelRun(() => ({ model, real: world }), commands);
        } finally {
          await world.dispose();
        }
      }),
      // a failing sequence is reported as it ran (with the seed to replay it): shrinking would rerun real training
      { numRuns: SEQUENCES, seed, endOnFailure: true, ...(path ? { path } : {}) },
    );
    const d = medianMax(figures.detections);
    const l = medianMax(figures.lost);
    const by = Object.entries(figures.byCommand).sort().map(([k, v]) => `${k} ${v}`).join(', ');
    console.log(
      `[figure] lifecycle model (seed ${seed}): ${figures.sequences} command sequences, ${figures.commands} commands (${by}); ` +
        `${figures.detections.length} SIGKILLs detected in median ${d.median.toFixed(0)} ms, max ${d.max.toFixed(0)} ms ` +
        `(${figures.pausedKills} of a paused run's worker; ${figures.killsRacedEnd} more came as the run ended), ${figures.restarts} automatic restarts losing median ${l.median}, max ${l.max} steps ` +
        `(interval ${EVERY}), ${figures.refusedRestarts} left to the person; ${figures.exports} exports, ${figures.samples} samplings, ` +
        `${figures.deletes} deletes, ${figures.switches} workspace switches; ${figures.invariantChecks} invariant checks passed over ` +
        `${figures.runFoldersChecked} run folders (${figures.checkpointsRead} checkpoint files read, 0 unreadable)`,
    );
    expect(figures.sequences).toBe(SEQUENCES);
    if (figures.detections.length > 0) expect(d.max).toBeLessThan(1000);
  }, timeoutFor(SEQUENCES, SOAK ? 30_000 : 8_000, 60_000));
});
