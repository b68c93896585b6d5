// The before/after table of reflow at a larger budget (STUDIO_LAB_TABLES=1): per flow, straightness and sliced W2 / MMD^2 at 1, 2, 4 and 8 Euler steps.
import { describe, expect, it } from 'vitest';
import { runComputation } from '../../src-core/lab';
import { reflowComputation } from '../../src-core/lab/computations/reflow';
import { createLabHost } from '../../src-main/lab/lab-host';

const TABLES = process.env.STUDIO_LAB_TABLES === '1';
const STEPS = Number(process.env.STUDIO_REFLOW_STEPS ?? 3000);

describe.skipIf(!TABLES)('reflow table', () => {
  for (const id of ['eight-gaussians', 'two-moons']) {
    it(`${id}: ${STEPS} steps per flow, three rounds`, async () => {
      const r = await runComputation(reflowComputation, { set: { id }, rounds: 3, stepsPerRound: STEPS, samples: 2000, pairs: 8192, pairSteps: 32, pathSteps: 64, seed: 0 }, { host: createLabHost(null) });
      const E = r.eulerSteps.length;
      const lines = [
        `${id}, ${STEPS} steps per flow at batch 256 on ${r.backend}; 2,000 samples against 2,000 fresh draws (floor: sliced W2 ${r.floor.slicedW2.toFixed(3)}, MMD² ${r.floor.mmd2.toExponential(1)})`,
        `| flow | straightness | ${r.eulerSteps.map((s) => `SW2 @ ${s}`).join(' | ')} | ${r.eulerSteps.map((s) => `MMD² @ ${s}`).join(' | ')} | train s |`,
        `|---|---|${r.eulerSteps.map(() => '---|').join('')}${r.eulerSteps.map(() => '---|').join('')}---|`,
      ];
      for (let f = 0; f < r.straightness.length; f++) {
        const sw = Array.from(r.slicedW2.subarray(f * E, (f + 1) * E), (v) => v.toFixed(3));
        const mm = Array.from(r.mmd2.subarray(f * E, (f + 1) * E), (v) => v.toExponential(1));
        lines.push(`| ${f + 1}-rectified | ${r.straightness[f].toFixed(4)} | ${sw.join(' | ')} | ${mm.join(' | ')} | ${r.trainSeconds[f].toFixed(1)} |`);
      }
      lines.push(`pairs' energy distance to fresh data per round: ${Array.from(r.pairDataEnergy, (v) => v.toFixed(4)).join(', ')} (their noise: ${Array.from(r.pairNoiseEnergy, (v) => v.toFixed(3)).join(', ')})`);
      console.log(lines.join('\n'));
      expect(r.straightness[1]).toBeLessThan(0.2 * r.straightness[0]);
      expect(r.slicedW2[E]).toBeLessThan(r.slicedW2[0]);
    }, 900_000);
  }
});
