// Import service end to end: files and folders on disk -> preview -> saved set that the training loader reads back unchanged.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeNpy } from '../../src-core/io/npy';
import { loadData } from '../../src-main/training/load-data';
import { MAX_LOAD_VALUES, newDatasetId, readDataset, readSpacedRows, writeDataset } from '../../src-main/datasets/dataset-folder';
import { runImportJob, type JobSource } from '../../src-main/datasets/import-job';
import { previewOf, saveImport, saveStaged } from '../../src-main/datasets/import-service';
import { loadMnist } from '../../src-main/datasets/mnist';
import { pngOf, rejection } from './fixtures';

let dir: string;
let workspace: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'studio-import-'));
  workspace = join(dir, 'workspace');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

let jobs = 0;

/** Runs an import job into a fresh staging folder of the workspace; the preview, and a save of it under a name. */
async function importFile(source: JobSource, options: Parameters<typeof runImportJob>[0]['options'] = {}) {
  const staging = join(workspace, '.imports', `job-${jobs++}`);
  await mkdir(staging, { recursive: true });
  const job = await runImportJob({ source, options, dir: staging, previewPoints: null });
  return { job, preview: previewOf(job), fileName: job.fileName, save: (name: string) => saveStaged(workspace, staging, job, name) };
}
const bytes = (text: string, fileName: string): JobSource => ({ kind: 'bytes', bytes: new TextEncoder().encode(text), fileName });

describe('import -> save -> training loader', () => {
  it('a CSV file comes back as the same float32 rows', async () => {
    const path = join(dir, 'points.csv');
    await writeFile(path, 'x,y\n0.1,2\n-3,4.25\n5,6e-3\n');
    const parsed = await importFile({ kind: 'path', path });
    expect(parsed.preview).toMatchObject({ format: 'csv', shape: [3, 2], header: ['x', 'y'], headLabels: null });
    expect(parsed.preview.stats.axis).toBe('feature');
    expect(parsed.preview.stats.mean[1]).toBeCloseTo((2 + 4.25 + 0.006) / 3, 6);
    const saved = await parsed.save('points');
    expect(saved.source).toEqual({ id: 'csv', file: 'points.csv' });
    expect(saved.normalisation?.scaled).toBe('none');
    const loaded = await loadData({ source: 'workspace', id: saved.id, normalise: 'none' }, workspace);
    expect(loaded.itemShape).toEqual([2]);
    expect(Array.from(loaded.rows.data)).toEqual(Array.from(Float32Array.from([0.1, 2, -3, 4.25, 5, 6e-3])));
    expect(loaded.rows.labels).toBeUndefined();
  });

  it('an image folder with class subfolders comes back with its pixels and labels', async () => {
    const root = join(dir, 'digits');
    for (const [cls, seeds] of [['3', [1, 2]], ['7', [3]]] as const) {
      await mkdir(join(root, cls), { recursive: true });
      for (const s of seeds) await writeFile(join(root, cls, `${s}.png`), pngOf(6, 5, 1, s));
    }
    await writeFile(join(root, '.DS_Store'), 'x');
    const parsed = await importFile({ kind: 'path', path: root });
    expect(parsed.preview).toMatchObject({ format: 'images', shape: [3, 1, 5, 6], classes: ['3', '7'] });
    const head = Array.from(parsed.preview.head);
    const saved = await parsed.save('digits');
    expect(saved.classes).toEqual(['3', '7']);
    expect(saved.normalisation?.scaled).toBe('unit-interval');
    expect(saved.normalisation?.axis).toBe('channel');
    const loaded = await loadData({ source: 'workspace', id: saved.id, normalise: 'none' }, workspace);
    expect(loaded.itemShape).toEqual([1, 5, 6]);
    expect(Array.from(loaded.rows.labels ?? [])).toEqual([0, 0, 1]);
    expect(Array.from(loaded.rows.data)).toEqual(head);
    expect(loaded.rows.data[1]).toBeCloseTo((7 + 1) / 255, 6);
  });

  it('a CSV label column comes back as labels.i32', async () => {
    const parsed = await importFile(bytes('x\ty\tk\n1\t2\t1\n3\t4\t0\n', 'l.tsv'), { labelColumn: 'k' });
    const saved = await parsed.save('l');
    expect(saved.classes).toEqual(['0', '1']);
    const loaded = await loadData({ source: 'workspace', id: saved.id, normalise: 'standardise' }, workspace);
    expect(Array.from(loaded.rows.labels ?? [])).toEqual([1, 0]);
    expect(Array.from(loaded.rows.data)).toEqual([-1, -1, 1, 1]);
  });

  it('uploaded bytes (an .npy file) save the same way', async () => {
    const data = Float64Array.from({ length: 12 }, (_, i) => i / 3);
    const parsed = await importFile({ kind: 'bytes', bytes: writeNpy({ dtype: 'float64', shape: [2, 2, 3], data }), fileName: '/etc/../x/arr.npy' });
    expect(parsed.fileName).toBe('arr.npy');
    const saved = await parsed.save('arr');
    const back = await readDataset(workspace, saved.id);
    expect(back.meta.shape).toEqual([2, 1, 2, 3]);
    expect(Array.from(back.data)).toEqual(Array.from(Float32Array.from(data)));
  });

  it('a failed import names the place and writes nothing but its staging folder (the service removes it)', async () => {
    const path = join(dir, 'bad.csv');
    await writeFile(path, '1,2\n3,4\n5,x\n');
    const err = await rejection(importFile({ kind: 'path', path }));
    expect(err.message).toBe('bad.csv: row 3, column 2: "x" is not a number');
    expect((await readdir(dir)).sort()).toEqual(['bad.csv', 'workspace']);
    expect(await readdir(workspace)).toEqual(['.imports']);
    expect((await rejection(importFile({ kind: 'path', path: join(dir, 'missing.csv') }))).code).toBe('not-found');
  });

  it('a save that fails midway leaves no data set behind', async () => {
    const parsed = await importFile(bytes('1,2\n', 'a.csv'));
    await writeFile(join(workspace, 'datasets'), 'a file where the folder should be');
    await rejection(parsed.save('a'));
    expect(await readFile(join(workspace, 'datasets'), 'utf8')).toBe('a file where the folder should be');
  });

  it('thins a large set to evenly spaced rows for previews', async () => {
    const parsed = await importFile(bytes(Array.from({ length: 10 }, (_, i) => `${i}`).join('\n'), 'a.csv'));
    const saved = await parsed.save('a');
    const rows = await readSpacedRows(workspace, saved.id, 4);
    expect(rows.shape).toEqual([4, 1]);
    expect(Array.from(rows.data)).toEqual([0, 2, 5, 7]);
  });

  it('picks spaced rows and their labels from the files, close or far apart, as from the whole set', async () => {
    // rows of 3 values whose first value is the row number: which rows came back, and whole, reads off the values
    const n = 700_000;
    const data = new Float32Array(3 * n).map((_, k) => (k % 3 === 0 ? Math.floor(k / 3) : k % 3 === 1 ? -1 : 0.5));
    const labels = new Int32Array(n).map((_, i) => i % 7);
    const id = newDatasetId();
    const meta = { id, name: 'rows', source: { id: 'npy' as const, file: 'rows.npy' }, shape: [n, 3], createdAt: new Date().toISOString(), classes: ['0', '1', '2', '3', '4', '5', '6'] };
    await writeDataset(workspace, meta, data, labels);
    const whole = await readDataset(workspace, id);
    for (const asked of [1, 3, 1000, 90_000, MAX_LOAD_VALUES, undefined]) {
      const rows = await readSpacedRows(workspace, id, asked);
      const m = Math.min(n, asked ?? n, Math.floor(MAX_LOAD_VALUES / 3));
      expect(rows.shape).toEqual([m, 3]);
      for (const i of [0, 1, Math.floor(m / 2), m - 1].filter((k) => k < m)) {
        const row = Math.floor((i * n) / m);
        expect(Array.from(rows.data.subarray(3 * i, 3 * i + 3))).toEqual(Array.from(whole.data.subarray(3 * row, 3 * row + 3)));
        expect(rows.labels?.[i]).toBe(row % 7);
      }
      for (let i = 1; i < m; i++) if (!(rows.data[3 * i] > rows.data[3 * (i - 1)])) throw new Error(`row ${i} out of order`);
    }
    await writeFile(join(workspace, 'datasets', id, 'data.f32'), new Uint8Array(12));
    await expect(readSpacedRows(workspace, id, 10)).rejects.toThrow(/data\.f32 holds 12 bytes; 700000 rows of 3 values need 8400000/);
  });
});

