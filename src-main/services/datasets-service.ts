// Data-set methods of the API: the engine's built-in generators, and sets saved in the workspace.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DATASETS, MAX_COUNT, generateDataset, summarize } from '../../src-core/data';
import { savedDatasetSchema, type DatasetInfo, type DatasetRequest, type Result, type SavedDataset } from '../../src-core/api/contract';
import type { DomainHandlers } from '../../src-core/api/dispatcher';
import type { DATASET_METHODS } from '../../src-core/api/methods/datasets';
import type { EventHub } from '../../src-core/api/event-hub';
import { StudioError } from '../../src-core/errors';
import { writeFileAtomic } from '../workspace/atomic-write';
import type { ImportParams, ImportPreview } from '../../src-core/api/methods/datasets';
import type { DatasetArray } from '../../src-core/io/dataset-array';
import { deleteDataset, readDataset, spacedRows } from '../datasets/dataset-folder';
import { importFile, saveImport, type ImportInput } from '../datasets/import-service';
import { loadMnist } from '../datasets/mnist';

/** Parameters every built-in set takes, in the form the API reports them. */
function commonParams(defaultNoise: number): DatasetInfo['params'] {
  return [
    { name: 'count', label: 'Points', description: 'How many points to draw', default: 10_000, min: 1, max: MAX_COUNT, step: 1, integer: true },
    { name: 'noise', label: 'Noise', description: 'Std of the Gaussian noise added to every point', default: defaultNoise, min: 0, max: 2, step: 0.01, integer: false },
    { name: 'seed', label: 'Seed', description: 'Seed of the random draws: the same seed gives the same points', default: 0, min: 0, max: 2 ** 32 - 1, step: 1, integer: true },
  ];
}

/**
 * A vector set's preview whose head is up to max rows spaced evenly over the whole set (every row when they fit), with
 * their labels; an image set's keeps its first images.
 */
function spreadPreview(preview: ImportPreview, array: DatasetArray, max: number): ImportPreview {
  const [n, d] = array.shape;
  if (array.shape.length !== 2 || n === 0) return preview;
  const m = Math.min(n, max);
  const head = new Float32Array(m * d);
  const labels = array.labels ? new Int32Array(m) : null;
  for (let i = 0; i < m; i++) {
    const row = Math.floor((i * n) / m);
    head.set(array.data.subarray(row * d, (row + 1) * d), i * d);
    if (labels && array.labels) labels[i] = array.labels[row];
  }
  return { ...preview, head, headLabels: labels };
}

/** The data-set part of the API over one workspace folder. */
export class DatasetsService {
  constructor(
    private readonly workspace: string,
    private readonly events: EventHub,
  ) {}

  /** The handlers of the data-set methods of the API. */
  handlers(): DomainHandlers<typeof DATASET_METHODS> {
    return {
      'datasets.list': () => this.list(),
      'datasets.generate': (p) => this.generate(p),
      'datasets.save': (p) => this.save(p.name, p.source),
      'datasets.saved': () => this.saved(),
      'datasets.import': (p) => this.importData(p),
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

  /** Imports a file, a folder or uploaded bytes: a preview only, or parsed, described and saved (nothing is written when it fails). */
  async importData(p: ImportParams): Promise<Result<'datasets.import'>> {
    const input: ImportInput =
      p.path !== undefined ? { path: p.path } : p.bytes !== undefined ? { bytes: p.bytes, fileName: p.fileName ?? 'upload' } : { files: p.files ?? [], fileName: p.fileName ?? 'upload' };
    const parsed = await importFile(input, {
      ...(p.format ? { format: p.format } : {}),
      ...(p.delimiter ? { delimiter: p.delimiter } : {}),
      ...(p.header !== undefined ? { header: p.header } : {}),
      ...(p.labelsFromFolders !== undefined ? { labelsFromFolders: p.labelsFromFolders } : {}),
      ...(p.labelColumn !== undefined ? { labelColumn: p.labelColumn } : {}),
    });
    if (p.preview) return { preview: p.previewPoints === undefined ? parsed.preview : spreadPreview(parsed.preview, parsed.array, p.previewPoints), saved: null };
    const saved = await saveImport(this.workspace, parsed, p.name);
    this.events.emit('datasets.changed', { saved: await this.saved() });
    return { preview: parsed.preview, saved };
  }

  /** A saved set's rows (evenly thinned to maxPoints) with labels, for previews. */
  async load(id: string, maxPoints?: number): Promise<Result<'datasets.load'>> {
    const contents = await readDataset(this.workspace, id);
    const rows = spacedRows(contents, maxPoints);
    return { id, shape: rows.shape, total: contents.meta.shape[0], data: rows.data, labels: rows.labels, classes: contents.meta.classes ?? null };
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
