// Model files opened by themselves to sample (dropped on the window): described from their bytes, uploads kept in <workspace>/models/.
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { CatalogEntry } from '../../src-core/api/methods/models';
import { StudioError } from '../../src-core/errors';
import { describeExport } from '../export/export-service';
import { writeFileAtomic } from '../workspace/atomic-write';

/** The workspace folder that keeps model files uploaded to be sampled. */
export const OPENED_MODELS_FOLDER = 'models';

/** What the entry of an opened file says its run is when the file does not name one. */
const NO_RUN_NAME = 'Opened file';

type OnnxEntry = Extract<CatalogEntry, { kind: 'onnx' }>;

/** A file to open: by its path on this machine, or bytes uploaded with the name they had. */
type ModelFileSource = { readonly kind: 'path'; readonly path: string } | { readonly kind: 'bytes'; readonly fileName: string; readonly bytes: Uint8Array };

/** A plain file name for an uploaded model: folders, control characters and leading dots go, '.onnx' is kept or added. */
export function modelFileName(fileName: string): string {
  const base = basename(fileName.replace(/\\/g, '/'))
    .replace(/[\u0000-\u001f<>:"|?*]/g, '_')
    .replace(/^[.\s]+/, '')
    .replace(/\.onnx$/i, '')
    .slice(0, 120);
  return `${base || 'model'}.onnx`;
}

/** The catalog entry of a file's bytes, or the studio's refusal naming the file and why it cannot be sampled. */
function entryOf(name: string, path: string, bytes: Uint8Array, modifiedAt: string): OnnxEntry {
  const d = describeExport(bytes);
  const refuse = (why: string): never => {
    throw new StudioError('invalid-argument', `${name} cannot be sampled: ${why}`, [{ path: ['file'], message: why }]);
  };
  if (d.kind === 'sampler-graph') refuse('it is a sampler graph (noise in, samples out); the Sample section takes a network the studio exported');
  if (d.meta === null) refuse(`it is not a network in the studio's format (${d.error ?? 'no metadata'})`);
  const meta = d.meta as NonNullable<typeof d.meta>;
  return { kind: 'onnx', key: `onnx:${path}`, name, path, modifiedAt, runId: meta.runId ?? '', runName: NO_RUN_NAME, meta, details: null, data: null };
}

/** Where an upload of this name goes: its own name, or 'name-2.onnx' and so on where another file holds it (the same bytes are reused). */
async function placeFor(folder: string, name: string, bytes: Uint8Array): Promise<{ path: string; fresh: boolean }> {
  const stem = name.replace(/\.onnx$/, '');
  for (let n = 1; n < 1000; n++) {
    const path = join(folder, n === 1 ? name : `${stem}-${n}.onnx`);
    let held: Uint8Array;
    try {
      held = await readFile(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { path, fresh: true };
      throw err;
    }
    if (Buffer.compare(held, bytes) === 0) return { path, fresh: false };
  }
  throw new StudioError('invalid-argument', `${name}: the models folder holds 999 other files of that name`);
}

/** Opens a model file: a path is described where it lies; uploaded bytes are checked, then kept in the workspace's models folder. */
export async function openModelFile(workspace: string, source: ModelFileSource): Promise<OnnxEntry> {
  if (source.kind === 'path') {
    const name = basename(source.path);
    let bytes: Uint8Array;
    let modified: Date;
    try {
      [bytes, modified] = await Promise.all([readFile(source.path), stat(source.path).then((s) => s.mtime)]);
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file is not there' : `it cannot be read (${(err as Error).message})`;
      throw new StudioError('not-found', `${name} cannot be opened: ${why}`, [{ path: ['path'], message: why }]);
    }
    return entryOf(name, source.path, bytes, modified.toISOString());
  }
  const name = modelFileName(source.fileName);
  // checked before anything is written: a file that cannot be sampled leaves nothing behind
  entryOf(name, name, source.bytes, '');
  const folder = join(workspace, OPENED_MODELS_FOLDER);
  const place = await placeFor(folder, name, source.bytes);
  if (place.fresh) await writeFileAtomic(place.path, source.bytes, undefined, { within: workspace });
  const modified = (await stat(place.path)).mtime.toISOString();
  return entryOf(basename(place.path), place.path, source.bytes, modified);
}
