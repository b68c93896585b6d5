// The suggested configs are valid runs for every kind of data: they parse, build their network and never ask for more rows than the set has.
import { describe, expect, it } from 'vitest';
import { parseTrainingConfig, type TrainingConfig } from './config';
import { isImageShape, suggestedConfig, type DataKind } from './defaults';
import { buildModel } from './model-from-config';

/** The suggestion for a kind, completed with a data reference of the right sort and parsed as the studio parses a run's config. */
function parsed(kind: DataKind): TrainingConfig {
  const data = kind.shape.length === 1 && kind.shape[0] === 2 && kind.classes === null
    ? { source: 'builtin', id: 'two-moons', params: { count: kind.rows } }
    : { source: 'workspace', id: 'saved-set' };
  return parseTrainingConfig({ ...suggestedConfig(kind), data });
}

const KINDS: Record<string, DataKind> = {
  '2-D points': { shape: [2], rows: 10_000, classes: null },
  '2-D points with classes': { shape: [2], rows: 10_000, classes: 3 },
  '5-D table': { shape: [5], rows: 500, classes: null },
  '1x28x28 images': { shape: [1, 28, 28], rows: 10_000, classes: null },
  '1x28x28 images with 10 classes': { shape: [1, 28, 28], rows: 10_000, classes: 10 },
  '3x32x32 images': { shape: [3, 32, 32], rows: 50_000, classes: 10 },
  '1x30x30 images (halved once only)': { shape: [1, 30, 30], rows: 200, classes: null },
  '3x7x9 images (never halved)': { shape: [3, 7, 9], rows: 40, classes: 2 },
  'a 10-row table': { shape: [4], rows: 10, classes: null },
  'one 28x28 image': { shape: [1, 28, 28], rows: 1, classes: null },
};

describe('suggestedConfig', () => {
  it.each(Object.entries(KINDS))('%s: parses, builds its network and fits the set', (_, kind) => {
    const c = parsed(kind);
    expect(c.batchSize).toBeGreaterThanOrEqual(1);
    expect(c.batchSize).toBeLessThanOrEqual(kind.rows);
    expect(c.optimiser.warmupSteps).toBeLessThan(c.steps);
    expect(c.checkpointEvery).toBeLessThanOrEqual(c.steps);
    expect(c.model.family).toBe(isImageShape(kind.shape) ? 'unet' : 'mlp');
    if (c.model.family === 'unet') for (const ch of c.model.channels) expect(ch % c.model.groups).toBe(0);
    const model = buildModel(c.model, kind.shape);
    expect(model.layout.size).toBeGreaterThan(0);
  });

  it('conditions on classes with label dropout (guidance) only where the set has two or more', () => {
    for (const shape of [[2], [1, 28, 28]]) {
      const labelled = parsed({ shape, rows: 1000, classes: 10 }).model;
      expect(labelled.classes).toBe(10);
      expect(labelled.labelDropout).toBeGreaterThan(0);
      for (const classes of [null, 1]) {
        const plain = parsed({ shape, rows: 1000, classes }).model;
        expect(plain.classes).toBeNull();
        expect(plain.labelDropout).toBe(0);
      }
    }
  });

  it('keeps every U-Net level an image can halve into, up to three', () => {
    const levels = (shape: number[]) => {
      const m = parsed({ shape, rows: 100, classes: null }).model;
      return m.family === 'unet' ? m.channels.length : 0;
    };
    expect(levels([1, 28, 28])).toBe(3);
    expect(levels([3, 64, 64])).toBe(3);
    expect(levels([1, 30, 30])).toBe(2);
    expect(levels([1, 28, 30])).toBe(2);
    expect(levels([3, 7, 9])).toBe(1);
  });

  it('an EMA short enough that the initial weights are gone by the end of the run', () => {
    for (const kind of Object.values(KINDS)) {
      const c = parsed(kind);
      // the EMA starts at the initial weights without bias correction: their weight at the end is emaDecay^steps
      expect(c.emaDecay ** c.steps).toBeLessThan(1e-3);
    }
  });
});
