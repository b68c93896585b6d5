// Tests of training runs as models to sample: what a run's config says, which runs can be sampled, how they are labelled, the live catalog.
import { describe, expect, it } from 'vitest';
import type { SavedDataset } from '../../../src-core/api/contract';
import type { RunSummary } from '../../../src-core/api/methods/training';
import { parseTrainingConfig } from '../../../src-core/training/config';
import { FakeApi } from '../../stores/fake-api';
import { classCount, classOptions, displayRange, imageShapeOf, itemSize, ModelCatalog } from './model-choices';
import { runChoice, runMeta } from './run-choice';

const T0 = '2025-01-01T00:00:00.000Z';
const T1 = '2025-01-01T00:00:05.000Z';
const RUN: RunSummary = {
  id: 'r1', name: 'moons', status: 'running', createdAt: T0, updatedAt: T0, startedAt: T0, finishedAt: null,
  lastStep: 250, totalSteps: 1000, backend: { name: 'cpu', reason: '' }, error: null, active: true,
};
const MOONS = parseTrainingConfig({ data: { source: 'builtin', id: 'two-moons' }, steps: 1000 });
const DIGITS: SavedDataset = {
  id: 'digits', name: 'digits', source: { id: 'mnist' }, shape: [40, 1, 28, 28], createdAt: T0, classes: ['0', '1'],
  normalisation: { scaled: 'none', axis: 'channel', mean: [0.13], std: [0.3], min: [0], max: [1] },
};
const UNET = parseTrainingConfig({
  data: { source: 'workspace', id: 'digits', normalise: 'standardise' },
  model: { family: 'unet', channels: [8, 16], classes: 10 },
  objective: { parameterisation: 'eps', schedule: { name: 'vp-cosine' } },
});

