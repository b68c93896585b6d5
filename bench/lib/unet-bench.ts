// The U-Net benches' network and optimiser from their command-line flags: 1x28x28 images, channels, blocks, attention, classes.
import type { UnetOptions } from '../../src-core/graph/families/unet';
import type { OptimiserSettings } from '../../src-core/training/backend';

/** A flag's value (`--name value`), or the fallback. */
export function flagValue(args: readonly string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}

/** The benched U-Net: `--channels` (default 32,64), `--blocks` (1), `--attention` (levels, none), `--classes` (none). */
export function unetFromFlags(args: readonly string[]): UnetOptions {
  const attention = flagValue(args, 'attention', '');
  const classes = flagValue(args, 'classes', '');
  return {
    imageShape: [1, 28, 28],
    channels: flagValue(args, 'channels', '32,64').split(',').map(Number),
    resBlocksPerLevel: Number(flagValue(args, 'blocks', '1')),
    attentionLevels: attention === '' ? [] : attention.split(',').map(Number),
    groups: 8,
    timeEmbedding: { kind: 'sinusoidal', dim: 64, scale: 1000 },
    ...(classes === '' ? {} : { classes: Number(classes) }),
  };
}

/** Adam with clipping and an EMA, as the U-Net benches train. */
export const UNET_ADAM: OptimiserSettings = { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, gradClip: 1, emaDecay: 0.999 };
