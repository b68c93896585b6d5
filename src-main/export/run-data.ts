// A run's data as export needs it: the item shape and the standardisation the run trained under.
import { dirname } from 'node:path';
import { generateDataset } from '../../src-core/data';
import { messageOf, StudioError } from '../../src-core/errors';
import type { DataRef } from '../../src-core/training/config';
import { standardisation, type Normalisation } from '../../src-core/normalisation';
import { datasetDir, readDataset } from '../datasets/dataset-folder';
import { readDataWorkspace } from '../training/run-folder';

/** The item shape and the per-dimension mean and scale to undo (null when the run trained in data units). */
interface RunDataInfo {
  readonly itemShape: readonly number[];
  readonly normalisation: Normalisation | null;
}

/**
 * The workspaces a run's saved data sets are looked for in, in order: the one the caller names (a workspace that moved),
 * the one the run folder records, and the one a run at <workspace>/runs/<id> sits in (runs made before they recorded it).
 */
async function dataWorkspaces(runDir: string, workspace?: string): Promise<string[]> {
  const places = [workspace, await readDataWorkspace(runDir), dirname(dirname(runDir))];
  return [...new Set(places.filter((w): w is string => w !== undefined && w !== null))];
}

/** Loads the rows of a data reference: built-in sets are drawn again from their seed, saved sets read from the first workspace that holds them. */
async function loadRows(ref: DataRef, runDir: string, workspace?: string): Promise<{ data: Float32Array; itemShape: number[] }> {
  if (ref.source === 'builtin') {
    const b = generateDataset(ref.id, ref.params as Parameters<typeof generateDataset>[1]);
    return { data: b.data, itemShape: b.shape.slice(1) };
  }
  const problems: string[] = [];
  for (const place of await dataWorkspaces(runDir, workspace)) {
    try {
      const saved = await readDataset(place, ref.id);
      return { data: saved.data, itemShape: saved.meta.shape.slice(1) };
    } catch (err) {
      problems.push(`${datasetDir(place, ref.id)}: ${messageOf(err)}`);
    }
  }
  throw new StudioError('not-found', `the run's data set '${ref.id}' cannot be read (${problems.join('; ')}); name the workspace that holds it`);
}

/** The item shape of a run's data and, for a standardised run, the statistics its samples are mapped back with. */
export async function runDataInfo(ref: DataRef, runDir: string, workspace?: string): Promise<RunDataInfo> {
  const { data, itemShape } = await loadRows(ref, runDir, workspace);
  if (ref.normalise === 'none') return { itemShape, normalisation: null };
  const d = itemShape.reduce((a, b) => a * b, 1);
  return { itemShape, normalisation: standardisation(data, d) };
}
