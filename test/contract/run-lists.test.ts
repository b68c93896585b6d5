// Run statuses and run ids, declared once in src-core: the API, run.json and the worker protocol take exactly those.
import { describe, expect, it } from 'vitest';
import { TRAINING_METHODS, runSummarySchema } from '../../src-core/api/methods/training';
import { MODEL_METHODS } from '../../src-core/api/methods/models';
import { RUN_ID } from '../../src-core/training/run-id';
import { RUN_STATUSES, WORKER_STATUSES } from '../../src-core/training/run-status';
import { runRecordFields } from '../../src-main/runs/run-record';
import { fromWorkerSchema } from '../../src-main/training/worker-protocol';

const accepts = (schema: { safeParse(v: unknown): { success: boolean } }, value: unknown): boolean => schema.safeParse(value).success;

const workerStatus = (status: string) => ({ type: 'status', status, step: 0, checkpointStep: null, message: null, failure: null, exiting: false });

describe('the run statuses', () => {
  it('are what run.json and the API summary accept, and nothing else', () => {
    const summaryStatus = runSummarySchema.shape.status;
    for (const s of RUN_STATUSES) {
      expect(accepts(runRecordFields.status, s), s).toBe(true);
      expect(accepts(summaryStatus, s), s).toBe(true);
    }
    for (const s of ['done', 'Running', '']) {
      expect(accepts(runRecordFields.status, s), s).toBe(false);
      expect(accepts(summaryStatus, s), s).toBe(false);
    }
  });

  it('a worker reports every one but created', () => {
    expect(WORKER_STATUSES).toEqual(RUN_STATUSES.filter((s) => s !== 'created'));
    for (const s of RUN_STATUSES) expect(accepts(fromWorkerSchema, workerStatus(s)), s).toBe(s !== 'created');
  });
});

describe('the run id', () => {
  const ids = ['a', 'run-1', '0abc', 'x'.repeat(64), '-a', 'A', 'a_b', 'x'.repeat(65), '', 'a/b'];

  it('is checked by the same pattern in run.json and in every API method that takes one', () => {
    const takers = [TRAINING_METHODS['training.get'].params, TRAINING_METHODS['training.delete'].params, MODEL_METHODS['models.export'].params];
    for (const id of ids) {
      const valid = RUN_ID.test(id);
      expect(accepts(runRecordFields.id, id), id).toBe(valid);
      for (const params of takers) expect(accepts(params.shape.runId, id), id).toBe(valid);
    }
    expect(ids.filter((id) => RUN_ID.test(id))).toEqual(['a', 'run-1', '0abc', 'x'.repeat(64)]);
  });
});
