// A Triton model repository on disk: <repo>/<model>/config.pbtxt and <repo>/<model>/1/model.onnx per model, each model folder appearing whole or not at all.
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { StudioError } from '../../src-core/errors';
import { readOnnx } from '../../src-core/onnx/reader';
import { ensureDir, writeFileAtomic } from '../workspace/atomic-write';
import { recoverFolderSwap, swapInFolder } from '../workspace/folder-swap';
import { nodeFileSystem, type FileSystem } from '../workspace/file-system';
import { tritonConfigText, type TritonModelOptions } from './triton-config';

/** One model to put in a repository: its ONNX bytes and how it is served. */
export interface TritonModel extends TritonModelOptions {
  readonly onnx: Uint8Array;
}

/** A file written into the repository: its path inside the repository ('/'-separated) and its size. */
interface RepositoryFile {
  readonly path: string;
  readonly bytes: number;
}

/** The version folder Triton loads (its default policy serves the newest numbered version). */
const VERSION = '1';

async function kindOf(path: string): Promise<'missing' | 'folder' | 'other'> {
  try {
    return (await stat(path)).isDirectory() ? 'folder' : 'other';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw err;
  }
}

/** Whether a model folder is one the studio wrote (its config carries the studio's parameters), so replacing it loses nothing of someone else's. */
async function writtenByStudio(folder: string): Promise<boolean> {
  try {
    return /key: "studio\./.test(await readFile(join(folder, 'config.pbtxt'), 'utf8'));
  } catch {
    return false;
  }
}

/** Fills a folder with one model's files (config and version folder); returns them relative to the folder. */
async function fillModel(folder: string, model: TritonModel, fs: FileSystem): Promise<RepositoryFile[]> {
  const config = tritonConfigText(readOnnx(model.onnx), model);
  await writeFileAtomic(join(folder, 'config.pbtxt'), config, fs, { within: dirname(folder) });
  await writeFileAtomic(join(folder, VERSION, 'model.onnx'), model.onnx, fs, { within: folder });
  return [
    { path: 'config.pbtxt', bytes: Buffer.byteLength(config) },
    { path: `${VERSION}/model.onnx`, bytes: model.onnx.length },
  ];
}

/**
 * Writes the models into the repository folder. A missing repository is built whole beside it and renamed into place;
 * in an existing one (other models are left alone) each model folder is swapped in whole. A model folder already there
 * is replaced only when the studio wrote it and `replace` is set.
 */
export async function writeTritonRepository(
  repo: string,
  models: readonly TritonModel[],
  options: { replace: boolean; within?: string },
  fs: FileSystem = nodeFileSystem,
): Promise<RepositoryFile[]> {
  const names = models.map((m) => m.name);
  if (new Set(names).size !== names.length) throw new StudioError('internal', `Triton repository: model names repeat (${names.join(', ')})`);
  const prefixed = (name: string, files: RepositoryFile[]) => files.map((f) => ({ path: `${name}/${f.path}`, bytes: f.bytes }));
  const kind = await kindOf(repo);
  if (kind === 'other') throw new StudioError('invalid-argument', `${repo} is a file; a Triton model repository is a folder`);
  if (kind === 'missing') {
    await ensureDir(dirname(repo), fs, options.within);
    return swapInFolder(
      repo,
      async (tmp) => {
        const files: RepositoryFile[] = [];
        for (const m of models) files.push(...prefixed(m.name, await fillModel(join(tmp, m.name), m, fs)));
        return files;
      },
      fs,
    );
  }
  // a model folder an interrupted write moved aside comes back before anything is checked (Triton would also try
  // to load a hidden leftover as a model)
  for (const m of models) await recoverFolderSwap(join(repo, m.name), fs);
  // check every model before writing any, so a refusal leaves the repository as it was
  const entries = new Set(await readdir(repo));
  for (const m of models) {
    if (!entries.has(m.name)) continue;
    const folder = join(repo, m.name);
    const message = !(await writtenByStudio(folder))
      ? `${folder} exists and was not written by the studio: choose another model name or repository`
      : options.replace
        ? null
        : `the repository has a model '${m.name}' already`;
    if (message) throw new StudioError('duplicate-name', `${relative(dirname(repo), folder)}: ${message}`, [{ path: ['name'], message }]);
  }
  const files: RepositoryFile[] = [];
  for (const m of models) files.push(...prefixed(m.name, await swapInFolder(join(repo, m.name), (tmp) => fillModel(tmp, m, fs), fs)));
  return files;
}

/** One model of a repository the studio wrote: its name, its ONNX file, and the size and newest change of its files. */
interface StudioTritonModel {
  readonly name: string;
  readonly onnx: string;
  readonly bytes: number;
  readonly modified: Date;
}

/** The models of a folder that the studio wrote into it as a Triton repository (empty for any other folder); a half-written model is left out. */
export async function readTritonRepository(repo: string): Promise<StudioTritonModel[]> {
  const models: StudioTritonModel[] = [];
  let names: string[];
  try {
    names = await readdir(repo);
  } catch {
    return models;
  }
  // hidden folders are models being written (or the one being replaced)
  for (const name of names.filter((n) => !n.startsWith('.')).sort()) {
    const folder = join(repo, name);
    if (!(await writtenByStudio(folder))) continue;
    const onnx = join(folder, VERSION, 'model.onnx');
    try {
      const files = await Promise.all([stat(join(folder, 'config.pbtxt')), stat(onnx)]);
      const modified = new Date(Math.max(...files.map((f) => f.mtimeMs)));
      models.push({ name, onnx, bytes: files.reduce((a, f) => a + f.size, 0), modified });
    } catch {
      // a model folder without its file: not listed
    }
  }
  return models;
}
