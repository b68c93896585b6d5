// Model methods of the API over one workspace: exports written into <workspace>/runs/<runId>/exports/, and their listing.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DomainHandlers } from '../../src-core/api/dispatcher';
import type { ExportedModel, MODEL_METHODS } from '../../src-core/api/methods/models';
import type { Params, Result } from '../../src-core/api/contract';
import { StudioError } from '../../src-core/errors';
import { readOnnx } from '../../src-core/onnx/reader';
import { describeModel, isSamplerGraph, parseStudioMetadata, STUDIO_FORMAT_VERSION, STUDIO_KEYS, type StudioModelMeta } from '../../src-core/onnx/studio-format';
import { RunFolders } from '../training/run-folder';
import { exportRun, type ExportOptions } from './export-run';
import { exportRunToTriton } from './export-triton';
import { readTritonRepository } from './triton-repository';
import { pathExists } from '../workspace/path-exists';
import { ExportWriteGuard } from './write-guard';

/** What a request asks of a Triton repository. */
type TritonRequest = NonNullable<Params<'models.export'>['triton']>;

/** The file name an export name stands for ('.onnx' added when missing); throws on anything but a plain file name. */
export function exportFileName(name: string): string {
  const trimmed = name.trim();
  if (/[/\\]/.test(trimmed)) throw new StudioError('invalid-argument', `export name '${name}' must be a file name, without path separators`);
  const base = trimmed.replace(/\.onnx$/i, '');
  // a leading dot would hide the file (and is how temp files of atomic writes are named)
  if (base === '' || base.startsWith('.')) throw new StudioError('invalid-argument', `export name '${name}' must name a file not starting with a dot`);
  return `${base}.onnx`;
}

/** The Triton model name an export name or run id stands for: characters Triton's folder names avoid become '_'. */
function tritonModelName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^[.-]+/, '').slice(0, 56) || 'model';
}

/** The metadata as the API's mutable JSON shape. */
function plainMeta(m: StudioModelMeta): NonNullable<ExportedModel['meta']> {
  return {
    ...m,
    dataShape: [...m.dataShape],
    classes: m.classes ? { ...m.classes } : null,
  };
}

/** Describes one exported file: a network in the studio's format or a sampler graph; a bad file is reported, not thrown. */
export function describeExport(bytes: Uint8Array): Pick<ExportedModel, 'kind' | 'meta' | 'sampler' | 'error'> {
  try {
    const md = readOnnx(bytes).metadata;
    if (isSamplerGraph(md)) {
      // a sampler graph carries the network's metadata without the format key (it is not a network itself)
      const { [STUDIO_KEYS.kind]: _kind, ...rest } = md;
      const meta = parseStudioMetadata({ ...rest, [STUDIO_KEYS.format]: String(STUDIO_FORMAT_VERSION) });
      const sampler = { sampler: md['studio.sampler'] ?? 'unknown', steps: Number(md['studio.steps'] ?? 0), grid: md['studio.grid'] ?? 'uniform' };
      return { kind: 'sampler-graph', meta: plainMeta(meta), sampler, error: null };
    }
    return { kind: 'model', meta: plainMeta(describeModel(bytes).meta), sampler: null, error: null };
  } catch (err) {
    return { kind: 'model', meta: null, sampler: null, error: (err as Error).message };
  }
}

/** A Triton repository the studio wrote, described by its network's file (or its sampler graph's); null for any other folder. */
async function describeRepository(name: string, path: string): Promise<ExportedModel | null> {
  const models = await readTritonRepository(path);
  if (models.length === 0) return null;
  const described = await Promise.all(models.map(async (m) => describeExport(new Uint8Array(await readFile(m.onnx)))));
  const network = described.find((d) => d.kind === 'model' && d.meta !== null);
  const samplerGraph = described.find((d) => d.kind === 'sampler-graph');
  const first = network ?? samplerGraph ?? described[0];
  return {
    name,
    path,
    bytes: models.reduce((a, m) => a + m.bytes, 0),
    modifiedAt: new Date(Math.max(...models.map((m) => m.modified.getTime()))).toISOString(),
    kind: 'triton-repository',
    meta: first.meta,
    sampler: samplerGraph?.sampler ?? null,
    error: first.error,
    models: models.map((m) => m.name),
  };
}

/** The model part of the API over one workspace folder. */
export class ExportService {
  private readonly runs: RunFolders;

  /**
   * Over a workspace folder, or over a host's run folders (runs opened by path among them); `writing` is shared with the
   * workspace's other export services, so two exports never write one path at once.
   */
  constructor(
    runs: string | RunFolders,
    private readonly writing = new ExportWriteGuard(),
  ) {
    this.runs = typeof runs === 'string' ? new RunFolders(runs) : runs;
  }

