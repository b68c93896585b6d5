// Tests of the Train section's pure parts: form to config and the metric buffer.
import { describe, expect, it } from 'vitest';
import { parseTrainingConfig } from '../../../src-core/training/config';
import { MetricBuffer } from './metric-buffer';
import { REFERENCE_PAGES } from '../../reference';
import { COUPLINGS, fieldForPath, fieldGroups, type TrainForm } from './train-fields';
import { buildConfig, checkForm, choiceFromRef, dataKindOf, DEFAULT_FORM, formFromConfig, parseWidths, suggestedForm, type DataChoice } from './train-form';

const MOONS: DataChoice = { kind: 'builtin', request: { id: 'two-moons', count: 1000, seed: 0 }, label: 'Two moons' };
const DIGITS: DataChoice = {
  kind: 'saved',
  set: { id: 'digits', name: 'Digits', source: { id: 'mnist', digits: [0, 1] }, shape: [500, 1, 28, 28], createdAt: '2026-01-01T00:00:00.000Z', classes: ['0', '1'] },
};
const LINEAR = { name: 'linear', sigmaMin: 0 } as const;
const named = { ...DEFAULT_FORM, name: 'run 1' };

describe('train form', () => {
  it('parses comma-separated widths and levels', () => {
    expect(parseWidths('64, 64')).toEqual([64, 64]);
    expect(parseWidths('64 128')).toEqual([64, 128]);
    expect(parseWidths('64, 0')).toBeNull();
    expect(parseWidths('')).toBeNull();
    expect(parseWidths('', true)).toEqual([]);
    expect(parseWidths('0, 2', true)).toEqual([0, 2]);
  });

  it('builds a valid config from the form and the data, and the form comes back from it', () => {
    const form = { ...named, coupling: 'sinkhorn' as const, couplingValue: 0.1, optimiser: 'adamw' as const, weightDecay: 0.01, timeSampling: 'logNormal' as const };
    const c = parseTrainingConfig(buildConfig(form, { ...MOONS, request: { id: 'circles', count: 500, seed: 3, params: { factor: 0.4 } } }, { name: 'vp-cosine', s: 0.008 }));
    expect(c.data).toMatchObject({ source: 'builtin', id: 'circles', params: { count: 500, seed: 3, factor: 0.4 } });
    expect(c.coupling).toEqual({ sinkhorn: 0.1 });
    expect(c.optimiser).toMatchObject({ kind: 'adamw', weightDecay: 0.01 });
    expect(c.objective.timeSampling).toEqual({ logNormal: { mean: 0, std: 1 } });
    expect(c.objective.schedule).toMatchObject({ name: 'vp-cosine' });
    expect(formFromConfig(c, DEFAULT_FORM, 'run 1')).toEqual(form);
    const back = choiceFromRef(c.data, [], () => 'Circles');
    expect(back).toEqual({ kind: 'builtin', request: { id: 'circles', count: 500, seed: 3, noise: expect.any(Number), params: { factor: 0.4 } }, label: 'Circles' });
  });

  it('suggests a class-conditional U-Net for labelled images and an MLP for points', () => {
    const images = suggestedForm(dataKindOf(DIGITS));
    expect(images.family).toBe('unet');
    expect(images.conditional).toBe(true);
    const c = parseTrainingConfig(buildConfig({ ...images, name: 'd' }, DIGITS, LINEAR));
    expect(c.model).toMatchObject({ family: 'unet', classes: 2 });
    expect(c.data).toEqual({ source: 'workspace', id: 'digits', normalise: images.normalise });
    expect(suggestedForm(dataKindOf(MOONS)).family).toBe('mlp');
  });

  it('checks the form live: each problem beside its field, in the studio\'s words', () => {
    const r = checkForm({ ...named, residual: true, hidden: '64, 32', lr: -1, warmupSteps: 5000, steps: 1000 }, MOONS, LINEAR);
    expect(r.config).toBeNull();
    expect(r.errors.hidden).toMatch(/equal hidden widths/);
    expect(r.errors.lr).toBe('must be more than 0');
    expect(r.errors.warmupSteps).toMatch(/warm-up \(5000\) must not exceed steps/);
    expect(checkForm({ ...named, hidden: '64, x' }, MOONS, LINEAR).errors.hidden).toMatch(/whole numbers above 0 separated by commas/);
    expect(checkForm({ ...named, name: '  ' }, MOONS, LINEAR).errors.name).toBe('a run needs a name');
    expect(checkForm({ ...named, steps: Number.NaN }, MOONS, LINEAR).errors.steps).toBe("needs a number");
    expect(checkForm({ ...named, steps: 2.5 }, MOONS, LINEAR).errors.steps).toBe("must be a whole number, got 2.5");
    expect(checkForm(named, null, LINEAR).errors.data).toMatch(/Choose the data/);
    expect(checkForm(named, MOONS, null).errors.schedule).toMatch(/Schedule section/);
    const ok = checkForm(named, MOONS, LINEAR);
    expect(ok.config).not.toBeNull();
    expect(ok.errors).toEqual({});
    expect(ok.warnings).toEqual([]);
  });

  it('warns before a batch larger than the data and before a step of seconds', () => {
    const big = checkForm({ ...named, batchSize: 1_000_000 }, { ...MOONS, request: { id: 'two-moons', count: 10_000, seed: 0 } }, LINEAR);
    expect(big.warnings.map((w) => w.message).join(' ')).toMatch(/larger than the data set \(10,000 rows\)/);
    expect(big.warnings.some((w) => /s a step/.test(w.message))).toBe(true);
    const wide = checkForm({ ...named, hidden: '4096, 4096, 4096', batchSize: 4096 }, MOONS, LINEAR);
    expect(wide.warnings.some((w) => /GFLOP/.test(w.message))).toBe(true);
  });
});

