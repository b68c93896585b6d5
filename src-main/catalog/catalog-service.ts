// The catalog of what can be sampled: ideal models, each run's live weights and its exports, described by the host's own builders.
import { readFile } from 'node:fs/promises';
import type { Result } from '../../src-core/api/contract';
import type { DomainHandlers } from '../../src-core/api/dispatcher';
import type { CatalogEntry, ExportedModel, MODEL_CATALOG_METHODS, ModelDataRef, ModelDetails, ModelMeta } from '../../src-core/api/methods/models';
import type { RunSummary } from '../../src-core/api/methods/training';
import { DATASETS, datasetMixture, datasetRegistry } from '../../src-core/data';
import { builtinRequest, heldOutRequest } from '../../src-core/training/data-request';
import { readDatasetMeta } from '../datasets/dataset-folder';
import { describeRunModel } from '../export/run-model';
import { loadRun, runDir } from '../runs';
import { STUDIO_VERSION } from '../version';
import { messageOf } from '../../src-core/errors';
import { openModelFile } from './opened-models';

/** The schedule an ideal model is described with; it takes any schedule the person picks. */
const ORACLE_SCHEDULE = { name: 'linear' } as const;

/** Where the catalog reads runs and exports: the training and export services of the same host. */
interface CatalogSources {
  runs(): Promise<Result<'training.list'>>;
  run(runId: string): Promise<Result<'training.get'>>;
  exports(runId: string): Promise<{ exports: ExportedModel[] }>;
  /** A complete upload's staged file (models.openFile reads it), and the means to let it go once read. */
  upload(uploadId: string): { file: string; fileName: string };
  discardUpload(uploadId: string): Promise<void>;
  /** Told of a model file opened by its path (the recent-files list). */
  openedPath?(path: string): void;
}

/** A run described, or why it cannot be. */
type Described = { readonly meta: ModelMeta; readonly details: ModelDetails; readonly data: ModelDataRef } | { readonly problem: string };


/** The metadata as the API's mutable JSON shape. */
function plainMeta(m: Awaited<ReturnType<typeof describeRunModel>>['meta']): ModelMeta {
  return {
    ...m,
    schedule: { ...m.schedule },
    dataShape: [...m.dataShape],
    classes: m.classes ? { ...m.classes } : null,
  };
}

/** The ideal model of every built-in set that is exactly a Gaussian mixture, at the set's default parameters. */
function oracleEntries(): CatalogEntry[] {
  const out: CatalogEntry[] = [];
  for (const d of DATASETS) {
    const mixture = d.hasMixture ? datasetMixture(d.id, {}) : null;
    if (!mixture) continue;
    const meta: ModelMeta = {
      parameterisation: 'velocity',
      schedule: { ...ORACLE_SCHEDULE },
      dataShape: [mixture.means[0].length],
      normalisation: null,
      classes: null,
      runId: null,
      seed: null,
      studioVersion: STUDIO_VERSION,
    };
    const plain = { weights: [...mixture.weights], means: mixture.means.map((mu) => [...mu]), covariances: mixture.covariances.map((S) => S.map((row) => [...row])) };
    out.push({ kind: 'oracle', key: `oracle:${d.id}`, datasetId: d.id, datasetLabel: d.label, mixture: plain, meta, data: { kind: 'mixture' } });
  }
  return out;
}

/**
 * The catalog over one workspace. A run's description (its network built from its config and data) is kept once
 * made, since a run's config never changes; a run on a saved set is described again if the set is gone or replaced.
 */
export class CatalogService {
  private readonly described = new Map<string, { readonly stamp: string; readonly value: Promise<Described> }>();

  constructor(
    private readonly workspace: string,
    private readonly sources: CatalogSources,
  ) {}

  /** The handler of the catalog method of the API. */
  handlers(): DomainHandlers<typeof MODEL_CATALOG_METHODS> {
    return {
      'models.catalog': (p) => this.catalog(p.runId),
      'models.openFile': async (p) => ({ model: await this.openFile(p.path, p.upload, p.fileName) }),
    };
  }

