// A config's model description becomes the graph it describes.
import { describe, expect, it } from 'vitest';
import { buildModel } from './model-from-config';
import { defaultTrainingConfig, parseTrainingConfig } from './config';
import { StudioError } from '../errors';

describe('buildModel', () => {
  it('builds the reference MLP 3->256->256->256->2 from the default config', () => {
    const m = buildModel(defaultTrainingConfig().model, [2]);
    // (3*256 + 256) + 2 * (256*256 + 256) + (256*2 + 2) parameters
    expect(m.layout.size).toBe(3 * 256 + 256 + 2 * (256 * 256 + 256) + 256 * 2 + 2);
    expect(m.graph.inputs.map((i) => i.name)).toEqual(['x', 't']);
  });
  it('adds the label input and embedding for class-conditional models', () => {
    const c = parseTrainingConfig({ model: { family: 'mlp', classes: 10, labelDropout: 0.1, timeEmbedding: { kind: 'sinusoidal', dim: 16 } } });
    const m = buildModel(c.model, [2]);
    expect(m.graph.inputs.map((i) => i.name)).toEqual(['x', 't', 'y']);
    expect(m.nullClass).toBe(10);
  });
  it('refuses item shapes the MLP cannot take', () => {
    expect(() => buildModel(defaultTrainingConfig().model, [28, 28])).toThrow(StudioError);
  });
});
