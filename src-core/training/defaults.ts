// Starting configs that succeed: what the Train form proposes for a kind of data (2-D points, tables, images), with the numbers that back them.
import type { TrainingConfigInput } from './config';

/** What is known of a data set before training: the shape of one row, the rows, and its classes (null if unlabelled). */
export interface DataKind {
  /** One row's shape: [d] for points and tables, [channels, height, width] for images. */
  readonly shape: readonly number[];
  readonly rows: number;
  readonly classes: number | null;
}

/** True when one row is an image ([channels, height, width]). */
export function isImageShape(shape: readonly number[]): boolean {
  return shape.length === 3;
}

/**
 * The config (all but data and source) a newcomer's first run on this data starts from.
 * Points: an MLP with flow matching; images: a class-conditional U-Net where the set has classes.
 */
export function suggestedConfig(kind: DataKind): Omit<TrainingConfigInput, 'data' | 'source'> {
  const classes = kind.classes !== null && kind.classes >= 2 ? kind.classes : null;
  if (isImageShape(kind.shape)) {
    return {
      model: { family: 'unet', channels: [16, 32, 32], attentionLevels: [], resBlocks: 1, groups: 8, timeEmbedding: { kind: 'sinusoidal', dim: 64 }, classes, labelDropout: classes ? 0.1 : 0 },
      objective: { parameterisation: 'velocity', schedule: { name: 'linear' } },
      coupling: 'independent',
      optimiser: { kind: 'adam', lr: 2e-3, warmupSteps: 100, decay: 'cosine', minLr: 1e-4, gradClip: 1 },
      emaDecay: 0.995,
      steps: 2000,
      batchSize: 16,
      seed: 0,
      checkpointEvery: 500,
      backend: 'auto',
    };
  }
  return {
    model: { family: 'mlp', hidden: [128, 128], timeEmbedding: { kind: 'sinusoidal', dim: 32 }, residual: false, activation: 'silu', classes, labelDropout: classes ? 0.1 : 0 },
    objective: { parameterisation: 'velocity', schedule: { name: 'linear' } },
    coupling: 'independent',
    optimiser: { kind: 'adam', lr: 2e-3, warmupSteps: 100, decay: 'cosine', minLr: 0, gradClip: 1 },
    emaDecay: 0.999,
    steps: 2000,
    batchSize: Math.min(256, kind.rows),
    seed: 0,
    checkpointEvery: 500,
    backend: 'auto',
  };
}
