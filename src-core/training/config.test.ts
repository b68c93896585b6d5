// The training config: defaults, JSON round trip, cross-field rules and unknown keys.
import { describe, expect, it } from 'vitest';
import { StudioError } from '../errors';
import { defaultTrainingConfig, parseTrainingConfig, type TrainingConfigInput } from './config';

/** The message parseTrainingConfig throws for an input (fails the test if it accepts it). */
function rejection(input: unknown): string {
  try {
    parseTrainingConfig(input);
  } catch (err) {
    expect(err).toBeInstanceOf(StudioError);
    expect((err as StudioError).code).toBe('invalid-argument');
    return (err as StudioError).message;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

describe('training config', () => {
  it('defaults to CFM on eight gaussians with the reference MLP', () => {
    const c = defaultTrainingConfig();
    expect(c.schemaVersion).toBe(1);
    expect(c.data).toEqual({ source: 'builtin', id: 'eight-gaussians', params: expect.objectContaining({ count: 1000, seed: 0 }), normalise: 'none' });
    expect(c.model).toMatchObject({ family: 'mlp', hidden: [256, 256, 256], timeEmbedding: { kind: 'raw' }, classes: null });
    expect(c.objective).toMatchObject({ parameterisation: 'velocity', schedule: { name: 'linear', sigmaMin: 0 }, tMin: 0, timeSampling: 'uniform' });
    expect(c.coupling).toBe('independent');
    expect(c.source).toBeNull();
    expect(c.backend).toBe('auto');
  });

  it('survives a JSON round trip unchanged', () => {
    const inputs: TrainingConfigInput[] = [
      {},
      {
        data: { source: 'builtin', id: 'two-moons', params: { count: 5000, noise: 0.05 } },
        model: { family: 'mlp', hidden: [128, 128], residual: true, timeEmbedding: { kind: 'fourier', dim: 32 }, classes: 2, labelDropout: 0.1 },
        objective: { parameterisation: 'eps', schedule: { name: 'vp-cosine' }, timeSampling: { logNormal: { mean: 0, std: 1 } }, weighting: 'min-snr-5' },
        coupling: { sinkhorn: 0.05 },
        optimiser: { kind: 'adamw', weightDecay: 0.01, warmupSteps: 100, decay: 'cosine', minLr: 1e-5, gradClip: null },
      },
      { data: { source: 'workspace', id: 'mnist-01' }, model: { family: 'unet', classes: 10, labelDropout: 0.1, attentionLevels: [1] } },
      { source: { source: 'builtin', id: 'circles' }, coupling: { schrodinger: 0.2 } },
    ];
    for (const input of inputs) {
      const c = parseTrainingConfig(input);
      expect(parseTrainingConfig(JSON.parse(JSON.stringify(c)))).toEqual(c);
    }
  });

  it('takes tMin from the schedule when left out and keeps an explicit one', () => {
    expect(parseTrainingConfig({ objective: { schedule: { name: 'vp-linear' } } }).objective.tMin).toBe(1e-3);
    expect(parseTrainingConfig({ objective: { schedule: { name: 'vp-linear' }, tMin: 0.01 } }).objective.tMin).toBe(0.01);
  });

  it('allows velocity prediction on a VE schedule', () => {
    expect(parseTrainingConfig({ objective: { schedule: { name: 've' }, parameterisation: 'velocity' } }).objective.schedule.name).toBe('ve');
  });

  it('rejects unknown keys at any depth', () => {
    expect(rejection({ stepz: 10 })).toMatch(/\(input\): .*stepz/);
    expect(rejection({ optimiser: { learningRate: 1 } })).toMatch(/optimiser: .*learningRate/);
    expect(rejection({ objective: { schedule: { name: 'linear', beta: 1 } } })).toMatch(/objective\.schedule: .*beta/);
  });

  it('names the field of a bad value', () => {
    expect(rejection({ steps: 0 })).toMatch(/steps: /);
    expect(rejection({ coupling: 'ot' })).toMatch(/coupling: expected 'independent'/);
    expect(rejection({ objective: { timeSampling: { logNormal: { mean: 0, std: -1 } } } })).toMatch(/objective\.timeSampling/);
    expect(rejection({ data: { source: 'builtin', id: 'nope' } })).toMatch(/data\.id: unknown built-in data set 'nope'/);
    expect(rejection({ data: { source: 'builtin', id: 'two-moons', params: { count: -1 } } })).toMatch(/data\.params: .*count/);
    expect(rejection({ data: { source: 'workspace', id: '../etc' } })).toMatch(/data\.id: must be a data-set folder name/);
    expect(rejection({ schemaVersion: 2 })).toMatch(/schemaVersion/);
  });

  describe('cross-field rules', () => {
    it('the Schrödinger bridge needs the linear schedule and a velocity', () => {
      const m = rejection({ coupling: { schrodinger: 0.1 }, objective: { schedule: { name: 'vp-linear' }, parameterisation: 'eps' } });
      expect(m).toMatch(/objective\.schedule\.name: the Schrödinger-bridge coupling needs the 'linear' schedule/);
      expect(m).toMatch(/objective\.parameterisation: the Schrödinger-bridge coupling trains a velocity/);
    });

    it('data-to-data needs the plain linear schedule and a velocity', () => {
      expect(rejection({ source: { source: 'builtin', id: 'circles' }, objective: { schedule: { name: 'linear', sigmaMin: 0.1 } } })).toMatch(/objective\.schedule: data-to-data/);
      expect(rejection({ source: { source: 'builtin', id: 'circles' }, objective: { parameterisation: 'x0' } })).toMatch(/objective\.parameterisation: data-to-data/);
    });

    it('label dropout needs classes', () => {
      expect(rejection({ model: { family: 'mlp', labelDropout: 0.1 } })).toMatch(/model\.classes: labelDropout 0\.1 needs a number of classes/);
    });

    it('warm-up may not exceed the steps, minLr may not exceed lr', () => {
      expect(rejection({ steps: 100, optimiser: { warmupSteps: 101 } })).toMatch(/optimiser\.warmupSteps: warm-up \(101\) must not exceed steps \(100\)/);
      expect(rejection({ optimiser: { lr: 1e-4, minLr: 1e-3 } })).toMatch(/optimiser\.minLr/);
    });

    it('the U-Net needs image data and consistent levels', () => {
      expect(rejection({ model: { family: 'unet' } })).toMatch(/model\.family: the U-Net takes images/);
      const unet = { family: 'unet' as const, channels: [32, 48], groups: 32, attentionLevels: [2] };
      const m = rejection({ data: { source: 'workspace', id: 'mnist' }, model: unet });
      expect(m).toMatch(/model\.channels\.1: 48 channels do not split into 32 groups/);
      expect(m).toMatch(/model\.attentionLevels\.0: level 2 does not exist/);
      expect(rejection({ data: { source: 'workspace', id: 'mnist' }, model: { family: 'unet', timeEmbedding: { kind: 'raw' } } })).toMatch(/model\.timeEmbedding\.kind: the U-Net adds the time/);
      expect(rejection({ data: { source: 'workspace', id: 'mnist' }, model: { family: 'unet', timeEmbedding: { kind: 'raw' } } })).toMatch(/model\.timeEmbedding\.kind/);
    });

    it('MLP residual blocks need equal widths; embeddings need an even dim', () => {
      expect(rejection({ model: { family: 'mlp', hidden: [64, 128], residual: true } })).toMatch(/model\.hidden: residual blocks need equal/);
      expect(rejection({ model: { family: 'mlp', timeEmbedding: { kind: 'sinusoidal', dim: 7 } } })).toMatch(/model\.timeEmbedding\.dim: must be even/);
    });

    it('refuses targets or weights that are infinite at tMin', () => {
      expect(rejection({ objective: { parameterisation: 'score' } })).toMatch(/objective\.tMin: the score target/);
      expect(rejection({ objective: { schedule: { name: 'vp-linear' }, weighting: 'snr', tMin: 0 } })).toMatch(/objective\.weighting: the 'snr' weight/);
      expect(parseTrainingConfig({ objective: { parameterisation: 'score', tMin: 1e-3 } }).objective.tMin).toBe(1e-3);
    });

    it('exact OT refuses huge batches', () => {
      expect(rejection({ coupling: { ot: 'exact' }, batchSize: 8192 })).toMatch(/coupling: exact OT/);
    });
  });
});
