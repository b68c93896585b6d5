// The batch builder's count of entropic batches by the plan they were drawn from, as the run reports it.
import { describe, expect, it } from 'vitest';
import { createSchedule } from '../../schedules';
import { parseTrainingConfig, type TrainingConfigInput } from '../config';
import { BatchBuilder } from './batch-builder';
import { DataSource } from './data-source';
import { createRngStreams } from './rng-streams';

/** A builder over a 4 x 4 grid of data rows, with a source set that is the grid shifted slightly (or N(0, I) noise). */
function builder(coupling: TrainingConfigInput['coupling'], shifted: boolean): BatchBuilder {
  const grid = Float32Array.from({ length: 32 }, (_, k) => (k % 2 === 0 ? 3 * ((k / 2) % 4) : 3 * Math.floor(k / 8)));
  const source = Float32Array.from(grid, (v, k) => v + 0.05 * ((k % 3) - 1));
  const config = parseTrainingConfig({ batchSize: 16, coupling });
  const streams = createRngStreams(2);
  return new BatchBuilder(config, {
    data: new DataSource({ data: grid, rowSize: 2 }, streams.data),
    streams,
    schedule: createSchedule(config.objective.schedule),
    ...(shifted ? { source: { data: source, rowSize: 2 } } : {}),
  });
}

describe('BatchBuilder entropic plans', () => {
  it('counts each batch under the plan it was drawn from: the OT assignment where certified, else the entropic plan', () => {
    // at a wide s the plan is never a permutation; at a tiny epsilon, noise paired with a full pass over 16 distinct rows is
    // one within tolerance (the criterion's own test is in scaled-sinkhorn.test.ts)
    const wide = builder({ schrodinger: 2 }, true);
    for (let k = 0; k < 5; k++) wide.next();
    expect(wide.entropicPlans()).toEqual({ entropic: 5, ot: 0, unconverged: 0 });
    const exact = builder({ ot: 'exact' }, true);
    exact.next();
    expect(exact.entropicPlans()).toEqual({ entropic: 0, ot: 0, unconverged: 0 });
    const sharp = builder({ sinkhorn: 1e-8 }, false);
    for (let k = 0; k < 5; k++) sharp.next();
    const counts = sharp.entropicPlans();
    expect(counts.entropic + counts.ot).toBe(5);
    expect(counts.ot).toBeGreaterThan(0);
    expect(counts.unconverged).toBe(0);
  });
});
