// Data-set methods of the API: the engine's built-in generators, and sets saved in the workspace.
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DATASETS, MAX_COUNT, generateDataset, summarize } from '../../src-core/data';
import { savedDatasetSchema, type DatasetInfo, type DatasetRequest, type Result, type SavedDataset } from '../../src-core/api/contract';
import type { DomainHandlers } from '../../src-core/api/dispatcher';
import type { DATASET_METHODS } from '../../src-core/api/methods/datasets';
import type { EventHub } from '../../src-core/api/event-hub';
import { StudioError } from '../../src-core/errors';
import { writeFileAtomic } from '../workspace/atomic-write';
import type { ImportParams, ImportProgress } from '../../src-core/api/methods/datasets';
import { deleteDataset, readSpacedRows } from '../datasets/dataset-folder';
import type { JobSource } from '../datasets/import-job';
import { defaultImportRunner, type ImportRunner } from '../datasets/import-runner';
import { previewOf, removeStaging, saveImport, saveStaged } from '../datasets/import-service';
import { loadMnist } from '../datasets/mnist';
import { UploadStore } from '../datasets/uploads';

/** Parameters every built-in set takes, in the form the API reports them. */
function commonParams(defaultNoise: number): DatasetInfo['params'] {
  return [
    { name: 'count', label: 'Points', description: 'How many points to draw', default: 10_000, min: 1, max: MAX_COUNT, step: 1, integer: true },
    { name: 'noise', label: 'Noise', description: 'Std of the Gaussian noise added to every point', default: defaultNoise, min: 0, max: 2, step: 0.01, integer: false },
    { name: 'seed', label: 'Seed', description: 'Seed of the random draws: the same seed gives the same points', default: 0, min: 0, max: 2 ** 32 - 1, step: 1, integer: true },
  ];
}

/** Options of the data-set service. */
export interface DatasetsServiceOptions {
  /** Where imports run; by default a process per import where the worker is built, else this process. */
  readonly importRunner?: ImportRunner;
  /** Told of a file read by its path once the read succeeded (the recent-files list). */
  readonly openedPath?: (path: string) => void;
}

/** Makes a folder and its parents; tried again when the parent, found empty, was removed meanwhile. */
async function makeFolder(path: string): Promise<void> {
  for (let tries = 1; ; tries++) {
    try {
      await mkdir(path, { recursive: true });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || tries === 3) throw err;
    }
  }
}

/** The folder under the workspace for uploads and imports under way (removed when empty). */
const IMPORTS_FOLDER = '.imports';

/** The data-set part of the API over one workspace folder. */
export class DatasetsService {
  private readonly runner: ImportRunner;
  private readonly uploads: UploadStore;
  /** Imports under way by their importId, to cancel them, with their end (to wait for on close). */
  private readonly running = new Map<string, { controller: AbortController; ended: Promise<unknown> }>();

  constructor(
    private readonly workspace: string,
    private readonly events: EventHub,
    private readonly options: DatasetsServiceOptions = {},
  ) {
    this.runner = options.importRunner ?? defaultImportRunner();
    this.uploads = new UploadStore(join(workspace, IMPORTS_FOLDER));
  }

  /** The handlers of the data-set methods of the API. */
  handlers(): DomainHandlers<typeof DATASET_METHODS> {
    return {
      'datasets.list': () => this.list(),
      'datasets.generate': (p) => this.generate(p),
      'datasets.save': (p) => this.save(p.name, p.source),
      'datasets.saved': () => this.saved(),
      'datasets.import': (p) => this.importData(p),
      'datasets.uploadStart': (p) => this.uploads.start(p.fileName, p.size),
      'datasets.uploadChunk': (p) => this.uploads.append(p.uploadId, p.offset, p.bytes),
      'datasets.uploadDiscard': async (p) => ({ uploadId: p.uploadId, discarded: await this.uploads.discard(p.uploadId) }),
      'datasets.importCancel': (p) => this.cancelImport(p.importId),
      'datasets.load': (p) => this.load(p.id, p.maxPoints),
      'datasets.delete': (p) => this.delete(p.id),
      'datasets.mnist': (p) => this.mnist(p),
    };
  }

  /** Built-in data sets with their parameters. */
  list(): DatasetInfo[] {
    return DATASETS.map((d) => ({
      id: d.id,
      label: d.label,
      description: d.description,
      params: [...commonParams(d.defaultNoise), ...d.params.map((p) => ({ ...p }))],
      hasMixture: d.hasMixture,
    }));
  }

  /** Generates a built-in set (deterministic for its seed) with summary statistics. */
  generate(request: DatasetRequest): Result<'datasets.generate'> {
    const b = generateDataset(request.id, {
      ...request.params,
      ...(request.mixture ? { mixture: request.mixture } : {}),
      count: request.count,
      noise: request.noise,
      seed: request.seed,
    });
    const data = b.data instanceof Float32Array ? b.data : Float32Array.from(b.data);
    return { shape: [...b.shape], data, stats: summarize(b) };
  }

