// Quality bar of the Train form's suggestion for points: trained as suggested on the Data section's default two moons, its samples sit within 1.5x of the data's own floor.
import { beforeAll, describe, expect, it } from 'vitest';
import { EventHub } from '../../src-core/api/event-hub';
import { suggestedConfig } from '../../src-core/training/defaults';
import type { TrainingConfigInput } from '../../src-core/training/config';
import { DatasetsService } from '../../src-main/services/datasets-service';
import { FLOOR_BAR, NOISE_SEEDS, moonsYardstick, ratioToFloor, type MoonsYardstick } from '../../bench/lib/moons-floor';
import { round, samplePoints, startNoise, trainRun } from './quality-helpers';

/*
 * The sampler is the quality tests' Heun with 20 steps (40 network evaluations). The Sample section's default, Euler with
 * 40 steps (the same cost), reads about 1.2-1.6 on the same models whatever the training length (bench/defaults.ts
 * prints both): its first-order error, not the network's, dominates there.
 */
const HEUN_STEPS = 20;
// The negative control trains this fraction of the suggested steps.
const UNDERTRAINED = 1 / 20;
// Timeouts only guard against hangs: a case takes ~20 s on two idle cores, several times that on a loaded machine.
const TIMEOUT_MS = 300_000;

/** The Data section's default two-moons set, as datasets.list reports each parameter's default. */
function defaultMoons(): { count: number; noise: number; seed: number } {
  const info = new DatasetsService('/nonexistent', new EventHub()).list().find((d) => d.id === 'two-moons');
  const def = (name: string) => info?.params.find((p) => p.name === name)?.default as number;
  return { count: def('count'), noise: def('noise'), seed: def('seed') };
}

/** Trains the suggestion (its steps scaled by `share`) and returns its samples' mean distance to fresh draws, in floors. */
async function ratioAfter(share: number, yard: MoonsYardstick, params: ReturnType<typeof defaultMoons>): Promise<{ ratio: number; perNoise: number[]; steps: number; trainSec: number }> {
  const suggestion = suggestedConfig({ shape: [2], rows: params.count, classes: null });
  if (suggestion.steps === undefined) throw new Error('the suggestion names no step count');
  const steps = Math.round(suggestion.steps * share);
  const config: TrainingConfigInput = { ...suggestion, steps, data: { source: 'builtin', id: 'two-moons', params } };
  const run = await trainRun(config);
  try {
    const perNoise: number[] = [];
    for (const seed of NOISE_SEEDS) {
      const { points } = await samplePoints('heun', run.model, startNoise(seed), { name: 'uniform', steps: HEUN_STEPS });
      perNoise.push(ratioToFloor(points, yard));
    }
    return { ratio: perNoise.reduce((a, b) => a + b, 0) / perNoise.length, perNoise, steps, trainSec: run.trainSec };
  } finally {
    await run.dispose();
  }
}

describe('quality: the suggested config for points', () => {
  const params = defaultMoons();
  let yard: MoonsYardstick;

  beforeAll(() => {
    yard = moonsYardstick(params.noise);
  });

  it('is the Data section\'s default two moons: 10,000 points, noise 0.1, seed 0', () => {
    expect(params).toEqual({ count: 10_000, noise: 0.1, seed: 0 });
  });

  it(`trained as suggested, its samples are within ${FLOOR_BAR}x of the data's own floor`, async () => {
    const m = await ratioAfter(1, yard, params);
    console.log(`suggested config on two moons: ${JSON.stringify({ steps: m.steps, trainSec: m.trainSec, floor: round(yard.floor), ratio: round(m.ratio, 3), perNoise: m.perNoise.map((r) => round(r, 3)) })}`);
    expect(m.ratio).toBeLessThanOrEqual(FLOOR_BAR);
  }, TIMEOUT_MS);

  it(`the same bar fails for the same config trained ${UNDERTRAINED * 100} % of its steps`, async () => {
    const m = await ratioAfter(UNDERTRAINED, yard, params);
    console.log(`suggested config undertrained: ${JSON.stringify({ steps: m.steps, ratio: round(m.ratio, 3), perNoise: m.perNoise.map((r) => round(r, 3)) })}`);
    expect(m.ratio).toBeGreaterThan(FLOOR_BAR);
  }, TIMEOUT_MS);
});
