// An .npy file as a data set: any of its dtypes converted to float32, its shape mapped to [n, d] or [n, C, H, W].
import { StudioError } from '../errors';
import { MAX_VALUES, checkRowsFinite, datasetShape, type DatasetArray } from './dataset-array';
import { npyToFloat32, readNpy } from './npy';

/** Reads .npy bytes (float32, float64, int32 or int64) as a data set; [n, H, W] becomes [n, 1, H, W]. */
export function parseNpyDataset(bytes: Uint8Array): DatasetArray {
  const array = readNpy(bytes);
  const notes: string[] = [];
  const shape = datasetShape(array.shape, notes);
  if (array.data.length > MAX_VALUES) throw new StudioError('invalid-shape', `the array holds ${array.data.length} numbers, more than the ${MAX_VALUES} one import may hold`);
  if (array.dtype !== 'float32') notes.push(`${array.dtype} values converted to float32`);
  const data = npyToFloat32(array);
  checkRowsFinite(data, shape);
  return { data, shape, notes };
}
