// Whether a path is there, for the checks that choose between creating and refusing.
import { stat } from 'node:fs/promises';

/** True when something (file or folder) is at path; any failure to stat it counts as absent. */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
