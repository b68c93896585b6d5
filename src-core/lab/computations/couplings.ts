// Lab computation 'couplings': one batch of two 2-D sets paired three ways (independently, by exact OT, from the Schrödinger bridge's entropic plan), with each pairing's cost.
import { z } from 'zod';
import { assignSquaredEuclidean } from '../../coupling/assignment';
import { samplePlanRows } from '../../coupling/plan-sampling';
import { sinkhornAsync } from '../../coupling/sinkhorn';
import { Rng } from '../../rng';
import { defineComputation } from '../computation';
import { builtinSetSchema, drawBuiltin } from '../lab-sets';

const f32 = z.instanceof(Float32Array);

/** Mean squared distance of the pairs (x_i, y_partner[i]). */
function pairCost(x: Float32Array, y: Float32Array, partner: Int32Array): number {
  let s = 0;
  for (let i = 0; i < partner.length; i++) s += (x[2 * i] - y[2 * partner[i]]) ** 2 + (x[2 * i + 1] - y[2 * partner[i] + 1]) ** 2;
  return s / partner.length;
}

/** How one batch of A (t = 1) and one of B (t = 0) pair up under the couplings of MATH.md §4. */
export const couplingsComputation = defineComputation({
  name: 'couplings',
  title: 'Independent, exact-OT and Schrödinger-bridge pairings of two 2-D sets',
  params: z.strictObject({
    from: builtinSetSchema.default({ id: 'eight-gaussians' }),
    to: builtinSetSchema.default({ id: 'two-moons' }),
    points: z.number().int().min(4).max(1024).default(128),
    /** The bridge's noise level: pairs come from the entropic plan with epsilon = 2 s^2. */
    s: z.number().min(0.05).max(5).default(0.5),
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(0),
  }),
  result: z.object({
    /** The batch of A (the t = 1 end) and of B (the t = 0 end), [points, 2] each. */
    from: f32,
    to: f32,
    /** For each row i of A, its partner in B under each coupling. */
    independent: z.instanceof(Int32Array),
    ot: z.instanceof(Int32Array),
    bridge: z.instanceof(Int32Array),
    /** Mean squared pair distance of each drawn pairing; the exact OT one is the batch's W2^2. */
    cost: z.object({ independent: z.number(), ot: z.number(), bridge: z.number(), bridgePlan: z.number() }),
    /** Share of rows whose bridge partner is their OT partner (1 in the limit s -> 0). */
    agreement: z.number(),
    sinkhorn: z.object({ iterations: z.number().int(), marginalError: z.number(), converged: z.boolean() }),
  }),
  async run(p, ctx) {
    const n = p.points;
    const a = drawBuiltin(p.from, n, p.seed);
    const b = drawBuiltin(p.to, n, p.seed + 1);
    const rng = new Rng(p.seed + 2);
    await ctx.progress(0, 3);
    const independent = Int32Array.from({ length: n }, (_, i) => i);
    const ot = assignSquaredEuclidean({ data: a, shape: [n, 2] }, { data: b, shape: [n, 2] }).perm;
    await ctx.progress(1, 3);
    const plan = await sinkhornAsync({ data: a, shape: [n, 2] }, { data: b, shape: [n, 2] }, { epsilon: 2 * p.s * p.s, tolerance: 1e-3, maxIterations: 20_000, signal: ctx.signal, turn: () => ctx.progress(1, 3) });
    const bridge = samplePlanRows(plan.plan, n, n, rng);
    await ctx.progress(2, 3);
    let agree = 0;
    for (let i = 0; i < n; i++) if (bridge[i] === ot[i]) agree++;
    return {
      from: a,
      to: b,
      independent,
      // the solvers' index arrays as the wire carries them (a plain ArrayBuffer)
      ot: Int32Array.from(ot),
      bridge: Int32Array.from(bridge),
      cost: { independent: pairCost(a, b, independent), ot: pairCost(a, b, ot), bridge: pairCost(a, b, bridge), bridgePlan: plan.cost },
      agreement: agree / n,
      sinkhorn: { iterations: plan.iterations, marginalError: plan.marginalError, converged: plan.converged },
    };
  },
});
