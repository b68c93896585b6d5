// Tests of training runs as models to sample: what a run's config says, which runs can be sampled, how they are labelled, the live catalog.
import { describe, expect, it } from 'vitest';
import type { ModelDetails } from '../../../src-core/api/methods/models';
import type { RunSummary } from '../../../src-core/api/methods/training';
import { FakeApi } from '../../../test/support/fake-api';
import { runEntry } from '../../../test/support/fake-catalog';
import { classCount, classOptions, displayRange, imageShapeOf, itemShape, itemSize, ModelCatalog } from './model-choices';
import { runChoice, type RunEntry } from './run-choice';

const T0 = '2025-01-01T00:00:00.000Z';
const T1 = '2025-01-01T00:00:05.000Z';
const RUN: RunSummary = {
  id: 'r1', name: 'moons', status: 'running', createdAt: T0, updatedAt: T0, startedAt: T0, finishedAt: null,
  lastStep: 250, totalSteps: 1000, backend: { name: 'cpu', device: 'CPU', how: 'auto', tried: [] }, error: null, active: true,
};
const MOONS = { dataShape: [2] };
const DIGITS_META = { parameterisation: 'eps' as const, schedule: { name: 'vp-cosine' }, dataShape: [1, 28, 28], classes: { count: 10, nullClass: 10, guidance: 1 } };
const DIGITS_DETAILS = { family: 'unet', classNames: Array.from({ length: 10 }, (_, k) => String(k)), range: [0, 1] as [number, number] };
const moons = (run: RunSummary) => runChoice(runEntry(run, MOONS) as RunEntry);
const digits = (run: RunSummary, details: Partial<ModelDetails> = DIGITS_DETAILS) => runChoice(runEntry(run, DIGITS_META, { details }) as RunEntry);

describe('a run as a model', () => {
  it("the studio's metadata is taken as it comes: a set of 3 columns gives items of 3, an image set [C, H, W]", () => {
    expect(itemShape(runChoice(runEntry(RUN, { dataShape: [3] }) as RunEntry))).toEqual([3]);
    expect(itemShape(digits(RUN))).toEqual([1, 28, 28]);
    const lost = runChoice(runEntry(RUN, {}, { problem: "its data set 'digits' is not in the workspace any more" }) as RunEntry);
    expect([lost.unavailable, lost.meta, lost.label]).toEqual(["its data set 'digits' is not in the workspace any more", null, 'moons: cannot be sampled']);
  });

  it('a training run is sampleable and says it is training; a finished one says where it ended', () => {
    const live = moons(RUN);
    expect(live).toMatchObject({ kind: 'run', key: 'run:r1', runId: 'r1', unavailable: null, training: true });
    expect(live.label).toBe('moons: current EMA weights (step 250 of 1000, training…)');
    const done = moons({ ...RUN, status: 'completed', lastStep: 1000, active: false });
    expect(done.label).toBe('moons: current EMA weights (step 1000 of 1000, completed)');
    expect(done.training).toBe(false);
    // the worker of a run that just completed may not have left yet
    expect(moons({ ...RUN, status: 'completed', active: true }).training).toBe(false);
    const paused = moons({ ...RUN, status: 'paused', active: false });
    expect([paused.unavailable, paused.label]).toEqual([null, 'moons: current EMA weights (step 250 of 1000, paused)']);
    // a run that failed while training keeps its checkpoints
    const failed = moons({ ...RUN, status: 'failed', active: false, error: 'loss is NaN at step 301' });
    expect([failed.unavailable, failed.label]).toEqual([null, 'moons: EMA weights of its last checkpoint (failed)']);
  });

  it('a run with no checkpoint is offered disabled, saying why', () => {
    const created = moons({ ...RUN, status: 'created', startedAt: null, lastStep: 0 });
    expect(created.unavailable).toMatch(/no checkpoint yet/);
    expect(created.label).toBe('moons: no checkpoint yet');
    const broken = moons({ ...RUN, status: 'failed', startedAt: null, lastStep: 0, error: 'libtensorflow is missing' });
    expect(broken.unavailable).toBe('it failed before its first checkpoint: libtensorflow is missing');
    expect(moons({ ...RUN, status: 'cancelled', startedAt: null }).unavailable).toMatch(/cancelled before its first checkpoint/);
    const unreadable = runChoice(runEntry(RUN, {}, { problem: 'its config could not be read: bad hash' }) as RunEntry);
    expect([unreadable.unavailable, unreadable.meta]).toEqual(['its config could not be read: bad hash', null]);
  });

  it('classes, item size, image shape and display range follow the run', () => {
    const images = digits(RUN);
    expect(classCount(images)).toBe(10);
    expect(itemSize(images)).toBe(784);
    expect(displayRange(images)).toEqual([0, 1]);
    const points = moons(RUN);
    expect([classCount(points), itemSize(points)]).toEqual([0, 2]);
    const wide = digits(RUN, { ...DIGITS_DETAILS, range: [-1, 3] });
    expect(displayRange(wide)).toEqual([-1, 3]);
  });

  it('the class picker names a label by its data set where the names are one per class and say more than the label', () => {
    const sides = runChoice(runEntry(RUN, { ...DIGITS_META, classes: { count: 2, nullClass: 2, guidance: 1 } }, { details: { classNames: ['left', 'right'] } }) as RunEntry);
    expect(classOptions(sides).map((o) => o.text)).toEqual(['0: left', '1: right']);
    expect(classOptions(sides).map((o) => o.label)).toEqual([0, 1]);
    // MNIST's names are the labels themselves; a set whose names do not match the class count gives labels only
    const digitNames = Array.from({ length: 10 }, (_, k) => String(k));
    expect(classOptions(digits(RUN, { classNames: digitNames })).map((o) => o.text)).toEqual(digitNames);
    expect(classOptions(digits(RUN, { classNames: null })).map((o) => o.text)).toEqual(digitNames);
    expect(classOptions(moons(RUN))).toEqual([]);
    expect(classOptions(null)).toEqual([]);
  });

  it('only [C, H, W] with 1 to 4 channels are images', () => {
    expect(imageShapeOf([1, 28, 28])).toEqual([1, 28, 28]);
    expect(imageShapeOf([3, 32, 32])).toEqual([3, 32, 32]);
    expect(imageShapeOf([2])).toBeNull();
    expect(imageShapeOf([28, 28])).toBeNull();
    expect(imageShapeOf([8, 16, 16])).toBeNull();
    expect(imageShapeOf([1, 1, 28])).toBeNull();
  });
});

