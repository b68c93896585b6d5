// Tests of the import store against a fake API: preview, a malformed file's message, save then open, delete, MNIST.
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { StudioError } from '../../src-core/errors';
import { parseDataFile } from '../../src-core/io/data-file';
import { datasetStats } from '../../src-core/io/dataset-array';
import type { ImportParams, ImportPreview } from '../../src-core/api/methods/datasets';
import type { SavedDataset } from '../../src-core/api/contract';
import { FakeApi } from './fake-api';
import { useDatasetsStore } from './datasets.store';
import { OPEN_MAX_IMAGES, OPEN_MAX_POINTS, useImportStore } from './import.store';

const STATS = { scaled: 'none', axis: 'feature', mean: [0, 0, 0], std: [1, 1, 1], min: [-1, -1, -1], max: [1, 1, 1] } as const;

function preview(rows: number): ImportPreview {
  return { format: 'csv', shape: [40, 3], stats: { ...STATS, mean: [...STATS.mean], std: [...STATS.std], min: [...STATS.min], max: [...STATS.max] }, head: new Float32Array(rows * 3), headLabels: null, classes: null, labelColumn: null, header: ['a', 'b', 'c'], notes: ['row 1 read as a header'] };
}

function meta(id: string, name: string, shape = [40, 3]): SavedDataset {
  return { id, name, source: { id: 'csv', file: 'points.csv' }, shape, createdAt: '2025-01-01T00:00:00.000Z' };
}

function fakeApi(): FakeApi {
  return new FakeApi()
    .handle('datasets.import', (p) => ({ preview: preview(16), saved: p.preview ? null : meta('s1', p.name) }))
    .handle('datasets.load', (p) => ({ id: p.id, shape: [40, 3], total: 40, data: new Float32Array(120).fill(1), labels: null, classes: null }))
    .handle('datasets.delete', (p) => ({ id: p.id }))
    .handle('datasets.mnist', (p) => meta('m1', 'MNIST', [p.count ?? 1, 1, 28, 28]));
}

const bytes = new Uint8Array([97, 44, 98, 10]);
const importCalls = (api: FakeApi) => api.calls.filter((c) => c.method === 'datasets.import').map((c) => c.params as ImportParams);

