// Step cost from the graph: the MLP's count equals its layer sizes; a U-Net's grows with the image area.
import { describe, expect, it } from 'vitest';
import { parseTrainingConfig } from './config';
import { forwardMacsPerItem, stepFlops } from './cost';
import { buildModel } from './model-from-config';

describe('step cost', () => {
  it('counts an MLP by its weight matrices', () => {
    const { model } = parseTrainingConfig({ model: { family: 'mlp', hidden: [256, 256, 256], timeEmbedding: { kind: 'raw' } } });
    // (2 + 1) x 256 + 256 x 256 + 256 x 256 + 256 x 2: the weight matrices, one multiply-add per entry
    const expected = 3 * 256 + 2 * 256 * 256 + 256 * 2;
    expect(forwardMacsPerItem(buildModel(model, [2]).graph)).toBe(expected);
    expect(stepFlops(model, [2], 256)).toBe(6 * expected * 256);
  });

  it('scales a U-Net with its image area and channel widths', () => {
    const { model } = parseTrainingConfig({ data: { source: 'workspace', id: 'x' }, model: { family: 'unet', channels: [16, 32], resBlocks: 1 } });
    const small = forwardMacsPerItem(buildModel(model, [1, 16, 16]).graph);
    const large = forwardMacsPerItem(buildModel(model, [1, 32, 32]).graph);
    expect(large / small).toBeGreaterThan(3.5);
    expect(large / small).toBeLessThan(4.5);
    const wide = parseTrainingConfig({ data: { source: 'workspace', id: 'x' }, model: { family: 'unet', channels: [32, 64], resBlocks: 1 } }).model;
    const ratio = forwardMacsPerItem(buildModel(wide, [1, 16, 16]).graph) / small;
    expect(ratio).toBeGreaterThan(3);
    expect(ratio).toBeLessThan(4.5);
  });
});
