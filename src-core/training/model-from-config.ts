// Builds a run's network graph from its config: the one place a model description becomes a graph.
import { StudioError } from '../errors';
import { buildMlp, type MlpModel } from '../graph/families/mlp';
import type { TimeEmbedding } from '../graph/families/time-embedding';
import type { ModelConfig } from './config';

/** The network for a model config and a data item shape (for the MLP, [d]). */
export function buildModel(model: ModelConfig, itemShape: readonly number[]): MlpModel {
  if (model.family !== 'mlp') {
    throw new StudioError('invalid-argument', `the '${model.family}' family cannot be built yet; use the MLP`);
  }
  if (itemShape.length !== 1) {
    throw new StudioError('invalid-shape', `the MLP takes vectors, got items of shape [${itemShape.join(', ')}]`);
  }
  const e = model.timeEmbedding;
  const timeEmbedding: TimeEmbedding =
    e.kind === 'raw' ? { kind: 'scalar' } : e.kind === 'sinusoidal' ? { kind: 'sinusoidal', dim: e.dim, scale: e.scale } : { kind: 'fourier', dim: e.dim, scale: e.scale };
  return buildMlp({
    dataDim: itemShape[0],
    hidden: model.hidden,
    timeEmbedding,
    residual: model.residual,
    activation: model.activation,
    ...(model.classes !== null ? { classes: model.classes } : {}),
  });
}
