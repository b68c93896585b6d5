// A config's model description becomes the graph it describes.
import { describe, expect, it } from 'vitest';
import { buildModel } from './model-from-config';
import { defaultTrainingConfig, parseTrainingConfig } from './config';
import { StudioError } from '../errors';
import { timeEmbeddingSchema } from '../graph/families/model-schema';
import { timeEmbeddingDim } from '../graph/families/time-embedding';

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
  it('hands each time embedding of config.json to the graph under its own name', () => {
    const kinds = timeEmbeddingSchema.options.map((o) => o.shape.kind.value);
    expect(kinds).toContain('raw');
    for (const kind of kinds) {
      const c = parseTrainingConfig({ model: { family: 'mlp', hidden: [8], timeEmbedding: { kind, ...(kind === 'raw' ? {} : { dim: 6 }) } } });
      const features = 2 + timeEmbeddingDim(c.model.timeEmbedding);
      // the first layer takes x and the time features (features * 8 weights, 8 biases), then 8 * 2 + 2; Fourier's frozen B holds dim / 2
      const frozen = kind === 'fourier' ? 3 : 0;
      expect(buildModel(c.model, [2]).layout.size, kind).toBe(features * 8 + 8 + 8 * 2 + 2 + frozen);
      expect(features, kind).toBe(kind === 'raw' ? 3 : 8);
    }
  });
});
