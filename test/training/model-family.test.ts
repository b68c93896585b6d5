// A new model family is one registry entry: a linear family declared here is accepted by the config schema, offered by the Train form, built, described and costed, with no other file changed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { StudioError } from '../../src-core/errors';
import { int } from '../../src-core/graph/attrs';
import { GraphBuilder } from '../../src-core/graph/builder';
import { evaluateGraph } from '../../src-core/graph/evaluate';
import type { ModelFamily } from '../../src-core/graph/families/family';
import { labelsShape, timeEmbeddingSchema } from '../../src-core/graph/families/model-schema';
import { modelFamilies, registerFamily } from '../../src-core/graph/families/registry';
import { emitTimeEmbedding, timeEmbeddingDim } from '../../src-core/graph/families/time-embedding';
import { initParams, paramSlice } from '../../src-core/graph/param-layout';
import { floatTensor } from '../../src-core/graph/tensor';
import { Rng } from '../../src-core/rng';
import { parseTrainingConfig } from '../../src-core/training/config';
import { forwardMacsPerItem, stepFlops } from '../../src-core/training/cost';
import { suggestedConfig } from '../../src-core/training/defaults';
import { describeConfig } from '../../src-core/training/describe';
import { buildModel } from '../../src-core/training/model-from-config';
import { fieldForPath, fieldGroups, type TrainForm } from '../../src-renderer/features/train/train-fields';
import { checkForm, DEFAULT_FORM, formFromConfig, type DataChoice } from '../../src-renderer/features/train/train-form';

const linearSchema = z.strictObject({
  family: z.literal('linear'),
  bias: z.boolean().default(true),
  timeEmbedding: timeEmbeddingSchema.prefault({ kind: 'raw' }),
  ...labelsShape,
});

/** prediction = [x, features(t)] W (+ b): the smallest network over the studio's interface. */
const linearFamily: ModelFamily<typeof linearSchema> = {
  name: 'linear',
  label: 'Linear',
  summary: 'as a baseline for points',
  takes: 'vectors',
  schema: linearSchema,
  fields: { bias: { kind: 'check', label: 'Bias', help: 'adds b to [x, t] W' } },
  build: (m, [d], shared) => {
    const b = new GraphBuilder('linear');
    const x = b.input('x', 'float32', ['N', d]);
    const t = b.input('t', 'float32', ['N']);
    const features = b.node('Concat', [x, emitTimeEmbedding(b, t, shared.timeEmbedding)], { attrs: { axis: int(1) }, name: 'features' });
    const width = d + timeEmbeddingDim(shared.timeEmbedding);
    const w = b.param('weight', [width, d], { kind: 'xavier-uniform', fanIn: width, fanOut: d });
    b.output(m.bias ? b.node('Gemm', [features, w, b.param('bias', [d], { kind: 'zeros' })], { name: 'prediction' }) : b.node('MatMul', [features, w], { name: 'prediction' }));
    return { ...b.build(), nullClass: undefined };
  },
  describe: (m) => `Linear${m.bias ? ' + bias' : ''}`,
  check: (m) => (m.classes !== null ? [{ path: ['classes'], message: 'the linear model takes no class labels' }] : []),
  suggest: () => ({ family: 'linear' }),
};

const MOONS: DataChoice = { kind: 'builtin', request: { id: 'two-moons', count: 1000, seed: 0 }, label: 'Two moons' };
const LINEAR_SCHEDULE = { name: 'linear', sigmaMin: 0 } as const;