describe('MNIST', () => {
  it('gives [n, 1, 28, 28] in [0, 1] with balanced labels of the chosen digits', async () => {
    const set = await loadMnist({ count: 50, digits: [7, 3] });
    expect(set.shape).toEqual([50, 1, 28, 28]);
    expect(Array.from(set.labels ?? []).slice(0, 4)).toEqual([3, 7, 3, 7]);
    expect(Array.from(set.labels ?? []).filter((l) => l === 3)).toHaveLength(25);
    expect(Math.min(...set.data)).toBe(0);
    expect(Math.max(...set.data)).toBeLessThanOrEqual(1);
    expect(Math.max(...set.data.subarray(0, 784))).toBeGreaterThan(0.5);
    const saved = await saveImport(workspace, { format: 'images', fileName: 'mnist', array: set }, 'mnist', { id: 'mnist', digits: [3, 7] });
    const loaded = await loadData({ source: 'workspace', id: saved.id, normalise: 'none' }, workspace);
    expect(loaded.itemShape).toEqual([1, 28, 28]);
    expect(Array.from(loaded.rows.labels ?? [])).toEqual(Array.from(set.labels ?? []));
    expect(saved.classes).toHaveLength(10);
  });

  it('refuses more images than the package holds', async () => {
    expect((await rejection(loadMnist({ count: 5000, digits: [1] }))).message).toMatch(/^count 5000 is more than the \d+ images of digits 1 in the mnist package$/);
  });
});
