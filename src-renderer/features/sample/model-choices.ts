// The models a person can sample from: the ideal model of each Gaussian-mixture data set, and ONNX files exported from runs.
import type { DatasetInfo, Result } from '../../../src-core/api/contract';
import type { ExportedModel } from '../../../src-core/api/methods/models';
import type { StudioApi } from '../../../src-core/api/studio-api';
import { datasetMixture } from '../../../src-core/data';
import type { GaussianMixture } from '../../../src-core/oracle';

/** The metadata an exported studio model carries. */
export type ModelMeta = NonNullable<ExportedModel['meta']>;

/** One entry of the model picker. */
export type ModelChoice =
  | { readonly kind: 'oracle'; readonly key: string; readonly label: string; readonly datasetId: string; readonly mixture: GaussianMixture }
  | { readonly kind: 'onnx'; readonly key: string; readonly label: string; readonly path: string; readonly runId: string; readonly meta: ModelMeta };

type RunSummary = Result<'training.list'>['runs'][number];

/** The ideal model of every built-in set that is exactly a Gaussian mixture (at the set's default parameters). */
export function oracleChoices(list: readonly DatasetInfo[]): ModelChoice[] {
  const out: ModelChoice[] = [];
  for (const d of list) {
    if (!d.hasMixture) continue;
    const mixture = datasetMixture(d.id, {});
    if (mixture) out.push({ kind: 'oracle', key: `oracle:${d.id}`, label: `Ideal model: ${d.label}`, datasetId: d.id, mixture });
  }
  return out;
}

/** The sampleable networks among a run's exports (sampler graphs and unreadable files are left out), newest first. */
export function onnxChoices(run: Pick<RunSummary, 'id' | 'name'>, exports: readonly ExportedModel[]): ModelChoice[] {
  return [...exports]
    .filter((e): e is ExportedModel & { meta: ModelMeta } => e.kind === 'model' && e.meta !== null)
    .sort((a, b) => b.modifiedAt.localeCompare(a.modifiedAt))
    .map((e) => ({ kind: 'onnx', key: `onnx:${e.path}`, label: `${run.name}: ${e.name}`, path: e.path, runId: run.id, meta: e.meta }));
}

/** Every choice the studio offers now: ideal models first, then each run's exports; a run that cannot be listed is skipped. */
export async function loadModelChoices(api: StudioApi): Promise<ModelChoice[]> {
  const [list, runs] = await Promise.all([api.call('datasets.list', {}), api.call('training.list', {})]);
  const perRun = await Promise.all(
    runs.runs.map(async (run) => {
      try {
        return onnxChoices(run, (await api.call('models.list', { runId: run.id })).exports);
      } catch {
        return [];
      }
    }),
  );
  return [...oracleChoices(list), ...perRun.flat()];
}

/** Number of classes of a conditional model, or 0. */
export function classCount(choice: ModelChoice | null): number {
  return choice?.kind === 'onnx' ? (choice.meta.classes?.count ?? 0) : 0;
}

/** Numbers per sample the model takes. */
export function itemSize(choice: ModelChoice): number {
  if (choice.kind === 'oracle') return choice.mixture.means[0].length;
  return choice.meta.dataShape.reduce((a, b) => a * b, 1);
}
