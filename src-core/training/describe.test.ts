// describeConfig tells runs apart by data, model and objective.
import { describe, expect, it } from 'vitest';
import { parseTrainingConfig } from './config';
import { describeConfig } from './describe';

describe('describeConfig', () => {
  it('names a built-in set with its size, the MLP widths and the objective', () => {
    const d = describeConfig(parseTrainingConfig({ data: { source: 'builtin', id: 'two-moons', params: { count: 5000 } }, model: { family: 'mlp', hidden: [64, 64] } }));
    expect(d).toEqual({ data: 'Two moons, 5,000 points', model: 'MLP 64×64', objective: 'velocity · linear' });
  });

  it('shows classes, the coupling and a data-to-data source', () => {
    const d = describeConfig(
      parseTrainingConfig({
        data: { source: 'workspace', id: 'target' },
        source: { source: 'workspace', id: 'start' },
        model: { family: 'mlp', hidden: [32], classes: 3 },
        coupling: { ot: 'exact' },
      }),
    );
    expect(d).toEqual({ data: 'saved set start → saved set target', model: 'MLP 32, 3 classes', objective: 'velocity · linear · exact OT' });
    const c = parseTrainingConfig({ data: { source: 'workspace', id: 'target' }, source: { source: 'workspace', id: 'start' }, model: { family: 'mlp', hidden: [32] } });
    expect(describeConfig(c, { data: 'moons', source: null }).data).toBe('saved set start → saved set “moons”');
  });

  it('describes a U-Net and a VP schedule', () => {
    const c = parseTrainingConfig({ data: { source: 'workspace', id: 'mnist' }, model: { family: 'unet', channels: [16, 32], attentionLevels: [1], classes: 10 }, objective: { parameterisation: 'eps', schedule: { name: 'vp-cosine' } } });
    expect(describeConfig(c)).toEqual({ data: 'saved set mnist', model: 'U-Net 16·32 + attention, 10 classes', objective: 'eps · vp-cosine' });
  });
});
