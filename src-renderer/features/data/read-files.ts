// Turns what a person picked or dropped (files, a folder) into an ImportSource: a file to send in chunks (or its path, in the desktop app), or a folder's images as bytes.
import { OPENABLE_FILES, opensAs } from '../../../src-core/api/methods/files';
import type { ImportSource } from './import.store';

/** Image extensions the import takes (loose or in a folder). */
const IMAGE_EXTS = ['png', 'jpg', 'jpeg'] as const;

/** Whether a file is an image the import takes, by its extension (any case). */
export function isImageFile(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot >= 0 && (IMAGE_EXTS as readonly string[]).includes(name.slice(dot + 1).toLowerCase());
}

/** Whether a file is data the import reads one at a time: the data kinds of the files the studio opens. */
export function isDataFile(name: string): boolean {
  return opensAs(name) === 'data';
}

/** What the import's file picker offers: those data kinds and the images. */
export const IMPORT_ACCEPT = [...OPENABLE_FILES.filter((f) => f.opensAs === 'data').map((f) => f.ext), ...IMAGE_EXTS].map((e) => `.${e}`).join(',');

/** A file with the path it had under the picked or dropped folder ('' for a lone file). */
interface Picked {
  readonly file: File;
  readonly path: string;
}

async function bytesOf(file: File): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await file.arrayBuffer());
}

/** Files from an <input type=file> (with webkitdirectory they carry 'folder/sub/a.png' paths). */
export function fromInput(list: FileList): Picked[] {
  return [...list].map((file) => ({ file, path: file.webkitRelativePath ?? '' }));
}

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

async function walk(entry: FileSystemEntry, out: Picked[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ file, path: entry.fullPath.replace(/^\//, '') });
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries hands out a directory in batches; an empty batch means the end.
  for (let batch = await readEntries(reader); batch.length > 0; batch = await readEntries(reader)) {
    for (const child of batch) await walk(child, out);
  }
}

/** Files from a drop, walking into dropped folders. */
export async function fromDrop(transfer: DataTransfer): Promise<Picked[]> {
  const entries = [...transfer.items].map((item) => item.webkitGetAsEntry?.() ?? null);
  if (entries.every((e) => e !== null)) {
    const out: Picked[] = [];
    for (const entry of entries) await walk(entry as FileSystemEntry, out);
    return out;
  }
  return [...transfer.files].map((file) => ({ file, path: '' }));
}

/**
 * One data file as is (by its path where pathOf knows it: the desktop app reads it where it lies); images (loose or in a
 * folder) as a folder; anything else is refused with a reason.
 */
export async function toSource(picked: readonly Picked[], pathOf?: (file: File) => string): Promise<ImportSource> {
  if (picked.length === 0) throw new Error('Nothing was picked: choose a .csv, .json or .npy file, or PNG/JPEG images.');
  const data = picked.filter((p) => isDataFile(p.file.name));
  if (picked.length === 1 && !picked[0].path.includes('/')) {
    const { file } = picked[0];
    const path = pathOf?.(file) ?? '';
    return path !== '' ? { kind: 'path', fileName: file.name, path } : { kind: 'file', fileName: file.name, file };
  }
  if (data.length > 0) {
    throw new Error(`${data[0].file.name}: import one data file at a time; folders and several files are read as PNG/JPEG images only.`);
  }
  const images = picked.filter((p) => isImageFile(p.file.name));
  if (images.length === 0) throw new Error(`None of the ${picked.length} files is a PNG or JPEG image (for example ${picked[0].file.name}).`);
  // Paths under a common top folder become relative to it, and that folder names the set.
  const tops = new Set(images.map((p) => (p.path.includes('/') ? p.path.slice(0, p.path.indexOf('/')) : '')));
  const folder = tops.size === 1 ? [...tops][0] : '';
  const files = await Promise.all(
    images.map(async (p) => ({ path: folder ? p.path.slice(folder.length + 1) : p.file.name, bytes: await bytesOf(p.file) })),
  );
  return { kind: 'folder', fileName: folder || 'images', files };
}