  /** The handlers of the model methods of the API. */
  handlers(): DomainHandlers<typeof MODEL_METHODS> {
    return {
      'models.export': (p) =>
        p.triton
          ? this.exportTriton(p.runId, p.name, p.triton, { overwrite: p.overwrite ?? false, samplerGraph: p.samplerGraph, guidance: p.guidance, rawWeights: p.rawWeights })
          : this.export(p.runId, p.name, { overwrite: p.overwrite ?? false, samplerGraph: p.samplerGraph, guidance: p.guidance, rawWeights: p.rawWeights }),
      'models.list': (p) => this.list(p.runId),
      'models.exportFile': (p) => this.exportFile(p.runId, p.path, { samplerGraph: p.samplerGraph, guidance: p.guidance, rawWeights: p.rawWeights, triton: p.triton }),
    };
  }

  /** Exports the run's latest checkpoint to its exports folder under the given name; an existing file needs overwrite. */
  async export(runId: string, name: string, options: ExportOptions & { overwrite: boolean }): Promise<{ path: string; bytes: number; step: number; warnings: string[] }> {
    const dir = this.runs.dirOf(runId);
    const path = join(dir, 'exports', exportFileName(name));
    return this.writing.run(path, async () => {
      if (!options.overwrite && (await pathExists(path))) {
        const exists = `an export named '${exportFileName(name)}' exists already`;
        throw new StudioError('duplicate-name', `run ${runId}: ${exists}`, [{ path: ['name'], message: exists }]);
      }
      const { overwrite: _overwrite, ...exportOptions } = options;
      const r = await exportRun(dir, path, { ...exportOptions, workspace: this.runs.workspace });
      return { path: r.path, bytes: r.bytes, step: r.step, warnings: [...r.warnings] };
    });
  }

  /** Exports the run as a Triton model repository in its exports folder (the export's name without '.onnx'); a model there needs overwrite. */
  async exportTriton(runId: string, name: string, triton: TritonRequest, options: ExportOptions & { overwrite: boolean }): Promise<Result<'models.export'>> {
    const dir = this.runs.dirOf(runId);
    const repoName = exportFileName(name).replace(/\.onnx$/, '');
    const repo = join(dir, 'exports', repoName);
    const { overwrite, ...exportOptions } = options;
    const r = await this.writing.run(repo, () =>
      exportRunToTriton(dir, repo, { ...exportOptions, workspace: this.runs.workspace }, { model: triton.model ?? tritonModelName(repoName), maxBatchSize: triton.maxBatchSize, replace: overwrite, within: dir }),
    );
    return { path: r.path, bytes: r.bytes, step: r.step, warnings: [...r.warnings], files: r.files.map((f) => ({ ...f })) };
  }

  /** Exports the run's latest checkpoint to a file named by path, replacing one there (a host that takes no paths refuses). */
  async exportFile(runId: string, path: string, options: ExportOptions & { triton?: TritonRequest }): Promise<Result<'models.exportFile'>> {
    const out = this.runs.namedPath(path, 'path');
    const dir = this.runs.dirOf(runId);
    const { triton, ...exportOptions } = options;
    if (triton) {
      // a repository named by path: the network is named after the run unless the caller names it; the studio's own models there are replaced
      const model = triton.model ?? tritonModelName(runId);
      const r = await this.writing.run(out, () => exportRunToTriton(dir, out, { ...exportOptions, workspace: this.runs.workspace }, { model, maxBatchSize: triton.maxBatchSize, replace: true }));
      return { path: r.path, bytes: r.bytes, step: r.step, warnings: [...r.warnings], meta: plainMeta(r.meta), files: r.files.map((f) => ({ ...f })) };
    }
    return this.writing.run(out, async () => {
      const r = await exportRun(dir, out, { ...exportOptions, workspace: this.runs.workspace });
      return { path: r.path, bytes: r.bytes, step: r.step, warnings: [...r.warnings], meta: plainMeta(r.meta) };
    });
  }

  /** The run's exported files, by name, with what each says about itself. */
  async list(runId: string): Promise<{ exports: ExportedModel[] }> {
    const dir = this.runs.dirOf(runId);
    if (!(await pathExists(join(dir, 'run.json')))) throw new StudioError('not-found', `no run ${runId} in this workspace`);
    const folder = join(dir, 'exports');
    let names: string[];
    try {
      names = await readdir(folder);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { exports: [] };
      throw new StudioError('internal', `cannot read ${folder}: ${(err as Error).message}`);
    }
    const exports: ExportedModel[] = [];
    // temp files of a write in progress start with a dot; they are not exports yet
    for (const name of names.filter((n) => !n.startsWith('.')).sort()) {
      const path = join(folder, name);
      try {
        if (name.endsWith('.onnx')) {
          const [info, bytes] = await Promise.all([stat(path), readFile(path)]);
          exports.push({ name, path, bytes: info.size, modifiedAt: info.mtime.toISOString(), ...describeExport(new Uint8Array(bytes)) });
        } else {
          const repository = await describeRepository(name, path);
          if (repository) exports.push(repository);
        }
      } catch {
        // removed between readdir and read: not listed
      }
    }
    return { exports };
  }
}
