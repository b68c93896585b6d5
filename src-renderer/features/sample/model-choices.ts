// The models a person can sample from: the ideal model of each Gaussian-mixture data set, each training run's live weights, and ONNX files exported from runs.
import type { DatasetInfo, Result, SavedDataset } from '../../../src-core/api/contract';
import type { ExportedModel } from '../../../src-core/api/methods/models';
import type { RunSummary } from '../../../src-core/api/methods/training';
import type { StudioApi } from '../../../src-core/api/studio-api';
import { datasetMixture } from '../../../src-core/data';
import type { GaussianMixture } from '../../../src-core/oracle';
import type { TrainingConfig } from '../../../src-core/training/config';
import { runChoice, type RunChoice } from './run-choice';

/** The metadata an exported studio model carries. */
export type ModelMeta = NonNullable<ExportedModel['meta']>;

/** One entry of the model picker. */
export type ModelChoice =
  | { readonly kind: 'oracle'; readonly key: string; readonly label: string; readonly datasetId: string; readonly mixture: GaussianMixture }
  | { readonly kind: 'onnx'; readonly key: string; readonly label: string; readonly path: string; readonly runId: string; readonly meta: ModelMeta }
  | RunChoice;

type ListedRun = Result<'training.list'>['runs'][number];

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

/**
 * The list with the ideal model of the editable mixture set made the mixture drawn in the Data section (the same
 * object, so an edit there is what the next sample uses); the built-in default stands only until the editor has one.
 */
export function withDrawnMixture(list: readonly ModelChoice[], setId: string, drawn: GaussianMixture | null): ModelChoice[] {
  if (!drawn) return [...list];
  return list.map((c) => (c.kind === 'oracle' && c.datasetId === setId ? { ...c, label: `${c.label} (as drawn in Data)`, mixture: drawn } : c));
}

