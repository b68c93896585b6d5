// Catalog entries for store tests: the ideal models of the mixture sets listed (with the core's mixtures, as the studio gives them), runs and exports with the metadata given.
import type { DatasetInfo } from '../../src-core/api/contract';
import type { CatalogEntry, ExportedModel, ModelDataRef, ModelDetails, ModelMeta } from '../../src-core/api/methods/models';
import type { RunSummary } from '../../src-core/api/methods/training';
import { datasetMixture } from '../../src-core/data';

const BASE_META: ModelMeta = { parameterisation: 'velocity', schedule: { name: 'linear' }, dataShape: [2], normalisation: null, classes: null, runId: null, seed: null, studioVersion: null };

/** The ideal model of every listed set that has a mixture. */
export function oracleEntries(list: readonly DatasetInfo[]): CatalogEntry[] {
  return list.flatMap((d): CatalogEntry[] => {
    const m = d.hasMixture ? datasetMixture(d.id, {}) : null;
    if (!m) return [];
    const mixture = { weights: [...m.weights], means: m.means.map((r) => [...r]), covariances: m.covariances.map((S) => S.map((r) => [...r])) };
    return [{ kind: 'oracle', key: `oracle:${d.id}`, datasetId: d.id, datasetLabel: d.label, mixture, meta: { ...BASE_META, dataShape: [m.means[0].length] }, data: { kind: 'mixture' } }];
  });
}

/** A run's entry with the metadata given (2-D points, unconditional, unless said). */
export function runEntry(run: RunSummary, meta: Partial<ModelMeta> = {}, more: { details?: Partial<ModelDetails>; data?: ModelDataRef | null; problem?: string } = {}): CatalogEntry {
  if (more.problem) return { kind: 'run', key: `run:${run.id}`, run, meta: null, details: null, data: null, problem: more.problem };
  const details: ModelDetails = { family: 'mlp', timeEmbedding: { kind: 'raw' }, classNames: null, range: null, ...more.details };
  return { kind: 'run', key: `run:${run.id}`, run, meta: { ...BASE_META, runId: run.id, ...meta }, details, data: more.data ?? null, problem: null };
}

/** An export's entry, when the file is a sampleable network. */
export function exportEntries(run: RunSummary, exports: readonly ExportedModel[]): CatalogEntry[] {
  return exports.flatMap((e): CatalogEntry[] =>
    e.kind === 'model' && e.meta ? [{ kind: 'onnx', key: `onnx:${e.path}`, name: e.name, path: e.path, modifiedAt: e.modifiedAt, runId: run.id, runName: run.name, meta: e.meta, details: null, data: null }] : [],
  );
}

