// The models a person can sample from, as the studio's catalog lists them: ideal models, each run's live weights and its exports.
import type { CatalogEntry, ModelDataRef, ModelDetails, ModelMeta } from '../../../src-core/api/methods/models';
import type { RunSummary } from '../../../src-core/api/methods/training';
import type { StudioApi } from '../../../src-core/api/studio-api';
import type { GaussianMixture } from '../../../src-core/oracle';
import { runChoice, type RunChoice, type RunEntry } from './run-choice';

type OracleEntry = Extract<CatalogEntry, { kind: 'oracle' }>;
type OnnxEntry = Extract<CatalogEntry, { kind: 'onnx' }>;

/** One entry of the model picker. */
export type ModelChoice =
  | { readonly kind: 'oracle'; readonly key: string; readonly label: string; readonly datasetId: string; readonly mixture: GaussianMixture; readonly meta: ModelMeta; readonly data: ModelDataRef }
  | {
      readonly kind: 'onnx'; readonly key: string; readonly label: string; readonly path: string; readonly runId: string;
      readonly meta: ModelMeta; readonly details: ModelDetails | null; readonly data: ModelDataRef | null;
    }
  | RunChoice;

/** The picker entry of an ideal model. */
function oracleChoice(e: OracleEntry): ModelChoice {
  return { kind: 'oracle', key: e.key, label: `Ideal model: ${e.datasetLabel}`, datasetId: e.datasetId, mixture: e.mixture, meta: e.meta, data: e.data };
}

/** The picker entry of an exported file, named after its run (by the run's newest name where known). */
function onnxChoice(e: OnnxEntry, runName = e.runName): ModelChoice {
  return { kind: 'onnx', key: e.key, label: `${runName}: ${e.name}`, path: e.path, runId: e.runId, meta: e.meta, details: e.details, data: e.data };
}

/** The picker entries of a catalog as it came (ideal models, runs and exports in the catalog's order). */
export function catalogChoices(entries: readonly CatalogEntry[]): ModelChoice[] {
  return entries.map((e) => (e.kind === 'oracle' ? oracleChoice(e) : e.kind === 'onnx' ? onnxChoice(e) : runChoice(e)));
}

/**
 * The list with the ideal model of the editable mixture set made the mixture drawn in the Data section (the same
 * object, so an edit there is what the next sample uses); the built-in default stands only until the editor has one.
 */
export function withDrawnMixture(list: readonly ModelChoice[], setId: string, drawn: GaussianMixture | null): ModelChoice[] {
  if (!drawn) return [...list];
  return list.map((c) => (c.kind === 'oracle' && c.datasetId === setId ? { ...c, label: `${c.label} (as drawn in Data)`, mixture: drawn } : c));
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * The model list, kept current from the catalog: refresh() reads it whole (one call); update() takes one run's newer
 * summary (a training.status event), so a run that starts, checkpoints or ends shows at once, and asks the catalog
 * for a run it has not described yet (a new run, or one it could not describe before).
 */
export class ModelCatalog {
  private oracles: ModelChoice[] = [];
  private readonly runs = new Map<string, RunEntry>();
  private exports = new Map<string, OnnxEntry[]>();

  constructor(private readonly api: StudioApi) {}

  /** Reads the whole catalog again. */
  async refresh(): Promise<ModelChoice[]> {
    const { models } = await this.api.call('models.catalog', {});
    const exports = new Map<string, OnnxEntry[]>();
    const oracles: ModelChoice[] = [];
    for (const e of models) {
      if (e.kind === 'oracle') oracles.push(oracleChoice(e));
      else if (e.kind === 'onnx') exports.set(e.runId, [...(exports.get(e.runId) ?? []), e]);
      else this.take(e);
    }
    this.oracles = oracles;
    this.exports = exports;
    return this.choices();
  }

  /** Takes a run's newer summary (an event); a summary older than the one known is ignored. */
  async update(run: RunSummary): Promise<ModelChoice[]> {
    const known = this.runs.get(run.id);
    if (known && known.meta) {
      this.runs.set(run.id, { ...known, run: newer(known.run, run) });
      return this.choices();
    }
    try {
      const { models } = await this.api.call('models.catalog', { runId: run.id });
      for (const e of models) if (e.kind === 'run') this.take(e);
      this.exports.set(run.id, models.filter((e): e is OnnxEntry => e.kind === 'onnx'));
    } catch (err) {
      // not described: shown disabled with why, and asked for again at the next event
      if (!known) this.runs.set(run.id, { kind: 'run', key: `run:${run.id}`, run, meta: null, details: null, data: null, problem: `it could not be described: ${messageOf(err)}` });
    }
    const now = this.runs.get(run.id);
    if (now) this.runs.set(run.id, { ...now, run: newer(now.run, run) });
    return this.choices();
  }

  /** Drops a deleted run with its exports. */
  remove(runId: string): ModelChoice[] {
    this.runs.delete(runId);
    this.exports.delete(runId);
    return this.choices();
  }

  /** The list as known now: ideal models, then per run (oldest first) its live weights and its exports. */
  choices(): ModelChoice[] {
    const runs = [...this.runs.values()].sort((a, b) => a.run.createdAt.localeCompare(b.run.createdAt) || a.run.id.localeCompare(b.run.id));
    const out = [...this.oracles];
    for (const r of runs) out.push(runChoice(r), ...(this.exports.get(r.run.id) ?? []).map((e) => onnxChoice(e, r.run.name)));
    return out;
  }

  /** Takes a run's entry; merged, not replaced: a summary that came in as an event meanwhile and is newer stays. */
  private take(e: RunEntry): void {
    const known = this.runs.get(e.run.id);
    this.runs.set(e.run.id, { ...e, run: newer(known?.run, e.run) });
  }
}

/** The later of two summaries of one run (by their run.json time; on a tie the one that came last). */
function newer(known: RunSummary | undefined, next: RunSummary): RunSummary {
  return known && known.updatedAt > next.updatedAt ? known : next;
}

/** True if the choice can be sampled now. */
export function isAvailable(choice: ModelChoice): boolean {
  return choice.kind !== 'run' || choice.unavailable === null;
}

/** Number of classes of a conditional model, or 0. */
export function classCount(choice: ModelChoice | null): number {
  return choice?.meta?.classes?.count ?? 0;
}

/** What the class picker shows for each label: the data set's name where it differs from the label, else the label. */
export function classOptions(choice: ModelChoice | null): { readonly label: number; readonly text: string }[] {
  const count = classCount(choice);
  const names = choice && choice.kind !== 'oracle' ? choice.details?.classNames : undefined;
  return Array.from({ length: count }, (_, k) => ({ label: k, text: names && names[k] !== String(k) ? `${k}: ${names[k]}` : String(k) }));
}

/** The model's own guidance weight for a conditional model, else null. */
export function defaultGuidance(choice: ModelChoice): number | null {
  return choice.meta?.classes?.guidance ?? null;
}

/** Shape of one sample the model takes. */
export function itemShape(choice: ModelChoice): readonly number[] {
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
  return (choice.kind !== 'oracle' && choice.details?.range) || [0, 1];
}
