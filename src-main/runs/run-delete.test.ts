// Deleting runs: gone from the list in one step, an interrupted removal never listed, leftovers swept.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, rm, unlink, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../src-core/rng';
import { parseTrainingConfig } from '../../src-core/training/config';
import { writeFileAtomic } from '../workspace/atomic-write';
import { nodeFileSystem, type FileSystem } from '../workspace/file-system';
import { writeCheckpoint } from './checkpoint-store';
import { CREATING_PREFIX, DELETING_PREFIX, STALE_STAGING_MS, deleteRunFolder, sweepRunLeftovers } from './run-delete';
import { createRun, listRuns, runsRoot } from './run-store';

let ws: string;
beforeEach(async () => {
  ws = await mkdtemp(join(tmpdir(), 'runs-delete-'));
});
afterEach(async () => {
  await rm(ws, { recursive: true, force: true });
});

/** The real file system whose recursive removal stops after taking config.json, as a crash in the middle of rm -r would. */
const cutShortRemoval: FileSystem = {
  ...nodeFileSystem,
  rm: async (path) => {
    await unlink(join(path, 'config.json'));
    throw Object.assign(new Error(`EIO: ${path}`), { code: 'EIO' });
  },
};

async function runWithCheckpoint(): Promise<{ id: string; dir: string }> {
  const run = await createRun(ws, parseTrainingConfig({ steps: 500, seed: 3 }), 'doomed');
  const arr = () => new Float32Array(4);
  await writeCheckpoint(run.dir, {
    step: 10, weights: arr(), ema: arr(), optimiser: { step: 10, m: arr(), v: arr() },
    rng: { noise: new Rng(1).state(), batches: new Rng(2).state() }, dataCursor: { epoch: 0, position: 10, permutationSeed: 1 }, configHash: 'a'.repeat(64), backend: 'cpu',
  });
  return run;
}

describe('deleting a run', () => {
  it('removes the folder and everything in it; other runs stay', async () => {
    const keep = await createRun(ws, parseTrainingConfig({ steps: 500 }), 'keep');
    const { id } = await runWithCheckpoint();
    await deleteRunFolder(ws, id);
    expect(await readdir(runsRoot(ws))).toEqual([keep.id]);
    expect((await listRuns(ws)).runs.map((r) => r.id)).toEqual([keep.id]);
  });

  it('refuses a run that is not there, and an id that could leave the runs folder', async () => {
    await expect(deleteRunFolder(ws, 'no-such-run')).rejects.toMatchObject({ code: 'not-found' });
    await expect(deleteRunFolder(ws, '../datasets')).rejects.toMatchObject({ code: 'invalid-argument' });
  });

  it('an interrupted removal never shows in the list, and the sweep finishes it', async () => {
    const { id } = await runWithCheckpoint();
    await expect(deleteRunFolder(ws, id, cutShortRemoval)).rejects.toThrow(/EIO/);
    // the half-removed folder is hidden: neither a run nor an unreadable folder
    expect(await listRuns(ws)).toEqual({ runs: [], unreadable: [] });
    const left = await readdir(runsRoot(ws));
    expect(left).toHaveLength(1);
    expect(left[0].startsWith(`${DELETING_PREFIX}${id}-`)).toBe(true);
    expect(await sweepRunLeftovers(ws)).toEqual(left);
    expect(await readdir(runsRoot(ws))).toEqual([]);
  });

  it('removing in place (without the rename) would list the half-removed run as unreadable', async () => {
    const { dir } = await runWithCheckpoint();
    await cutShortRemoval.rm(dir, { recursive: true }).catch(() => undefined);
    expect((await listRuns(ws)).unreadable).toHaveLength(1);
  });

  it('a write into a deleted run (an export, a live model) fails instead of making the folder again', async () => {
    const { id, dir } = await runWithCheckpoint();
    await deleteRunFolder(ws, id);
    await expect(writeFileAtomic(join(dir, 'exports', 'late.onnx'), 'bytes', undefined, { within: dir })).rejects.toMatchObject({ code: 'not-found' });
    expect(await readdir(runsRoot(ws))).toEqual([]);
    // without the bound, the write brings back a folder that lists as a damaged run
    await writeFileAtomic(join(dir, 'exports', 'late.onnx'), 'bytes');
    expect((await listRuns(ws)).unreadable).toHaveLength(1);
  });

  it('sweeps a stale staging folder of a crashed create but not a fresh one (a create under way)', async () => {
    const root = runsRoot(ws);
    await mkdir(join(root, `${CREATING_PREFIX}old`), { recursive: true });
    await mkdir(join(root, `${CREATING_PREFIX}new`));
    const old = (Date.now() - STALE_STAGING_MS - 1000) / 1000;
    await utimes(join(root, `${CREATING_PREFIX}old`), old, old);
    expect(await sweepRunLeftovers(ws)).toEqual([`${CREATING_PREFIX}old`]);
    expect(await readdir(root)).toEqual([`${CREATING_PREFIX}new`]);
    expect(await sweepRunLeftovers(join(ws, 'elsewhere'))).toEqual([]);
  });
});
