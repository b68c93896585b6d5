// What a file dropped on the window goes to: the data import (a data file or images), the Sample section (an ONNX model), or a refusal saying why.
import { opensAs } from '../src-core/api/methods/files';
import { messageOf } from '../src-core/errors';
import type { ImportSource } from './features/data/import.store';
import { fromDrop, isDataFile, isImageFile, toSource } from './features/data/read-files';

/** A dropped file as the classifier sees it: its name and the path it had under a dropped folder ('' for a lone file). */
interface DroppedName {
  readonly name: string;
  readonly path: string;
}

/** Where a drop goes; refused carries the message the page shows. */
type DropTarget = { readonly kind: 'data' } | { readonly kind: 'model' } | { readonly kind: 'refused'; readonly message: string };

/** Decides where the files of one drop go: one .onnx opens in Sample, data files and images go to the import, anything else is refused. */
export function dropTarget(files: readonly DroppedName[]): DropTarget {
  if (files.length === 0) return { kind: 'refused', message: 'Nothing was dropped that the studio can read: drop a .csv, .npy or .json file, PNG/JPEG images or a folder of them, or an .onnx model.' };
  const models = files.filter((f) => opensAs(f.name) === 'model');
  if (models.length > 0) {
    if (files.length === 1 && files[0].path === '') return { kind: 'model' };
    return { kind: 'refused', message: `${models[0].name}: drop one .onnx model by itself to open it in Sample.` };
  }
  if (files.some((f) => isDataFile(f.name) || isImageFile(f.name))) return { kind: 'data' };
  const names = files.slice(0, 2).map((f) => f.name).join(', ') + (files.length > 2 ? ', …' : '');
  return {
    kind: 'refused',
    message: `The studio cannot open ${names}: it imports .csv, .tsv, .json and .npy data files and PNG/JPEG images, and opens .onnx models in Sample.`,
  };
}

/** What a drop is handed to: the data import (as if picked in its form) and the Sample section's model opener. */
interface DropActions {
  importData(source: ImportSource): Promise<void>;
  openModel(file: File): Promise<void>;
}

/**
 * Reads a drop (walking dropped folders) and hands it on; resolves to the message the page shows when it was refused
 * or failed, null when it went through. Must be called within the drop event: the browser empties the transfer after.
 */
export async function takeDrop(transfer: DataTransfer, actions: DropActions, pathOf?: (file: File) => string): Promise<string | null> {
  try {
    const picked = await fromDrop(transfer);
    const target = dropTarget(picked.map((p) => ({ name: p.file.name, path: p.path })));
    if (target.kind === 'refused') return target.message;
    if (target.kind === 'model') await actions.openModel(picked[0].file);
    else await actions.importData(await toSource(picked, pathOf));
    return null;
  } catch (err) {
    return messageOf(err);
  }
}
