// What a run id looks like: the one pattern the API, run.json and run folders check ids against.
import { z } from 'zod';

/** A run id (it is also the run's folder name): lower-case letters, digits and dashes, at most 64, not starting with a dash. */
export const RUN_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** The schema of a run id. */
export const runIdSchema = z.string().regex(RUN_ID, 'must be a run id');
