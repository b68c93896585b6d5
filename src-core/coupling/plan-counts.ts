// Counts of training batches by the plan an entropic coupling drew them from, as the run reports them.
import { z } from 'zod';

const count = z.number().int().min(0);

/** Batches drawn from the entropic plan, from the OT assignment it was certified within tolerance of, and whose solve stopped unconverged at its sweep cap. */
export const entropicPlanCountsSchema = z.strictObject({ entropic: count, ot: count, unconverged: count });

/** The counts as a run reports them. */
export type EntropicPlanCounts = z.output<typeof entropicPlanCountsSchema>;