/** The details of the error parseTrainingConfig throws for an input. */
function problems(input: unknown): { path: (string | number)[]; message: string }[] {
  try {
    parseTrainingConfig(input);
  } catch (err) {
    expect(err).toBeInstanceOf(StudioError);
    return (err as StudioError).details.map((d) => ({ path: [...d.path], message: d.message }));
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

const familyField = () => fieldGroups().find((g) => g.id === 'model')!.fields.find((f) => f.key === 'family')!;

describe('a model family registered in one place', () => {
  it('is unknown to the config and the form until it is registered', () => {
    expect(problems({ model: { family: 'linear' } }).map((p) => p.path.join('.'))).toEqual(['model.family']);
    expect(familyField().choices?.map((c) => c.value)).toEqual(['mlp', 'unet']);
    expect(fieldForPath(['model', 'bias'])).toBeNull();
  });

  it('once registered, is accepted by the config schema with its defaults and checked by its own rules', () => {
    registerFamily(linearFamily);
    const c = parseTrainingConfig({ model: { family: 'linear' } });
    expect(c.model).toEqual({ family: 'linear', bias: true, timeEmbedding: { kind: 'raw' }, classes: null, labelDropout: 0 });
    expect(parseTrainingConfig(JSON.parse(JSON.stringify(c)))).toEqual(c);
    expect(problems({ model: { family: 'linear', classes: 3 } })).toEqual([{ path: ['model', 'classes'], message: 'the linear model takes no class labels' }]);
    expect(problems({ model: { family: 'linear', hidden: [8] } })[0].path).toEqual(['model']);
    // the shared rules hold for it too
    expect(problems({ model: { family: 'linear', labelDropout: 0.2 } })[0].message).toMatch(/labelDropout 0\.2 needs a number of classes/);
  });

  it('builds into a graph that computes [x, t] W + b', () => {
    const m = buildModel(parseTrainingConfig({ model: { family: 'linear' } }).model, [2]);
    expect(m.graph.inputs.map((i) => i.name)).toEqual(['x', 't']);
    expect(m.layout.size).toBe(3 * 2 + 2);
    const p = initParams(m.layout, new Rng(1));
    const w = paramSlice(m.layout, p, 'weight');
    w.set([1, 2, 3, 4, 5, 6]);
    paramSlice(m.layout, p, 'bias').set([0.5, -0.5]);
    const out = evaluateGraph(m.graph, p, { x: floatTensor([1, -1, 2, 0], [2, 2]), t: floatTensor([0.5, 1], [2]) }).prediction;
    // row 0: [1, -1, 0.5] W + b = [1 - 3 + 2.5, 2 - 4 + 3] + b; row 1: [2, 0, 1] W + b = [2 + 5, 4 + 6] + b
    expect(Array.from(out.data as Float32Array)).toEqual([1, 0.5, 7.5, 9.5]);
    expect(() => buildModel(parseTrainingConfig({ model: { family: 'linear' } }).model, [1, 4, 4])).toThrow(/the Linear takes vectors, got items of shape \[1, 4, 4\]/);
  });

  it('is described and costed from its own graph', () => {
    const withBias = parseTrainingConfig({ model: { family: 'linear' } });
    const without = parseTrainingConfig({ model: { family: 'linear', bias: false } });
    expect(describeConfig(withBias).model).toBe('Linear + bias');
    expect(describeConfig(without).model).toBe('Linear');
    // one multiply-add per weight entry: (2 + 1) x 2 for two coordinates and raw t
    expect(forwardMacsPerItem(buildModel(without.model, [2]).graph)).toBe(6);
    expect(stepFlops(withBias.model, [2], 100)).toBe(2 * 3 * 6 * 100);
  });

  it('is offered by the Train form with its own field, which round-trips through a config', () => {
    const family = familyField();
    expect(family.choices).toContainEqual({ value: 'linear', label: 'Linear' });
    expect(family.tip).toMatch(/; Linear as a baseline for points$/);
    const bias = fieldGroups().flatMap((g) => g.fields).find((f) => (f.key as string) === 'bias')!;
    expect(bias).toMatchObject({ label: 'Bias', tip: 'adds b to [x, t] W', control: 'check', path: 'model.bias' });
    const form = { ...DEFAULT_FORM, name: 'lin', family: 'linear', bias: false } as TrainForm;
    const context = { images: false, classes: null };
    expect(bias.shows?.(form, context)).toBe(true);
    expect(bias.shows?.(DEFAULT_FORM, context)).toBe(false);
    expect(fieldForPath(['model', 'bias'])).toBe('bias');
    // the MLP's widths are not this family's: a bad text there stops nothing
    const checked = checkForm({ ...form, hidden: 'not widths' } as TrainForm, MOONS, LINEAR_SCHEDULE);
    expect(checked.errors).toEqual({});
    expect(checked.config?.model).toMatchObject({ family: 'linear', bias: false });
    expect(formFromConfig(checked.config!, { ...form, hidden: 'not widths' } as TrainForm, 'lin')).toEqual({ ...form, hidden: 'not widths' });
  });

  it('is not suggested where a family registered before it takes the same data', () => {
    expect(suggestedConfig({ shape: [2], rows: 100, classes: null }).model?.family).toBe('mlp');
  });

  it('cannot be registered twice, nor can a built-in name be taken', () => {
    expect(() => registerFamily(linearFamily)).toThrow(/model family 'linear' is already registered/);
    expect(() => registerFamily({ ...linearFamily, name: 'mlp' })).toThrow(expect.objectContaining({ code: 'duplicate-name' }));
    expect(modelFamilies.names()).toEqual(['mlp', 'unet', 'linear']);
  });
});

/** The .ts and .vue files of a folder, tests and their helpers (fakes, fixtures) left out. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|vue)$/.test(name) && !/\.test\.ts$|fixture|^fake-|^test-/.test(name) ? [path] : [];
  });
}

describe('family names', () => {
  it('appear only in their own family folders', () => {
    const offenders = ['src-core', 'src-main', 'src-preload', 'src-renderer']
      .flatMap(sources)
      .filter((path) => !path.startsWith(join('src-core', 'graph', 'families', 'mlp')) && !path.startsWith(join('src-core', 'graph', 'families', 'unet')))
      .filter((path) => /['"`](mlp|unet)['"`]/.test(readFileSync(path, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