  /** Saves a generated set into the workspace (data.f32 + meta.json, each written atomically). */
  async save(name: string, source: DatasetRequest): Promise<SavedDataset> {
    const { data, shape } = this.generate(source);
    const id = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
    const dir = join(this.workspace, 'datasets', id);
    const meta: SavedDataset = { id, name, source, shape, createdAt: new Date().toISOString() };
    await writeFileAtomic(join(dir, 'data.f32'), new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    await writeFileAtomic(join(dir, 'meta.json'), JSON.stringify(meta, null, 2));
    this.events.emit('datasets.changed', { saved: await this.saved() });
    return meta;
  }

  /** Sets saved in the workspace, oldest first; unreadable entries are skipped, not fatal. */
  async saved(): Promise<SavedDataset[]> {
    const root = join(this.workspace, 'datasets');
    let entries: string[];
    try {
      entries = await readdir(root);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new StudioError('internal', `cannot read ${root}: ${(err as Error).message}`);
    }
    const out: SavedDataset[] = [];
    for (const id of entries) {
      try {
        const meta = savedDatasetSchema.parse(JSON.parse(await readFile(join(root, id, 'meta.json'), 'utf8')));
        if (meta.id === id) out.push(meta);
      } catch {
        // a half-copied or foreign folder is not a data set; leave it alone
      }
    }
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /**
   * Imports a file, a folder, an upload or sent bytes: parsed in its own process as it streams (progress events carry
   * the importId), then a preview only, or described and saved (nothing is left behind when it fails or is cancelled).
   */
  async importData(p: ImportParams): Promise<Result<'datasets.import'>> {
    const importId = p.importId ?? `import-${randomBytes(6).toString('hex')}`;
    if (this.running.has(importId)) throw new StudioError('invalid-argument', `an import named '${importId}' is already running`);
    const upload = p.upload !== undefined ? this.uploads.complete(p.upload) : null;
    const source: JobSource =
      p.path !== undefined
        ? { kind: 'path', path: p.path }
        : upload !== null
          ? { kind: 'upload', file: upload.file, fileName: p.fileName ?? upload.fileName }
          : p.bytes !== undefined
            ? { kind: 'bytes', bytes: p.bytes, fileName: p.fileName ?? 'upload' }
            : { kind: 'files', files: p.files ?? [], fileName: p.fileName ?? 'upload' };
    const controller = new AbortController();
    let ended = (): void => undefined;
    this.running.set(importId, { controller, ended: new Promise<void>((r) => (ended = r)) });
    const staging = join(this.workspace, IMPORTS_FOLDER, `job-${randomBytes(6).toString('hex')}`);
    const emit = (progress: Omit<ImportProgress, 'importId'>) => this.events.emit('datasets.importProgress', { importId, ...progress });
    let kept = false;
    try {
      await makeFolder(staging);
      const job = await this.runner.run(
        {
          source,
          options: {
            ...(p.format ? { format: p.format } : {}),
            ...(p.delimiter ? { delimiter: p.delimiter } : {}),
            ...(p.header !== undefined ? { header: p.header } : {}),
            ...(p.labelsFromFolders !== undefined ? { labelsFromFolders: p.labelsFromFolders } : {}),
            ...(p.labelColumn !== undefined ? { labelColumn: p.labelColumn } : {}),
          },
          dir: staging,
          previewPoints: p.preview ? (p.previewPoints ?? null) : null,
        },
        (progress) => emit(progress),
        controller.signal,
      );
      const preview = previewOf(job);
      if (p.path !== undefined) this.options.openedPath?.(p.path);
      if (p.preview) return { preview, saved: null };
      if (controller.signal.aborted) throw new StudioError('cancelled', 'the import was cancelled');
      emit({ phase: 'saving', done: 0, total: 1, unit: 'values', rows: job.shape[0] });
      const saved = await saveStaged(this.workspace, staging, job, p.name);
      kept = true;
      this.events.emit('datasets.changed', { saved: await this.saved() });
      return { preview, saved };
    } finally {
      if (!kept) await removeStaging(staging);
      this.running.delete(importId);
      ended();
    }
  }

  /** Stops a running import; it ends with a cancelled error and leaves nothing behind. */
  cancelImport(importId: string): Result<'datasets.importCancel'> {
    const job = this.running.get(importId);
    job?.controller.abort();
    return { importId, cancelled: job !== undefined };
  }

  /** A complete upload's staged file, read by another service (an opened model file); it stays staged until discarded. */
  stagedUpload(uploadId: string): { file: string; fileName: string } {
    const u = this.uploads.complete(uploadId);
    return { file: u.file, fileName: u.fileName };
  }

  /** Removes an upload another service has read. */
  async discardUpload(uploadId: string): Promise<void> {
    await this.uploads.discard(uploadId);
  }

  /** Stops every import and removes every upload (the studio is closing). */
  async close(): Promise<void> {
    const jobs = [...this.running.values()];
    for (const job of jobs) job.controller.abort();
    await Promise.all(jobs.map((job) => job.ended));
    await this.uploads.close();
  }

  /** A saved set's rows (evenly thinned to maxPoints) with labels, for previews. */
  async load(id: string, maxPoints?: number): Promise<Result<'datasets.load'>> {
    const rows = await readSpacedRows(this.workspace, id, maxPoints);
    return { id, shape: rows.shape, total: rows.meta.shape[0], data: rows.data, labels: rows.labels, classes: rows.meta.classes ?? null };
  }

  /** Deletes a saved set from the workspace. */
  async delete(id: string): Promise<Result<'datasets.delete'>> {
    await deleteDataset(this.workspace, id);
    this.events.emit('datasets.changed', { saved: await this.saved() });
    return { id };
  }

  /** Saves MNIST digits from the `mnist` package as [n, 1, 28, 28] in [0, 1] with labels 0..9. */
  async mnist(p: { count?: number; digits?: number[]; name?: string }): Promise<SavedDataset> {
    const array = await loadMnist({ ...(p.count !== undefined ? { count: p.count } : {}), ...(p.digits ? { digits: p.digits } : {}) });
    const digits = [...new Set(p.digits ?? [])].sort((a, b) => a - b);
    const name = p.name ?? (digits.length ? `MNIST ${digits.join(', ')}` : 'MNIST');
    const saved = await saveImport(this.workspace, { format: 'images', fileName: 'mnist', array }, name, { id: 'mnist', ...(digits.length ? { digits } : {}) });
    this.events.emit('datasets.changed', { saved: await this.saved() });
    return saved;
  }
}