describe('the model catalog', () => {
  function api(runs: RunSummary[]): FakeApi {
    const entryOf = (run: RunSummary) => runEntry(run, run.id === 'r2' ? DIGITS_META : MOONS);
    return new FakeApi().handle('models.catalog', (p) => ({ models: (p.runId === undefined ? runs : [runs.find((r) => r.id === p.runId) ?? { ...RUN, id: p.runId }]).map(entryOf) }));
  }
  const asks = (a: FakeApi) => a.calls.filter((c) => c.method === 'models.catalog').map((c) => (c.params as { runId?: string }).runId ?? 'all');

  it('reads the list in one call, takes a newer summary, ignores an older one, and asks only about a run it does not know', async () => {
    const fake = api([RUN]);
    const catalog = new ModelCatalog(fake);
    expect((await catalog.refresh()).map((c) => c.label)).toEqual(['moons: current EMA weights (step 250 of 1000, training…)']);
    let list = await catalog.update({ ...RUN, updatedAt: T1, lastStep: 500 });
    expect(list[0].label).toContain('step 500 of 1000');
    // an event that overtook a later one changes nothing
    list = await catalog.update({ ...RUN, updatedAt: T0, lastStep: 250 });
    expect(list[0].label).toContain('step 500 of 1000');
    list = await catalog.update({ ...RUN, id: 'r2', name: 'digits', createdAt: T1, updatedAt: T1 });
    expect(list.map((c) => c.key)).toEqual(['run:r1', 'run:r2']);
    expect(list[1].meta?.dataShape).toEqual([1, 28, 28]);
    expect(asks(fake)).toEqual(['all', 'r2']);
    // a list read before the events must not take them back, nor drop the run that started meanwhile
    await catalog.refresh();
    expect(catalog.choices()[0].label).toContain('step 500 of 1000');
    expect(catalog.choices().map((c) => c.key)).toEqual(['run:r1', 'run:r2']);
    expect(catalog.remove('r2').map((c) => c.key)).toEqual(['run:r1']);
  });

  it('a run the studio could not describe is asked about again at the next look', async () => {
    const fake = api([RUN]);
    let fail = true;
    fake.handle('models.catalog', (p) => {
      if (fail) throw new Error('disk busy');
      return { models: p.runId === undefined ? [] : [runEntry(RUN, MOONS)] };
    });
    const catalog = new ModelCatalog(fake);
    const [first] = await catalog.update(RUN);
    expect(first.kind === 'run' && first.unavailable).toBe('it could not be described: disk busy');
    fail = false;
    const [second] = await catalog.update({ ...RUN, updatedAt: T1 });
    expect(second.kind === 'run' && second.unavailable).toBeNull();
  });
});
