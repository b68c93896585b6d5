// Starting configs that succeed: what the Train form proposes for a kind of data (2-D points, tables, images), with the numbers that back them.
import type { TrainingConfigInput } from './config';

/*
 * Chosen by measurement (bench/defaults.ts trains these as the studio does; results in bench/results/*-defaults.md) on
 * a 2-core CPU, onnxruntime backend with 2 threads. Points: the Data section's default two moons (10,000 points, noise
 * 0.1); a figure beside a choice is the sliced W2 of 5,000 EMA samples (Heun, 20 steps) to fresh draws of the data over
 * the data's own floor (two fresh draws of 5,000), mean over 3 start-noise draws; 1.5 is the bar; a range spans
 * training seeds 0-2. The old form's values (MLP 128x128, lr 2e-3, EMA 0.999, 2,000 steps) gave 3.9: a blob. Images:
 * MNIST as "Add MNIST" saves it ([0, 1], labels); a figure is how often a classifier (97 % on held-out digits) reads a
 * sample as the digit asked for at guidance w; 90 % at w = 2 is the bar.
 */

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

/** The suggestion without the data it trains on (the form takes those from the Data section). */
export type SuggestedConfig = Omit<TrainingConfigInput, 'data' | 'source'>;

// U-Net channels per level, full resolution first; each a multiple of UNET_GROUPS.
const UNET_CHANNELS = [16, 32, 32] as const;
const UNET_GROUPS = 8;

/** Levels of UNET_CHANNELS an image of this height and width can take: each level below the first halves both sides exactly. */
function unetLevels(height: number, width: number): number {
  let levels = 1;
  while (levels < UNET_CHANNELS.length && height % 2 ** levels === 0 && width % 2 ** levels === 0) levels++;
  return levels;
}

function imageConfig(kind: DataKind, classes: number | null): SuggestedConfig {
  const [, height, width] = kind.shape;
  return {
    model: {
      family: 'unet',
      // three levels (28, 14, 7 px) beat two at the same cost; [32, 64, 64] ran 3x slower per image (bench/mnist.ts)
      channels: UNET_CHANNELS.slice(0, unetLevels(height, width)),
      // no attention, one residual block per level: the MNIST bench's network, over the bar as it is
      attentionLevels: [],
      resBlocks: 1,
      groups: UNET_GROUPS,
      timeEmbedding: { kind: 'sinusoidal', dim: 64 },
      classes,
      // label dropout 0.1 trains the unconditional model guidance needs: MNIST at w = 1 / 2 / 4 read 83 / 99 / 100 %
      labelDropout: classes ? 0.1 : 0,
    },
    // velocity on the linear path: ahead of log-normal t and of v on vp-cosine (bench/mnist.ts); pixels in [0, 1] as saved: 98.6 % at w = 2, as [-1, 1] did (98.5 %)
    objective: { parameterisation: 'velocity', schedule: { name: 'linear' } },
    coupling: 'independent',
    // lr 2e-3 with cosine decay: the MNIST bench's setting, already over the bar (not swept further)
    optimiser: { kind: 'adam', lr: 2e-3, warmupSteps: 100, decay: 'cosine', minLr: 1e-4, gradClip: 1 },
    // EMA 0.995: 98.6 % at w = 2 where 0.999 (8 % of the initial weights left at the end) gave 96.8 %
    emaDecay: 0.995,
    // 2,500 steps: 98.6 % at w = 2 (1,500: 94 %) in 336 s at a load of 3-5; 600 s at a load of 10
    steps: 2500,
    // batch 16: at a fixed time more steps beat bigger batches (32: 85 % at w = 2 where 16 gave 91-96 %, 3 minutes)
    batchSize: Math.min(16, kind.rows),
    seed: 0,
    checkpointEvery: 500,
    backend: 'auto',
  };
}

function pointsConfig(kind: DataKind, classes: number | null): SuggestedConfig {
  return {
    model: {
      family: 'mlp',
      // three layers: 0.96-1.05 at 4,000 steps where two (128, 128) gave 1.23-1.26 at lr 5e-3
      hidden: [128, 128, 128],
      // sinusoidal 32: Fourier features gave 3.2 where it gave 2.1 (two layers, lr 2e-3); dim 64 no better (1.05 vs 1.08)
      timeEmbedding: { kind: 'sinusoidal', dim: 32 },
      residual: false,
      activation: 'silu',
      classes,
      labelDropout: classes ? 0.1 : 0,
    },
    objective: { parameterisation: 'velocity', schedule: { name: 'linear' } },
    coupling: 'independent',
    // lr 5e-3: 1.17 at 4,000 steps where 2e-3 gave 2.03 (two layers, one draw); 1e-2 no better (1.04 vs 1.08, three layers)
    optimiser: { kind: 'adam', lr: 5e-3, warmupSteps: 100, decay: 'cosine', minLr: 0, gradClip: 1 },
    // EMA 0.995 (a 200-step horizon): 1.08 at 4,000 steps, 0.999 1.16, 0.99 1.14 (one draw each); 0.999 still holds 2 % of the initial weights at the end
    emaDecay: 0.995,
    // 4,000 steps: 0.96-1.05 (2,000: 1.08-1.25; 3,000: 1.01-1.12; 5,000: 1.00-1.04), seconds on two cores
    steps: 4000,
    // batch 256: 1,024 went from 2.1 to 1.6 at 4,000 steps (two layers, lr 2e-3) for about four times the time per step
    batchSize: Math.min(256, kind.rows),
    seed: 0,
    checkpointEvery: 1000,
    backend: 'auto',
  };
}

/**
 * The config (all but data and source) a newcomer's first run on this data starts from.
 * Points: an MLP with flow matching; images: a U-Net, class-conditional with label dropout where the set has classes.
 */
export function suggestedConfig(kind: DataKind): SuggestedConfig {
  const classes = kind.classes !== null && kind.classes >= 2 ? kind.classes : null;
  return isImageShape(kind.shape) ? imageConfig(kind, classes) : pointsConfig(kind, classes);
}
