// Hands a model file to the studio to sample: by its path where the desktop app knows it, else sent in chunks as the data import sends files.
import type { CatalogEntry } from '../../../src-core/api/methods/models';
import type { StudioApi } from '../../../src-core/api/studio-api';

/** Bytes of a model file sent per call (the studio may ask for less). */
const STEP_BYTES = 1 << 20;

/**
 * The studio's entry for a model file the person dropped or picked, or one on the studio's machine named by its path
 * (a file the studio was opened with); its refusal (not a studio network, say) is thrown.
 */
export async function openModelFile(api: StudioApi, file: File | string, pathOf?: (file: File) => string): Promise<Extract<CatalogEntry, { kind: 'onnx' }>> {
  if (typeof file === 'string') return (await api.call('models.openFile', { path: file })).model;
  const path = pathOf?.(file) ?? '';
  if (path !== '') return (await api.call('models.openFile', { path })).model;
  const { uploadId, chunkBytes } = await api.call('datasets.uploadStart', { fileName: file.name, size: file.size });
  const step = Math.min(chunkBytes, STEP_BYTES);
  try {
    for (let offset = 0; offset < file.size || offset === 0; offset += step) {
      await api.call('datasets.uploadChunk', { uploadId, offset, bytes: new Uint8Array(await file.slice(offset, offset + step).arrayBuffer()) });
      if (file.size === 0) break;
    }
  } catch (err) {
    await api.call('datasets.uploadDiscard', { uploadId }).catch(() => undefined);
    throw err;
  }
  return (await api.call('models.openFile', { upload: uploadId, fileName: file.name })).model;
}
