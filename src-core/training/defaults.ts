// Starting configs that succeed: what the Train form proposes for a kind of data (2-D points, tables, images), with the numbers that back them.
import { itemKindOf, type ItemKind } from '../graph/families/family';
import { familyFor } from '../graph/families/registry';
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
  return itemKindOf(shape) === 'images';
}

/** The suggestion without the data it trains on (the form takes those from the Data section). */
type SuggestedConfig = Omit<TrainingConfigInput, 'data' | 'source'>;

/** Everything but the model a first run on this kind of item trains with: the settings measured with its suggested family. */
const TRAINING: Record<ItemKind, (kind: DataKind) => Omit<SuggestedConfig, 'model'>> = {
  vectors: (kind) => ({
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
  }),
  images: (kind) => ({
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
  }),
};

/**
 * The config (all but data and source) a newcomer's first run on this data starts from: the network of the family suggested
 * for its kind of item (the MLP for points and tables, the U-Net for images), class-conditional with label dropout where the
 * set has classes, and the training settings measured with it.
 */
export function suggestedConfig(kind: DataKind): SuggestedConfig {
  const classes = kind.classes !== null && kind.classes >= 2 ? kind.classes : null;
  const item = itemKindOf(kind.shape);
  const model = familyFor(item).suggest(kind.shape);
  return {
    // label dropout 0.1 trains the unconditional model guidance needs: MNIST at w = 1 / 2 / 4 read 83 / 99 / 100 %
    model: { ...model, classes, labelDropout: classes ? 0.1 : 0 } as SuggestedConfig['model'],
    ...TRAINING[item](kind),
  };
}