describe('a run as a model', () => {
  it('a built-in set gives 2-D points; a saved image set its [C, H, W], classes and value range', () => {
    expect(runMeta(MOONS, [])).toEqual({ parameterisation: 'velocity', schedule: 'linear', dataShape: [2], classes: null, range: null });
    expect(runMeta(UNET, [DIGITS])).toEqual({ parameterisation: 'eps', schedule: 'vp-cosine', dataShape: [1, 28, 28], classes: { count: 10, guidance: 1 }, range: [0, 1] });
    expect(runMeta(UNET, [])).toMatch(/data set 'digits' is not in the workspace/);
  });

  it('a training run is sampleable and says it is training; a finished one says where it ended', () => {
    const live = runChoice(RUN, MOONS, []);
    expect(live).toMatchObject({ kind: 'run', key: 'run:r1', runId: 'r1', unavailable: null, training: true });
    expect(live.label).toBe('moons: current EMA weights (step 250 of 1000, training…)');
    const done = runChoice({ ...RUN, status: 'completed', lastStep: 1000, active: false }, MOONS, []);
    expect(done.label).toBe('moons: current EMA weights (step 1000 of 1000, completed)');
    expect(done.training).toBe(false);
    // the worker of a run that just completed may not have left yet
    expect(runChoice({ ...RUN, status: 'completed', active: true }, MOONS, []).training).toBe(false);
    const paused = runChoice({ ...RUN, status: 'paused', active: false }, MOONS, []);
    expect([paused.unavailable, paused.label]).toEqual([null, 'moons: current EMA weights (step 250 of 1000, paused)']);
    // a run that failed while training keeps its checkpoints
    const failed = runChoice({ ...RUN, status: 'failed', active: false, error: 'loss is NaN at step 301' }, MOONS, []);
    expect([failed.unavailable, failed.label]).toEqual([null, 'moons: EMA weights of its last checkpoint (failed)']);
  });

  it('a run with no checkpoint is offered disabled, saying why', () => {
    const created = runChoice({ ...RUN, status: 'created', startedAt: null, lastStep: 0 }, MOONS, []);
    expect(created.unavailable).toMatch(/no checkpoint yet/);
    expect(created.label).toBe('moons: no checkpoint yet');
    const broken = runChoice({ ...RUN, status: 'failed', startedAt: null, lastStep: 0, error: 'libtensorflow is missing' }, MOONS, []);
    expect(broken.unavailable).toBe('it failed before its first checkpoint: libtensorflow is missing');
    expect(runChoice({ ...RUN, status: 'cancelled', startedAt: null }, MOONS, []).unavailable).toMatch(/cancelled before its first checkpoint/);
    const unreadable = runChoice(RUN, null, [], 'its config could not be read: bad hash');
    expect([unreadable.unavailable, unreadable.meta]).toEqual(['its config could not be read: bad hash', null]);
  });

  it('classes, item size, image shape and display range follow the run', () => {
    const digits = runChoice(RUN, UNET, [DIGITS]);
    expect(classCount(digits)).toBe(10);
    expect(itemSize(digits)).toBe(784);
    expect(displayRange(digits)).toEqual([0, 1]);
    const moons = runChoice(RUN, MOONS, []);
    expect([classCount(moons), itemSize(moons)]).toEqual([0, 2]);
    const wide = runChoice(RUN, UNET, [{ ...DIGITS, normalisation: { ...DIGITS.normalisation!, min: [-1], max: [3] } }]);
    expect(displayRange(wide)).toEqual([-1, 3]);
  });

  it('the class picker names a label by its data set where the names are one per class and say more than the label', () => {
    const sides = runChoice(RUN, { ...UNET, model: { ...UNET.model, classes: 2 } }, [{ ...DIGITS, classes: ['left', 'right'] }]);
    expect(classOptions(sides).map((o) => o.text)).toEqual(['0: left', '1: right']);
    expect(classOptions(sides).map((o) => o.label)).toEqual([0, 1]);
    // MNIST's names are the labels themselves; a set whose names do not match the class count gives labels only
    const digitNames = Array.from({ length: 10 }, (_, k) => String(k));
    expect(classOptions(runChoice(RUN, UNET, [{ ...DIGITS, classes: digitNames }])).map((o) => o.text)).toEqual(digitNames);
    expect(classOptions(runChoice(RUN, UNET, [DIGITS])).map((o) => o.text)).toEqual(digitNames);
    expect(classOptions(runChoice(RUN, MOONS, []))).toEqual([]);
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
    return new FakeApi()
      .handle('datasets.list', () => [])
      .handle('datasets.saved', () => [DIGITS])
      .handle('training.list', () => ({ runs, unreadable: [] }))
      .handle('training.get', (p) => ({ run: runs.find((r) => r.id === p.runId) ?? RUN, config: p.runId === 'r2' ? UNET : MOONS }))
      .handle('models.list', () => ({ exports: [] }));
  }
  const gets = (a: FakeApi) => a.calls.filter((c) => c.method === 'training.get').length;

  it('takes a newer summary, ignores an older one, adds a new run, and reads each config once', async () => {
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
    expect(gets(fake)).toBe(2);
    // a list read before the events must not take them back, nor drop the run that started meanwhile
    await catalog.refresh();
    expect(catalog.choices()[0].label).toContain('step 500 of 1000');
    expect(catalog.choices().map((c) => c.key)).toEqual(['run:r1', 'run:r2']);
    expect(gets(fake)).toBe(2);
  });

  it('a config that could not be read is tried again at the next look', async () => {
    const fake = api([RUN]);
    let fail = true;
    fake.handle('training.get', () => {
      if (fail) throw new Error('disk busy');
      return { run: RUN, config: MOONS };
    });
    const catalog = new ModelCatalog(fake);
    const [first] = await catalog.refresh();
    expect(first.kind === 'run' && first.unavailable).toBe('its config could not be read: disk busy');
    fail = false;
    const [second] = await catalog.update({ ...RUN, updatedAt: T1 });
    expect(second.kind === 'run' && second.unavailable).toBeNull();
  });
});