  /** Opens a model file by path, or an upload under its name (kept in the workspace; the staged upload is let go). */
  private async openFile(path: string | undefined, upload: string | undefined, fileName: string | undefined): Promise<Extract<CatalogEntry, { kind: 'onnx' }>> {
    if (path !== undefined) {
      const entry = await openModelFile(this.workspace, { kind: 'path', path });
      this.sources.openedPath?.(entry.path);
      return entry;
    }
    const id = upload as string;
    const staged = this.sources.upload(id);
    try {
      return await openModelFile(this.workspace, { kind: 'bytes', fileName: fileName ?? staged.fileName, bytes: new Uint8Array(await readFile(staged.file)) });
    } finally {
      await this.sources.discardUpload(id);
    }
  }

  /** Every entry (ideal models, then runs oldest first, each followed by its exports newest first), or one run's. */
  async catalog(runId?: string): Promise<{ models: CatalogEntry[] }> {
    if (runId !== undefined) return { models: await this.runEntries((await this.sources.run(runId)).run) };
    const { runs } = await this.sources.runs();
    // descriptions of runs deleted since are let go
    for (const id of this.described.keys()) if (!runs.some((r) => r.id === id)) this.described.delete(id);
    const sorted = [...runs].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    const perRun = await Promise.all(sorted.map((run) => this.runEntries(run)));
    return { models: [...oracleEntries(), ...perRun.flat()] };
  }

  /** A run's own entry and its sampleable exports (sampler graphs and unreadable files are left out). */
  private async runEntries(run: RunSummary): Promise<CatalogEntry[]> {
    const [d, exports] = await Promise.all([this.describe(run.id), this.sources.exports(run.id).catch(() => ({ exports: [] }))]);
    const ok = 'meta' in d ? d : null;
    const own: CatalogEntry = { kind: 'run', key: `run:${run.id}`, run, meta: ok?.meta ?? null, details: ok?.details ?? null, data: ok?.data ?? null, problem: 'problem' in d ? d.problem : null };
    const files = [...exports.exports]
      .sort((a, b) => b.modifiedAt.localeCompare(a.modifiedAt))
      .flatMap((e): CatalogEntry[] =>
        e.kind === 'model' && e.meta !== null
          ? [{ kind: 'onnx', key: `onnx:${e.path}`, name: e.name, path: e.path, modifiedAt: e.modifiedAt, runId: run.id, runName: run.name, meta: e.meta, details: ok?.details ?? null, data: ok?.data ?? null }]
          : [],
      );
    return [own, ...files];
  }

  /** The run's description, made once per state of its saved set; a failure is not kept (the next look tries again). */
  private async describe(runId: string): Promise<Described> {
    const dir = runDir(this.workspace, runId);
    let run: Awaited<ReturnType<typeof loadRun>>;
    try {
      run = await loadRun(dir);
    } catch (err) {
      return { problem: `its config could not be read: ${messageOf(err)}` };
    }
    const ref = run.config.data;
    const saved = ref.source === 'workspace' ? await readDatasetMeta(this.workspace, ref.id) : null;
    if (ref.source === 'workspace' && !saved) {
      this.described.delete(runId);
      return { problem: `its data set '${ref.id}' is not in the workspace any more` };
    }
    const stamp = saved ? `${saved.id}|${saved.createdAt}` : 'builtin';
    const known = this.described.get(runId);
    if (known && known.stamp === stamp) return known.value;
    const value = (async (): Promise<Described> => {
      try {
        const { meta, details } = await describeRunModel(run, dir);
        const data: ModelDataRef =
          ref.source === 'workspace'
            ? { kind: 'saved', datasetId: ref.id, name: saved?.name ?? null }
            : { kind: 'generated', datasetId: ref.id, label: datasetRegistry.has(ref.id) ? datasetRegistry.get(ref.id).label : ref.id, request: builtinRequest(ref), heldOut: heldOutRequest(ref) };
        return { meta: plainMeta(meta), details, data };
      } catch (err) {
        this.described.delete(runId);
        return { problem: `it cannot be described: ${messageOf(err)}` };
      }
    })();
    this.described.set(runId, { stamp, value });
    return value;
  }
}
