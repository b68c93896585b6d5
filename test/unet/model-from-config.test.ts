// A run config's 'unet' model becomes the U-Net graph over its data's [C, H, W] items.
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../src-core/errors';
import { parseTrainingConfig } from '../../src-core/training/config';
import { buildModel } from '../../src-core/training/model-from-config';

const IMAGES = { source: 'workspace', id: 'digits' };

describe('buildModel for the U-Net', () => {
  it('builds the configured levels, blocks, attention and labels', () => {
    const c = parseTrainingConfig({ data: IMAGES, model: { family: 'unet', channels: [8, 16, 16], attentionLevels: [2], resBlocks: 1, groups: 4, classes: 10, labelDropout: 0.1 } });
    const m = buildModel(c.model, [1, 28, 28]);
    expect(m.graph.inputs.map((i) => [i.name, i.shape])).toEqual([['x', ['N', 1, 28, 28]], ['t', ['N']], ['y', ['N']]]);
    expect(m.graph.outputs[0].shape).toEqual(['N', 1, 28, 28]);
    expect(m.nullClass).toBe(10);
    const names = m.layout.entries.map((e) => e.name);
    expect(names).toContain('down2.attn0.q.weight');
    expect(names).toContain('mid.attn.proj.weight');
    expect(names.filter((n) => /^down0\.res\d\.conv1\.weight$/.test(n))).toHaveLength(1);
    // sinusoidal time features of the config's default width (64) feed the time MLP
    expect(m.layout.entries.find((e) => e.name === 'time.dense0.weight')?.shape).toEqual([64, 32]);
  });
  it('refuses items that are not images, and sizes the levels cannot halve', () => {
    const c = parseTrainingConfig({ data: IMAGES, model: { family: 'unet', channels: [8, 16, 16, 16], groups: 4 } });
    expect(() => buildModel(c.model, [784])).toThrow(StudioError);
    expect(() => buildModel(c.model, [1, 28, 28])).toThrow(/divisible by 8/);
    expect(buildModel(c.model, [3, 32, 32]).graph.outputs[0].shape).toEqual(['N', 3, 32, 32]);
  });
});