describe('import store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('previews a file: sends its bytes and name with preview (a vector set spread over up to OPEN_MAX_POINTS rows), shows the rows and notes', async () => {
    const api = fakeApi();
    const store = useImportStore();
    store.init(api);
    await store.preview({ kind: 'file', fileName: 'points.csv', bytes });
    expect(importCalls(api)[0]).toEqual({ name: 'points.csv', preview: true, previewPoints: OPEN_MAX_POINTS, bytes, fileName: 'points.csv' });
    expect(store.shown).toMatchObject({ origin: 'preview', title: 'points.csv', shape: [40, 3], rows: 16, picked: 'spaced', header: ['a', 'b', 'c'], notes: ['row 1 read as a header'] });
    expect(store.canSave).toBe(true);
    expect(store.error).toBeNull();
  });

  it("a malformed file leaves the studio's message, naming the place, and nothing to save", async () => {
    const api = fakeApi().handle('datasets.import', () => {
      throw new StudioError('invalid-argument', 'bad.csv: row 3, column 2: "x" is not a number');
    });
    const store = useImportStore();
    store.init(api);
    await store.preview({ kind: 'file', fileName: 'bad.csv', bytes });
    expect(store.error).toBe('bad.csv: row 3, column 2: "x" is not a number');
    expect(store.shown).toBeNull();
    expect(store.canSave).toBe(false);
    expect(store.busy).toBeNull();
  });

  it('sends a folder as files under its name', async () => {
    const api = fakeApi();
    const store = useImportStore();
    store.init(api);
    const files = [{ path: '3/a.png', bytes }];
    await store.preview({ kind: 'folder', fileName: 'digits', files });
    expect(importCalls(api)[0]).toEqual({ name: 'digits', preview: true, previewPoints: OPEN_MAX_POINTS, files, fileName: 'digits' });
  });

  it('saves without preview under the trimmed name, lists it, then shows all of its rows', async () => {
    const api = fakeApi();
    const store = useImportStore();
    const datasets = useDatasetsStore();
    store.init(api);
    await store.preview({ kind: 'file', fileName: 'points.csv', bytes });
    await store.save('  my points ');
    expect(importCalls(api)[1]).toEqual({ name: 'my points', bytes, fileName: 'points.csv' });
    expect(datasets.saved.map((s) => s.id)).toEqual(['s1']);
    expect(api.calls.at(-1)).toEqual({ method: 'datasets.load', params: { id: 's1', maxPoints: OPEN_MAX_POINTS } });
    expect(store.shown).toMatchObject({ origin: 'saved', savedId: 's1', rows: 40, shape: [40, 3], picked: 'all' });
    expect(store.lastSaved?.id).toBe('s1');
    expect(store.canSave).toBe(false);
  });

  it('deleting the open set clears it and drops it from the list; a failed delete reports why', async () => {
    const api = fakeApi();
    const store = useImportStore();
    const datasets = useDatasetsStore();
    store.init(api);
    datasets.noteSaved(meta('s1', 'first'));
    await store.open(meta('s1', 'first'));
    await store.remove('s1');
    expect(store.shown).toBeNull();
    expect(datasets.saved).toEqual([]);
    api.handle('datasets.delete', () => {
      throw new StudioError('not-found', "no data set 'zz'");
    });
    await store.remove('zz');
    expect(store.error).toBe("no data set 'zz'");
  });

  it('MNIST: saves the chosen digits (all ten: none named) and opens them as images', async () => {
    const api = fakeApi().handle('datasets.load', (p) => ({ id: p.id, shape: [8, 1, 28, 28], total: 8, data: new Float32Array(8 * 784), labels: Int32Array.from([0, 1, 0, 1, 0, 1, 0, 1]), classes: ['0', '1'] }));
    const store = useImportStore();
    store.init(api);
    await store.importMnist(8, [0, 1]);
    expect(api.calls.find((c) => c.method === 'datasets.mnist')?.params).toEqual({ count: 8, digits: [0, 1] });
    expect(api.calls.at(-1)?.params).toEqual({ id: 'm1', maxPoints: OPEN_MAX_IMAGES });
    expect(store.shown?.shape).toEqual([8, 1, 28, 28]);
    expect(store.shown?.labels?.length).toBe(8);
    await store.importMnist(5, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(api.calls.filter((c) => c.method === 'datasets.mnist').at(-1)?.params).toEqual({ count: 5 });
  });

  it('a reply to an older request is dropped', async () => {
    const api = fakeApi();
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    api.handle('datasets.import', async (p) => {
      if (p.fileName === 'old.csv') await slow;
      return { preview: { ...preview(p.fileName === 'old.csv' ? 2 : 4) }, saved: null };
    });
    const store = useImportStore();
    store.init(api);
    const first = store.preview({ kind: 'file', fileName: 'old.csv', bytes });
    await store.preview({ kind: 'file', fileName: 'new.csv', bytes });
    release();
    await first;
    expect(store.shown?.title).toBe('new.csv');
    expect(store.shown?.rows).toBe(4);
  });

  it('fail shows a message found before sending', () => {
    const store = useImportStore();
    store.fail('None of the 2 files is a PNG or JPEG image');
    expect(store.error).toBe('None of the 2 files is a PNG or JPEG image');
  });

  describe('CSV choices', () => {
    /** A fake import that reads the bytes with the studio's own CSV reader, so wrong choices meet its real messages. */
    function readingApi(): FakeApi {
      return fakeApi().handle('datasets.import', (p) => {
        const a = parseDataFile(p.fileName ?? 'x', p.bytes ?? new Uint8Array(0), { delimiter: p.delimiter, header: p.header, labelColumn: p.labelColumn });
        const d = a.shape[1];
        const stats = { scaled: 'none' as const, axis: 'feature' as const, ...datasetStats(a.data, a.shape) };
        const head = a.data.slice(0, Math.min(16, a.shape[0]) * d);
        const pre: ImportPreview = { format: a.format, shape: [...a.shape], stats, head, headLabels: a.labels?.slice(0, 16) ?? null, classes: a.classes ? [...a.classes] : null, labelColumn: a.labelColumn ?? null, header: a.header ? [...a.header] : null, notes: [...a.notes] };
        return { preview: pre, saved: p.preview ? null : meta('s1', p.name, [...a.shape]) };
      });
    }
    const text = (s: string) => new Uint8Array(new TextEncoder().encode(s));
    /** Semicolons, decimal commas, a header, and class numbers in the last column. */
    const SEMI = text('a;b;class\n0,5;1;0\n1,5;2;1\n2,5;3;2\n3,5;4;1\n');

    it('sends nothing by default, each changed choice reads the file again with it, and save uses them', async () => {
      const api = readingApi();
      const store = useImportStore();
      store.init(api);
      await store.preview({ kind: 'file', fileName: 'semi.csv', bytes: SEMI });
      expect(store.isCsv).toBe(true);
      expect(importCalls(api)[0]).toEqual({ name: 'semi.csv', preview: true, previewPoints: OPEN_MAX_POINTS, bytes: SEMI, fileName: 'semi.csv' });
      expect(store.columns).toEqual([{ number: 1, name: 'a' }, { number: 2, name: 'b' }, { number: 3, name: 'class' }]);
      await store.setCsv({ delimiter: ';' });
      await store.setCsv({ header: 'yes' });
      await store.setCsv({ labelColumn: 3 });
      expect(importCalls(api).slice(1).map(({ delimiter, header, labelColumn }) => ({ delimiter, header, labelColumn }))).toEqual([
        { delimiter: ';', header: undefined, labelColumn: undefined },
        { delimiter: ';', header: true, labelColumn: undefined },
        { delimiter: ';', header: true, labelColumn: 3 },
      ]);
      expect(store.error).toBeNull();
      expect(store.shown?.shape).toEqual([4, 2]);
      expect(Array.from(store.shown?.labels ?? [])).toEqual([0, 1, 2, 1]);
      expect(store.shown?.header).toEqual(['a', 'b']);
      expect(store.columns?.map((c) => c.name)).toEqual(['a', 'b', 'class']);
      await store.save('semi');
      expect(importCalls(api).at(-1)).toEqual({ name: 'semi', bytes: SEMI, fileName: 'semi.csv', delimiter: ';', header: true, labelColumn: 3 });
      expect(store.isCsv).toBe(false);
    });

    it('a label column of non-integers shows the located message, marks that choice and clears the preview; none reads it again', async () => {
      const store = useImportStore();
      store.init(readingApi());
      await store.preview({ kind: 'file', fileName: 'semi.csv', bytes: SEMI });
      await store.setCsv({ labelColumn: 1 });
      expect(store.error).toBe('semi.csv: row 2, column 1: label 0.5 is not a whole number >= 0');
      expect(store.csvFault).toBe('labelColumn');
      expect(store.shown).toBeNull();
      expect(store.canSave).toBe(false);
      expect(store.columns?.map((c) => c.name)).toEqual(['a', 'b', 'class']);
      await store.setCsv({ labelColumn: null });
      expect(store.error).toBeNull();
      expect(store.csvFault).toBeNull();
      expect(store.shown?.shape).toEqual([4, 3]);
      expect(store.canSave).toBe(true);
    });

    it('a wrong delimiter or header choice gives the reader\'s message naming the row, not a label fault', async () => {
      const store = useImportStore();
      store.init(readingApi());
      await store.preview({ kind: 'file', fileName: 'semi.csv', bytes: SEMI });
      await store.setCsv({ header: 'no' });
      expect(store.error).toBe('semi.csv: row 1, column 1: "a" is not a number');
      expect(store.csvFault).toBeNull();
      await store.setCsv({ header: 'auto', delimiter: ',' });
      expect(store.error).toMatch(/^semi\.csv: row 2 has 2 columns, the header \(row 1\) has 1 \(comma-separated\)$/);
    });

    it('a new file starts from the defaults, and other formats get no CSV choices', async () => {
      const api = readingApi();
      const store = useImportStore();
      store.init(api);
      await store.preview({ kind: 'file', fileName: 'semi.csv', bytes: SEMI });
      await store.setCsv({ delimiter: ';', labelColumn: 3 });
      await store.preview({ kind: 'file', fileName: 'rows.json', bytes: text('[[1, 2], [3, 4]]') });
      expect(store.csv).toEqual({ delimiter: 'auto', header: 'auto', labelColumn: null });
      expect(store.isCsv).toBe(false);
      expect(store.columns).toBeNull();
      expect(importCalls(api).at(-1)).toEqual({ name: 'rows.json', preview: true, previewPoints: OPEN_MAX_POINTS, bytes: expect.any(Uint8Array), fileName: 'rows.json' });
    });
  });
});
