// The comparison table behind the why-flow-matching panel's closing note, at a bigger budget than the panel's default, in the Lab's own host (the tfjs
// backend its process activates). Gated: STUDIO_LAB_TABLES=1 npx vitest run test/lab/why-flow-matching.test.ts (several minutes).
import { describe, expect, it } from 'vitest';
import { runComputation } from '../../src-core/lab/computation';
import { whyFlowMatchingComputation } from '../../src-core/lab/computations/why-flow-matching';
import { createLabHost } from '../../src-main/lab/lab-host';

const TABLES = process.env.STUDIO_LAB_TABLES === '1';

/** The budgets compared: the same steps, then the same seconds. */
const CASES = [
  { set: { id: 'eight-gaussians' }, budget: 'steps', steps: 600 },
  { set: { id: 'eight-gaussians' }, budget: 'seconds', seconds: 60 },
  { set: { id: 'two-moons' }, budget: 'seconds', seconds: 60 },
] as const;

describe.runIf(TABLES)("lab computation 'whyFlowMatching': the comparison table", () => {
  it('trains both at a bigger budget and prints the table', async () => {
    const host = createLabHost(null);
    const lines = ['| set | budget | training | steps | seconds | ms/step | NFE/step | held-out NLL (start → end) | exact NLL |', '|---|---|---|---|---|---|---|---|---|'];
    for (const c of CASES) {
      const r = await runComputation(whyFlowMatchingComputation, { ...c, solver: 'rk4', solverSteps: 4, evalSteps: 32, heldOut: 1000, checkpoints: 6 }, { host });
      for (const name of ['cnf', 'fm'] as const) {
        const t = r[name];
        const budget = c.budget === 'steps' ? `${c.steps} steps` : `${c.seconds} s`;
        lines.push(`| ${c.set.id} | ${budget} | ${name === 'cnf' ? 'CNF (max. likelihood)' : 'flow matching'} | ${t.steps} | ${t.seconds.toFixed(1)} | ${((1000 * t.seconds) / t.steps).toFixed(2)} | ${t.nfePerStep} | ${t.nll[0].toFixed(3)} → ${t.nll[t.nll.length - 1].toFixed(3)} | ${r.exactNll?.toFixed(3) ?? '—'} |`);
        expect(t.nll[t.nll.length - 1]).toBeLessThan(t.nll[0]);
      }
      console.info(`${r.backend}\n${lines.join('\n')}`);
    }
  }, 3_600_000);
});
