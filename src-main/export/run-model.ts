// A run's network described once: the studio-format metadata its export carries, and what the catalog adds (family, time embedding, class names, value range).
import { dirname } from 'node:path';
import type { ModelDetails } from '../../src-core/api/methods/models';
import type { StudioModelMeta } from '../../src-core/onnx/studio-format';
import type { TrainingConfig } from '../../src-core/training/config';
import { buildModel, type BuiltModel } from '../../src-core/training/model-from-config';
import { readDatasetMeta } from '../datasets/dataset-folder';
import { STUDIO_VERSION } from '../version';
import { runDataInfo } from './run-data';

/** A run's network with its description. */
export interface RunModel {
  /** What an export of the run writes into the file (and a sampler reads back). */
  readonly meta: StudioModelMeta;
  readonly details: ModelDetails;
  readonly model: BuiltModel;
}

/** The value range of a saved set's statistics, or null where they do not give one. */
function rangeOf(stats: { min: readonly number[]; max: readonly number[] } | undefined): [number, number] | null {
  if (!stats || stats.min.length === 0) return null;
  const lo = Math.min(...stats.min);
  const hi = Math.max(...stats.max);
  return Number.isFinite(lo) && Number.isFinite(hi) && hi > lo ? [lo, hi] : null;
}

/**
 * Builds the run's network from its config and its data's shape, and describes it: the one place both the export's
 * metadata and the catalog's come from. guidance is the default guidance weight written for a conditional model.
 */
export async function describeRunModel(run: { readonly id: string; readonly config: TrainingConfig }, runDir: string, options: { guidance?: number; workspace?: string } = {}): Promise<RunModel> {
  const { config } = run;
  const { itemShape, normalisation } = await runDataInfo(config.data, runDir, options.workspace);
  const model = buildModel(config.model, itemShape);
  const classes = config.model.classes;
  const meta: StudioModelMeta = {
    parameterisation: config.objective.parameterisation,
    schedule: config.objective.schedule,
    dataShape: itemShape,
    normalisation,
    classes: classes !== null && model.nullClass !== undefined ? { count: classes, nullClass: model.nullClass, guidance: options.guidance ?? 1 } : null,
    runId: run.id,
    seed: config.seed,
    studioVersion: STUDIO_VERSION,
  };
  // <workspace>/runs/<id>/ -> <workspace>
  const saved = config.data.source === 'workspace' ? await readDatasetMeta(dirname(dirname(runDir)), config.data.id) : null;
  const names = saved?.classes && saved.classes.length === classes ? [...saved.classes] : null;
  const details: ModelDetails = {
    family: config.model.family,
    timeEmbedding: { ...config.model.timeEmbedding },
    classNames: names,
    range: rangeOf(saved?.normalisation),
  };
  return { meta, details, model };
}