describe('metric buffer', () => {
  it('grows past its capacity, ignores old steps and gives interleaved pairs', () => {
    const b = new MetricBuffer(2);
    for (let s = 1; s <= 5; s++) b.push(s, s / 10, s / 20, 1e-3);
    expect(b.push(3, 1, 1, 1)).toBe(false);
    expect(b.length).toBe(5);
    expect(Array.from(b.view('step'))).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(b.pairs('loss').subarray(0, 4))).toEqual([1, 0.1, 2, 0.2]);
    b.replace({ step: new Float64Array([7, 8]), loss: new Float64Array([1, 2]), smoothedLoss: new Float64Array([1, 2]), lr: new Float64Array([0, 0]) });
    expect(b.lastStep).toBe(8);
  });
});

describe('train field table', () => {
  it('every formula hint of the form points at an entry of the Reference, for every coupling', () => {
    const entries = new Set(REFERENCE_PAGES.flatMap((p) => p.entries.map((e) => `${p.id}/${e.id}`)));
    for (const g of fieldGroups()) {
      for (const f of g.fields) {
        if (!f.hint) continue;
        const anchors = typeof f.hint === 'string' ? [f.hint] : COUPLINGS.map((coupling) => (f.hint as (form: TrainForm) => string)({ ...DEFAULT_FORM, coupling }));
        for (const a of anchors) expect(entries.has(a), `${f.key}: ${a}`).toBe(true);
      }
    }
  });

  it('maps config paths to the field that sets them', () => {
    expect(fieldForPath(['model', 'hidden', 1])).toBe('hidden');
    expect(fieldForPath(['model', 'timeEmbedding', 'dim'])).toBe('embedDim');
    expect(fieldForPath(['objective', 'timeSampling', 'logNormal', 'std'])).toBe('logNormalStd');
    expect(fieldForPath(['optimiser', 'minLr'])).toBe('minLr');
    expect(fieldForPath(['nowhere'])).toBeNull();
  });
});
