// Lab methods and events of the API: one method 'lab.<name>' per computation of src-core/lab (schemas taken from it), cancel, progress.
import { z } from 'zod';
import { LAB_COMPUTATIONS, type LabComputation } from '../../lab';

/** Names a computation for lab.cancel and the progress events. */
const runId = z.string().min(1).max(64);

/** A computation's method: its params under `params` (with an optional run id), its result under `result`. */
type LabMethod<C extends LabComputation> = {
  params: z.ZodObject<{ id: z.ZodOptional<z.ZodString>; params: C['params'] }, z.core.$strict>;
  result: z.ZodObject<{ id: z.ZodString; seconds: z.ZodNumber; result: C['result'] }, z.core.$strip>;
};

/** The methods of a list of computations, keyed 'lab.<name>'. */
type LabMethodsOf<Cs extends readonly LabComputation[]> = { [C in Cs[number] as `lab.${C['name']}`]: LabMethod<C> };

/** The method of one computation. */
function methodOf<C extends LabComputation>(c: C): LabMethod<C> {
  return {
    params: z.strictObject({ id: runId.optional(), params: c.params }),
    result: z.object({ id: z.string(), seconds: z.number(), result: c.result }),
  } as LabMethod<C>;
}

/** The methods of every computation of the list. */
function methodsOf<Cs extends readonly LabComputation[]>(computations: Cs): LabMethodsOf<Cs> {
  return Object.fromEntries(computations.map((c) => [`lab.${c.name}`, methodOf(c)])) as LabMethodsOf<Cs>;
}

/** The API method name of a computation. */
export function labMethodName(name: string): `lab.${string}` {
  return `lab.${name}`;
}

/** Lab methods: one per computation, plus cancel. */
export const LAB_METHODS = {
  ...methodsOf(LAB_COMPUTATIONS),
  'lab.cancel': {
    params: z.strictObject({ id: runId }),
    result: z.object({ cancelled: z.boolean() }),
  },
} as const;

/** Lab events: how far a running computation is. */
export const LAB_EVENTS = {
  'lab.progress': z.object({ id: z.string(), name: z.string(), done: z.number(), total: z.number() }),
} as const;
