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

/** Parameters every built-in set takes, in the form the API reports them. */
function commonParams(defaultNoise: number): DatasetInfo['params'] {
  return [
    { name: 'count', label: 'Points', description: 'How many points to draw', default: 10_000, min: 1, max: MAX_COUNT, step: 1, integer: true },
    { name: 'noise', label: 'Noise', description: 'Std of the Gaussian noise added to every point', default: defaultNoise, min: 0, max: 2, step: 0.01, integer: false },
    { name: 'seed', label: 'Seed', description: 'Seed of the random draws: the same seed gives the same points', default: 0, min: 0, max: 2 ** 32 - 1, step: 1, integer: true },
  ];
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
}
