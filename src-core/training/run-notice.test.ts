// Which status changes of a run call for a notification, and that each is given once.
import { describe, expect, it } from 'vitest';
import { RunNoticeTracker } from './run-notice';
import type { RunStatus } from './run-status';

const run = (status: RunStatus, error: string | null = null, lastStep = 1200) => ({ id: 'r1', name: 'moons', status, lastStep, totalSteps: 2000, error });

describe('RunNoticeTracker', () => {
  it('tells of a finish, a failure and a fault pause, once each', () => {
    const t = new RunNoticeTracker();
    expect(t.take(run('running'))).toBeNull();
    expect(t.take(run('paused', 'the training process crashed at step 1200; resume from step 1000'))).toEqual({
      title: 'Training paused by a fault',
      body: 'moons at step 1,200: the training process crashed at step 1200; resume from step 1000',
    });
    expect(t.take(run('running'))).toBeNull();
    expect(t.take(run('failed', 'loss is not finite at step 1500'))).toEqual({ title: 'Training failed', body: 'moons: loss is not finite at step 1500' });
    expect(t.take(run('running'))).toBeNull();
    expect(t.take(run('completed'))).toEqual({ title: 'Training finished', body: 'moons: 2,000 steps trained.' });
    // a later event of the same status (a rename, a re-read) is not news
    expect(t.take(run('completed'))).toBeNull();
  });

  it('says nothing of a pause the person asked for, a start or a cancel', () => {
    const t = new RunNoticeTracker();
    for (const s of ['created', 'running', 'paused', 'running', 'cancelled'] as const) expect(t.take(run(s))).toBeNull();
  });

  it('tells again of a run that is deleted and made anew under its id', () => {
    const t = new RunNoticeTracker();
    expect(t.take(run('completed'))).not.toBeNull();
    t.forget('r1');
    expect(t.take(run('completed'))).not.toBeNull();
  });
});
