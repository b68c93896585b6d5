// Builds a run's network graph from its config: the one place a model description becomes a graph.
import { StudioError } from '../errors';
import { buildMlp, type MlpModel } from '../graph/families/mlp';
import type { TimeEmbedding } from '../graph/families/time-embedding';
import { buildUnet, type UnetModel } from '../graph/families/unet';
import type { ModelConfig } from './config';

/** A network built from a config: the MLP or the U-Net (graph, flat layout, null label when class-conditioned). */
export type BuiltModel = MlpModel | UnetModel;

function timeEmbeddingOf(e: ModelConfig['timeEmbedding']): TimeEmbedding {
  return e.kind === 'raw' ? { kind: 'scalar' } : e.kind === 'sinusoidal' ? { kind: 'sinusoidal', dim: e.dim, scale: e.scale } : { kind: 'fourier', dim: e.dim, scale: e.scale };
}

/** The network for a model config and a data item shape ([d] for the MLP, [C, H, W] for the U-Net). */
export function buildModel(model: ModelConfig, itemShape: readonly number[]): BuiltModel {
  const classes = model.classes !== null ? { classes: model.classes } : {};
  if (model.family === 'unet') {
    if (itemShape.length !== 3) {
      throw new StudioError('invalid-shape', `the U-Net takes images [C, H, W], got items of shape [${itemShape.join(', ')}]`);
    }
    return buildUnet({
      imageShape: [itemShape[0], itemShape[1], itemShape[2]],
      channels: model.channels,
      resBlocksPerLevel: model.resBlocks,
      attentionLevels: model.attentionLevels,
      groups: model.groups,
      timeEmbedding: timeEmbeddingOf(model.timeEmbedding),
      ...classes,
    });
  }
  if (itemShape.length !== 1) {
    throw new StudioError('invalid-shape', `the MLP takes vectors, got items of shape [${itemShape.join(', ')}]`);
  }
  return buildMlp({
    dataDim: itemShape[0],
    hidden: model.hidden,
    timeEmbedding: timeEmbeddingOf(model.timeEmbedding),
    residual: model.residual,
    activation: model.activation,
    ...classes,
  });
}
