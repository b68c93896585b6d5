// The run store: create, update, load and list runs; damaged files are reported by name, never read as wrong values.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StudioError } from '../../src-core/errors';
import { parseTrainingConfig } from '../../src-core/training/config';
import { configHash, createRun, listRuns, loadRun, runDir, updateRun } from './run-store';

let ws: string;
beforeEach(async () => {
  ws = await mkdtemp(join(tmpdir(), 'runs-'));
});
afterEach(async () => {
  await rm(ws, { recursive: true, force: true });
});

describe('run store', () => {
  it('creates a run with its full config and a status record', async () => {
    const { id, dir } = await createRun(ws, { steps: 500, seed: 7 }, 'first');
    expect(dir).toBe(runDir(ws, id));
    expect((await readdir(dir)).sort()).toEqual(['config.json', 'run.json']);
    const run = await loadRun(dir);
    expect(run.config).toEqual(parseTrainingConfig({ steps: 500, seed: 7 }));
    expect(run.record).toMatchObject({ id, name: 'first', status: 'created', lastStep: 0, backend: null, error: null });
    expect(JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')).seed).toBe(7);
  });

  it('refuses an invalid config before creating anything', async () => {
    await expect(createRun(ws, { steps: -1 })).rejects.toThrow(/steps/);
    expect((await listRuns(ws)).runs).toEqual([]);
  });

  it('updates the status record atomically and validates the change', async () => {
    const { dir } = await createRun(ws, {});
    const started = new Date().toISOString();
    await updateRun(dir, { status: 'running', startedAt: started, backend: { name: 'wasm', reason: 'tfjs-node is not installed' } });
    const r = await updateRun(dir, { status: 'failed', lastStep: 1200, error: 'loss is NaN at step 1201' });
    expect(r).toMatchObject({ status: 'failed', startedAt: started, lastStep: 1200, backend: { name: 'wasm' } });
    expect((await loadRun(dir)).record).toEqual(r);
    await expect(updateRun(dir, { status: 'exploded' as 'failed' })).rejects.toThrow(/status/);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('hashes configs independently of key order', () => {
    const a = parseTrainingConfig({ steps: 10 });
    const b = JSON.parse(JSON.stringify({ ...a, steps: undefined, batchSize: undefined }));
    expect(configHash(parseTrainingConfig({ ...b, batchSize: a.batchSize, steps: 10 }))).toBe(configHash(a));
    expect(configHash(parseTrainingConfig({ steps: 11 }))).not.toBe(configHash(a));
  });

  it('names the damaged file and the problem', async () => {
    const { dir } = await createRun(ws, {});
    const config = join(dir, 'config.json');
    const good = await readFile(config, 'utf8');
    await writeFile(config, good.replace('"steps": 20000', '"steps": 20001'));
    await expect(loadRun(dir)).rejects.toThrow(/config\.json does not match the hash in run\.json/);
    await writeFile(config, good.replace('"steps": 20000', '"steps": "many"'));
    await expect(loadRun(dir)).rejects.toThrow(/config\.json is damaged: .*steps/);
    await writeFile(config, good);
    await writeFile(join(dir, 'run.json'), '{"schemaVersion":1,');
    const err = await loadRun(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StudioError);
    expect((err as StudioError).message).toMatch(/run\.json is damaged: not JSON/);
    await rm(join(dir, 'run.json'));
    await expect(loadRun(dir)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('lists runs oldest first and reports unreadable folders instead of failing', async () => {
    const a = await createRun(ws, {}, 'a');
    const b = await createRun(ws, { seed: 1 }, 'b');
    await mkdir(join(ws, 'runs', 'stray-folder'));
    await writeFile(join(a.dir, 'config.json'), '[');
    await writeFile(join(ws, 'runs', 'note.txt'), 'not a run');
    const { runs, unreadable } = await listRuns(ws);
    expect(runs.map((r) => r.record.name)).toEqual(['b']);
    expect(runs[0].id).toBe(b.id);
    expect(unreadable.map((u) => u.dir).sort()).toEqual([a.dir, join(ws, 'runs', 'stray-folder')].sort());
    expect(unreadable.find((u) => u.dir === a.dir)!.error).toMatch(/config\.json is damaged/);
  });

  it('lists an empty workspace and refuses ids that leave the runs folder', async () => {
    expect(await listRuns(ws)).toEqual({ runs: [], unreadable: [] });
    expect(() => runDir(ws, '../x')).toThrow(/not a run id/);
  });
});