/** The sampleable networks among a run's exports (sampler graphs and unreadable files are left out), newest first. */
export function onnxChoices(run: Pick<ListedRun, 'id' | 'name'>, exports: readonly ExportedModel[]): ModelChoice[] {
  return [...exports]
    .filter((e): e is ExportedModel & { meta: ModelMeta } => e.kind === 'model' && e.meta !== null)
    .sort((a, b) => b.modifiedAt.localeCompare(a.modifiedAt))
    .map((e) => ({ kind: 'onnx', key: `onnx:${e.path}`, label: `${run.name}: ${e.name}`, path: e.path, runId: run.id, meta: e.meta }));
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * The model list, kept current: ideal models, then per run (oldest first) its live weights and its exports.
 * refresh() reads everything again; update() takes one run's new summary (a training.status event), so a run
 * that starts, checkpoints or ends shows at once. A run's config never changes, so each is read once.
 */
export class ModelCatalog {
  private oracles: ModelChoice[] = [];
  private readonly runs = new Map<string, RunSummary>();
  private readonly configs = new Map<string, TrainingConfig>();
  private readonly configErrors = new Map<string, string>();
  private exports = new Map<string, ModelChoice[]>();
  private saved: readonly SavedDataset[] = [];

  constructor(private readonly api: StudioApi) {}

  /** Reads data sets, runs, configs and exports again; a run whose exports cannot be listed shows without them. */
  async refresh(): Promise<ModelChoice[]> {
    const [list, runs, saved] = await Promise.all([
      this.api.call('datasets.list', {}),
      this.api.call('training.list', {}),
      this.api.call('datasets.saved', {}).catch(() => this.saved),
    ]);
    this.oracles = oracleChoices(list);
    this.saved = saved;
    // merged, not replaced: a run that started while the list was read came in as an event and stays
    for (const run of runs.runs) this.runs.set(run.id, newer(this.runs.get(run.id), run));
    const exports = new Map<string, ModelChoice[]>();
    await Promise.all(
      runs.runs.map(async (run) => {
        await this.loadConfig(run.id);
        try {
          exports.set(run.id, onnxChoices(run, (await this.api.call('models.list', { runId: run.id })).exports));
        } catch {
          exports.set(run.id, []);
        }
      }),
    );
    this.exports = exports;
    return this.choices();
  }

  /** Takes a run's newer summary (an event); a summary older than the one known is ignored. */
  async update(run: RunSummary): Promise<ModelChoice[]> {
    this.runs.set(run.id, newer(this.runs.get(run.id), run));
    await this.loadConfig(run.id);
    return this.choices();
  }

  /** The list as known now. */
  choices(): ModelChoice[] {
    const runs = [...this.runs.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    const out = [...this.oracles];
    for (const run of runs) out.push(runChoice(run, this.configs.get(run.id) ?? null, this.saved, this.configErrors.get(run.id) ?? null), ...(this.exports.get(run.id) ?? []));
    return out;
  }

  private async loadConfig(runId: string): Promise<void> {
    if (this.configs.has(runId)) return;
    try {
      const { config } = await this.api.call('training.get', { runId });
      this.configs.set(runId, config);
      this.configErrors.delete(runId);
      // a run on a set saved since the last look needs the set's shape
      if (config.data.source === 'workspace' && !this.saved.some((s) => s.id === config.data.id)) {
        this.saved = await this.api.call('datasets.saved', {}).catch(() => this.saved);
      }
    } catch (err) {
      // not kept: the next look tries again
      this.configErrors.set(runId, `its config could not be read: ${messageOf(err)}`);
    }
  }
}

/** The later of two summaries of one run (by their run.json time; on a tie the one that came last). */
function newer(known: RunSummary | undefined, next: RunSummary): RunSummary {
  return known && known.updatedAt > next.updatedAt ? known : next;
}

/** Reads every choice the studio offers now. */
export function loadModelChoices(api: StudioApi): Promise<ModelChoice[]> {
  return new ModelCatalog(api).refresh();
}

/** True if the choice can be sampled now. */
export function isAvailable(choice: ModelChoice): boolean {
  return choice.kind !== 'run' || choice.unavailable === null;
}

/** Number of classes of a conditional model, or 0. */
export function classCount(choice: ModelChoice | null): number {
  if (!choice || choice.kind === 'oracle') return 0;
  return choice.meta?.classes?.count ?? 0;
}

/** What the class picker shows for each label: the data set's name where it differs from the label, else the label. */
export function classOptions(choice: ModelChoice | null): { readonly label: number; readonly text: string }[] {
  const count = classCount(choice);
  const names = choice?.kind === 'run' ? choice.meta?.classes?.names : undefined;
  return Array.from({ length: count }, (_, k) => ({ label: k, text: names && names[k] !== String(k) ? `${k}: ${names[k]}` : String(k) }));
}

/** The model's own guidance weight for a conditional model, else null. */
export function defaultGuidance(choice: ModelChoice): number | null {
  if (choice.kind === 'oracle') return null;
  return choice.meta?.classes?.guidance ?? null;
}

/** Shape of one sample the model takes. */
export function itemShape(choice: ModelChoice): readonly number[] {
  if (choice.kind === 'oracle') return [choice.mixture.means[0].length];
  if (!choice.meta) throw new Error(`${choice.label}: ${choice.kind === 'run' ? choice.unavailable : 'no metadata'}`);
  return choice.meta.dataShape;
}

/** Numbers per sample the model takes. */
export function itemSize(choice: ModelChoice): number {
  return itemShape(choice).reduce((a, b) => a * b, 1);
}

/** [C, H, W] when one sample is an image (1 to 4 channels, at least 2x2 pixels), else null. */
export function imageShapeOf(shape: readonly number[]): readonly [number, number, number] | null {
  if (shape.length !== 3) return null;
  const [c, h, w] = shape;
  return c >= 1 && c <= 4 && h >= 2 && w >= 2 ? [c, h, w] : null;
}

/** Value range images of this model are drawn over (clamped): the data set's where the studio knows it, else pixel values [0, 1]. */
export function displayRange(choice: ModelChoice): readonly [number, number] {
  return (choice.kind === 'run' && choice.meta?.range) || [0, 1];
}
