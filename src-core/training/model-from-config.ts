// Builds a run's network graph from its config: the one place a model description becomes a graph, through its family.
import { StudioError } from '../errors';
import { ITEM_KINDS, type BuiltModel } from '../graph/families/family';
import { modelFamilies } from '../graph/families/registry';
import type { ModelConfig } from './config';

export type { BuiltModel } from '../graph/families/family';

/** The network for a model config and a data item shape of the kind its family takes ([d] for vectors, [C, H, W] for images). */
export function buildModel(model: ModelConfig, itemShape: readonly number[]): BuiltModel {
  const family = modelFamilies.get(model.family);
  const takes = ITEM_KINDS[family.takes];
  if (itemShape.length !== takes.rank) {
    throw new StudioError('invalid-shape', `the ${family.label} takes ${takes.shape}, got items of shape [${itemShape.join(', ')}]`);
  }
  const classes = model.classes !== null ? { classes: model.classes } : {};
  return family.build(model, itemShape, { timeEmbedding: model.timeEmbedding, ...classes });
}
