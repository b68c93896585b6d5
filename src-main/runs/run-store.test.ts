// The run store: create, update, load and list runs; damaged files are reported by name, never read as wrong values.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTrainingConfig } from '../../src-core/training/config';
import { writeCheckpoint } from './checkpoint-store';
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
    const { id, dir } = await createRun(ws, parseTrainingConfig({ steps: 500, seed: 7 }), 'first');
    expect(dir).toBe(runDir(ws, id));
    expect((await readdir(dir)).sort()).toEqual(['config.json', 'run.json']);
    const run = await loadRun(dir);
    expect(run.config).toEqual(parseTrainingConfig({ steps: 500, seed: 7 }));
    expect(run.record).toMatchObject({ id, name: 'first', status: 'created', lastStep: 0, backend: null, error: null });
    expect(JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')).seed).toBe(7);
  });

  it('refuses an invalid config before creating anything (the config is checked where it enters, and the store writes it as given)', async () => {
    await expect(async () => createRun(ws, parseTrainingConfig({ steps: -1 }))).rejects.toThrow(/steps/);
    expect((await listRuns(ws)).runs).toEqual([]);
  });

  it('updates the status record atomically and validates the change', async () => {
    const { dir } = await createRun(ws, parseTrainingConfig({}));
    const started = new Date().toISOString();
    await updateRun(dir, { status: 'running', startedAt: started, backend: { name: 'wasm', device: 'WebAssembly', how: 'auto', tried: [{ name: 'tensorflow', reason: 'tfjs-node is not installed', fix: null }] } });
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
    const { dir } = await createRun(ws, parseTrainingConfig({}));
    const config = join(dir, 'config.json');
    const good = await readFile(config, 'utf8');
    await writeFile(config, good.replace('"steps": 20000', '"steps": 20001'));
    await expect(loadRun(dir)).rejects.toThrow(/config\.json does not match the hash in run\.json/);
    await writeFile(config, good.replace('"steps": 20000', '"steps": "many"'));
    await expect(loadRun(dir)).rejects.toThrow(/config\.json is damaged: .*steps/);
  });

  it('rebuilds a truncated or missing run.json from config.json and the checkpoints, keeping what still reads', async () => {
    const { id, dir } = await createRun(ws, parseTrainingConfig({ steps: 500 }), 'two moons');
    const config = parseTrainingConfig((await loadRun(dir)).config);
    const zeros = new Float32Array(4);
    const ckpt = (step: number) => ({ step, weights: zeros, ema: zeros, optimiser: { step, m: zeros, v: zeros }, rng: {}, dataCursor: { epoch: 0, position: 0, permutationSeed: 1 }, configHash: configHash(config), backend: 'cpu' });
    await writeCheckpoint(dir, ckpt(0));
    await writeCheckpoint(dir, ckpt(300));
    const text = await readFile(join(dir, 'run.json'), 'utf8');
    await writeFile(join(dir, 'run.json'), text.slice(0, text.indexOf('"startedAt"')));
    const cut = await loadRun(dir);
    expect(cut.record).toMatchObject({ id, name: 'two moons', status: 'paused', lastStep: 300, backend: { name: 'cpu' } });
    expect(cut.notes.join()).toMatch(/run\.json is damaged: not JSON .*: rebuilt from config\.json and the checkpoint of step 300, with its name, createdAt kept/);
    expect(cut.record.error).toBe(cut.notes[0]);
    await rm(join(dir, 'run.json'));
    const missing = await loadRun(dir);
    expect(missing.record).toMatchObject({ id, name: id, status: 'paused', lastStep: 300 });
    expect(missing.notes.join()).toMatch(/run\.json does not exist: rebuilt/);
    // the first update writes the rebuilt record
    await updateRun(dir, { status: 'running' });
    expect((await loadRun(dir))).toMatchObject({ notes: [], record: { status: 'running', lastStep: 300 } });
    await writeCheckpoint(dir, ckpt(500));
    await rm(join(dir, 'run.json'));
    expect((await loadRun(dir)).record).toMatchObject({ status: 'completed', lastStep: 500 });
  });

  it('refuses to rebuild run.json under a config.json that its checkpoints were not trained under', async () => {
    const { dir } = await createRun(ws, parseTrainingConfig({ steps: 500 }));
    const zeros = new Float32Array(4);
    await writeCheckpoint(dir, { step: 10, weights: zeros, ema: zeros, optimiser: { step: 10, m: zeros, v: zeros }, rng: {}, dataCursor: { epoch: 0, position: 0, permutationSeed: 1 }, configHash: 'f'.repeat(64), backend: 'cpu' });
    await rm(join(dir, 'run.json'));
    await expect(loadRun(dir)).rejects.toThrow(/does not match the config its checkpoints were trained under/);
    await rm(join(dir, 'config.json'));
    await expect(loadRun(dir)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('lists runs oldest first and reports unreadable folders instead of failing', async () => {
    const a = await createRun(ws, parseTrainingConfig({}), 'a');
    const b = await createRun(ws, parseTrainingConfig({ seed: 1 }), 'b');
    await mkdir(join(ws, 'runs', 'stray-folder'));
    await mkdir(join(ws, 'runs', '.creating-abc'));
    await writeFile(join(a.dir, 'config.json'), '[');
    await writeFile(join(ws, 'runs', 'note.txt'), 'not a run');
    const { runs, unreadable } = await listRuns(ws);
    expect(runs.map((r) => r.record.name)).toEqual(['b']);
    expect(runs[0].id).toBe(b.id);
    expect(unreadable.map((u) => u.dir).sort()).toEqual([a.dir, join(ws, 'runs', 'stray-folder')].sort());
    expect(unreadable.find((u) => u.dir === a.dir)!.error).toMatch(/config\.json is damaged/);
  });

  it('loads a run.json written when the backend was one sentence, keeping that sentence whole as a note', async () => {
    const { id, dir } = await createRun(ws, parseTrainingConfig({ steps: 500 }), 'moons');
    const sentence = 'CPU, 2 threads: fastest backend that runs here: onnxruntime on CPU, 2 threads; skipped tensorflow-gpu: @tensorflow/tfjs-node-gpu is not installed (an optional dependency whose install downloads libtensorflow; here it was skipped or failed)';
    const old = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8'));
    await writeFile(join(dir, 'run.json'), JSON.stringify({ ...old, status: 'completed', lastStep: 500, backend: { name: 'onnxruntime', reason: sentence } }, null, 2));
    const run = await loadRun(dir);
    expect(run.notes).toEqual([]);
    expect(run.record).toMatchObject({ id, status: 'completed', lastStep: 500, backend: { name: 'onnxruntime', note: sentence } });
    expect((await listRuns(ws)).runs.map((r) => r.record.backend)).toEqual([{ name: 'onnxruntime', note: sentence }]);
    // the next update writes the note form; the sentence is never split into parts
    await updateRun(dir, { name: 'moons again' });
    expect(JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')).backend).toEqual({ name: 'onnxruntime', note: sentence });
    // anything else in that place is damage, not an older form
    await writeFile(join(dir, 'run.json'), JSON.stringify({ ...old, backend: { name: 'onnxruntime', reason: sentence, extra: 1 } }));
    expect((await loadRun(dir)).notes.join()).toMatch(/run\.json is damaged: backend/);
  });

  it('records a backend decision as data and reads it back as written', async () => {
    const { dir } = await createRun(ws, parseTrainingConfig({}));
    const backend = { name: 'wasm' as const, device: 'WebAssembly (SIMD, 1 thread)', how: 'auto' as const, tried: [{ name: 'onnxruntime' as const, reason: 'probe failed: boom', fix: null }] };
    await updateRun(dir, { status: 'running', backend });
    expect((await loadRun(dir)).record.backend).toEqual(backend);
    await expect(updateRun(dir, { backend: { ...backend, how: 'guessed' as 'auto' } })).rejects.toThrow(/backend/);
  });

  it('lists an empty workspace and refuses ids that leave the runs folder', async () => {
    expect(await listRuns(ws)).toEqual({ runs: [], unreadable: [] });
    expect(() => runDir(ws, '../x')).toThrow(/not a run id/);
  });
});
