// Tests of the import store against a fake API: upload in steps, progress, cancel, preview, a malformed file's message, save then open, delete, MNIST.
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { watch } from 'vue';
import { StudioError } from '../../../src-core/errors';
import { parseDataFile } from '../../../src-core/io/data-file';
import { datasetStats } from '../../../src-core/io/dataset-array';
import type { ImportParams, ImportPreview } from '../../../src-core/api/methods/datasets';
import type { SavedDataset } from '../../../src-core/api/contract';
import { FakeApi } from '../../../test/support/fake-api';
import { useDatasetsStore } from './datasets.store';
import { OPEN_MAX_IMAGES, OPEN_MAX_POINTS, UPLOAD_STEP_BYTES, useImportStore, type ImportStep } from './import.store';

const STATS = { scaled: 'none', axis: 'feature', mean: [0, 0, 0], std: [1, 1, 1], min: [-1, -1, -1], max: [1, 1, 1] } as const;

function preview(rows: number): ImportPreview {
  return { format: 'csv', shape: [40, 3], stats: { ...STATS, mean: [...STATS.mean], std: [...STATS.std], min: [...STATS.min], max: [...STATS.max] }, head: new Float32Array(rows * 3), headLabels: null, classes: null, labelColumn: null, header: ['a', 'b', 'c'], notes: ['row 1 read as a header'] };
}

function meta(id: string, name: string, shape = [40, 3]): SavedDataset {
  return { id, name, source: { id: 'csv', file: 'points.csv' }, shape, createdAt: '2025-01-01T00:00:00.000Z' };
}

/** A fake of the studio's upload store: chunks appended in order, the bytes kept by upload id. */
function withUploads(api: FakeApi, uploads = new Map<string, { size: number; parts: Uint8Array[] }>()): FakeApi {
  let n = 0;
  return api
    .handle('datasets.uploadStart', (p) => {
      const uploadId = (++n).toString(16).padStart(16, '0');
      uploads.set(uploadId, { size: p.size, parts: [] });
      return { uploadId, chunkBytes: 4 << 20 };
    })
    .handle('datasets.uploadChunk', (p) => {
      const u = uploads.get(p.uploadId);
      if (!u) throw new StudioError('not-found', `there is no upload '${p.uploadId}'`);
      u.parts.push(p.bytes.slice());
      return { received: u.parts.reduce((a, b) => a + b.length, 0) };
    })
    .handle('datasets.uploadDiscard', (p) => ({ uploadId: p.uploadId, discarded: uploads.delete(p.uploadId) }));
}

/** The bytes an upload holds. */
function uploadedBytes(api: FakeApi, uploadId: string): Uint8Array {
  const chunks = api.calls.filter((c) => c.method === 'datasets.uploadChunk' && (c.params as { uploadId: string }).uploadId === uploadId).map((c) => (c.params as { bytes: Uint8Array }).bytes);
  const out = new Uint8Array(chunks.reduce((a, b) => a + b.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

function fakeApi(): FakeApi {
  return withUploads(new FakeApi())
    .handle('datasets.import', (p) => ({ preview: preview(16), saved: p.preview ? null : meta('s1', p.name) }))
    .handle('datasets.load', (p) => ({ id: p.id, shape: [40, 3], total: 40, data: new Float32Array(120).fill(1), labels: null, classes: null }))
    .handle('datasets.delete', (p) => ({ id: p.id }))
    .handle('datasets.mnist', (p) => meta('m1', 'MNIST', [p.count ?? 1, 1, 28, 28]));
}

const bytes = new Uint8Array([97, 44, 98, 10]);
/** A picked file, as the page's file input gives it. */
const file = (fileName: string, contents: Uint8Array<ArrayBuffer>) => ({ kind: 'file' as const, fileName, file: new Blob([contents]) });
const UPLOADED = expect.stringMatching(/^[0-9a-f]{16}$/);
const NAMED = expect.stringMatching(/^import-/);

/** Waits (a few turns at most) until a condition holds. */
async function until(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 0));
  expect(ok()).toBe(true);
}
const importCalls = (api: FakeApi) => api.calls.filter((c) => c.method === 'datasets.import').map((c) => c.params as ImportParams);

describe('import store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('previews a file: uploads it and sends its upload and name with preview (a vector set spread over up to OPEN_MAX_POINTS rows), shows the rows and notes', async () => {
    const api = fakeApi();
    const store = useImportStore();
    store.init(api);
    await store.preview(file('points.csv', bytes));
    expect(importCalls(api)[0]).toEqual({ name: 'points.csv', preview: true, previewPoints: OPEN_MAX_POINTS, upload: UPLOADED, importId: NAMED, fileName: 'points.csv' });
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
    await store.preview(file('bad.csv', bytes));
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
    expect(importCalls(api)[0]).toEqual({ name: 'digits', preview: true, previewPoints: OPEN_MAX_POINTS, files, fileName: 'digits', importId: NAMED });
  });

  it('saves without preview under the trimmed name, lists it, then shows all of its rows', async () => {
    const api = fakeApi();
    const store = useImportStore();
    const datasets = useDatasetsStore();
    store.init(api);
    await store.preview(file('points.csv', bytes));
    await store.save('  my points ');
    expect(importCalls(api)[1]).toEqual({ name: 'my points', upload: UPLOADED, importId: NAMED, fileName: 'points.csv' });
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
    const first = store.preview(file('old.csv', bytes));
    await store.preview(file('new.csv', bytes));
    release();
    await first;
    expect(store.shown?.title).toBe('new.csv');
    expect(store.shown?.rows).toBe(4);
  });

  it('uploads a file in steps of UPLOAD_STEP_BYTES with its progress, keeps it for the save, and discards it after', async () => {
    const big = new Uint8Array(2 * UPLOAD_STEP_BYTES + 5).map((_, i) => i & 255);
    const api = fakeApi();
    const store = useImportStore();
    store.init(api);
    const seen: (ImportStep | null)[] = [];
    const stop = watch(() => store.step, (s) => seen.push(s), { flush: 'sync' });
    await store.preview(file('big.csv', big));
    stop();
    const chunks = api.calls.filter((c) => c.method === 'datasets.uploadChunk').map((c) => c.params as { offset: number; bytes: Uint8Array });
    expect(chunks.map((c) => [c.offset, c.bytes.length])).toEqual([[0, UPLOAD_STEP_BYTES], [UPLOAD_STEP_BYTES, UPLOAD_STEP_BYTES], [2 * UPLOAD_STEP_BYTES, 5]]);
    const uploadId = importCalls(api)[0].upload ?? '';
    expect(Array.from(uploadedBytes(api, uploadId))).toEqual(Array.from(big));
    expect(seen.filter((s) => s?.stage === 'uploading').map((s) => s?.done)).toEqual([0, UPLOAD_STEP_BYTES, 2 * UPLOAD_STEP_BYTES]);
    expect(store.step).toBeNull();
    await store.save('big');
    expect(api.calls.filter((c) => c.method === 'datasets.uploadStart').length).toBe(1);
    expect(importCalls(api)[1]).toMatchObject({ name: 'big', upload: uploadId });
    expect(api.calls.find((c) => c.method === 'datasets.uploadDiscard')?.params).toEqual({ uploadId });
  });

  it("follows its own import's progress events, not another's", async () => {
    const api = fakeApi();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    api.handle('datasets.import', async (p) => {
      await held;
      return { preview: preview(16), saved: p.preview ? null : meta('s1', p.name) };
    });
    const store = useImportStore();
    store.init(api);
    const running = store.preview({ kind: 'path', fileName: 'big.csv', path: '/data/big.csv' });
    await until(() => importCalls(api).length === 1);
    const importId = importCalls(api)[0].importId ?? '';
    expect(importCalls(api)[0]).toEqual({ name: 'big.csv', preview: true, previewPoints: OPEN_MAX_POINTS, path: '/data/big.csv', importId });
    expect(store.cancellable).toBe(true);
    api.emit('datasets.importProgress', { importId: 'someone-else', phase: 'reading', done: 9, total: 10, unit: 'bytes', rows: 9 });
    expect(store.step).toBeNull();
    api.emit('datasets.importProgress', { importId, phase: 'reading', done: 41, total: 100, unit: 'bytes', rows: 1_200_000 });
    expect(store.step).toEqual({ stage: 'reading', done: 41, total: 100, unit: 'bytes', rows: 1_200_000 });
    release();
    await running;
    expect(store.step).toBeNull();
    expect(store.cancellable).toBe(false);
    expect(api.calls.some((c) => c.method.startsWith('datasets.upload'))).toBe(false);
  });

  it('cancel during the upload stops sending, discards what was sent, and says cancelled, not failed', async () => {
    const api = fakeApi();
    const store = useImportStore();
    store.init(api);
    api.handle('datasets.uploadChunk', async (p) => {
      if (p.offset === UPLOAD_STEP_BYTES) void store.cancel();
      return { received: p.offset + p.bytes.length };
    });
    await store.preview(file('big.csv', new Uint8Array(4 * UPLOAD_STEP_BYTES)));
    expect(api.calls.filter((c) => c.method === 'datasets.uploadChunk').length).toBe(2);
    expect(api.calls.filter((c) => c.method === 'datasets.uploadDiscard').length).toBe(1);
    expect(importCalls(api)).toEqual([]);
    expect(store.cancelled).toBe('preview');
    expect(store.error).toBeNull();
    expect(store.busy).toBeNull();
    expect(store.shown).toBeNull();
  });

  it('cancel during the import asks the studio to stop it by name; a cancelled save keeps the preview to save again', async () => {
    const api = fakeApi();
    const store = useImportStore();
    store.init(api);
    await store.preview(file('points.csv', bytes));
    let stop!: () => void;
    api.handle('datasets.import', (p) => new Promise((_, reject) => (stop = () => reject(new StudioError('cancelled', `the import ${p.importId} was cancelled`)))));
    api.handle('datasets.importCancel', (p) => {
      stop();
      return { importId: p.importId, cancelled: true };
    });
    const saving = store.save('points');
    await until(() => importCalls(api).length === 2);
    await store.cancel();
    await saving;
    expect(api.calls.find((c) => c.method === 'datasets.importCancel')?.params).toEqual({ importId: importCalls(api)[1].importId });
    expect(store.cancelled).toBe('save');
    expect(store.error).toBeNull();
    expect(store.shown?.origin).toBe('preview');
    expect(store.canSave).toBe(true);
    expect(api.calls.some((c) => c.method === 'datasets.uploadDiscard')).toBe(false);
  });

  it('fail shows a message found before sending', () => {
    const store = useImportStore();
    store.fail('None of the 2 files is a PNG or JPEG image');
    expect(store.error).toBe('None of the 2 files is a PNG or JPEG image');
  });

  describe('CSV choices', () => {
    /** A fake import that reads the bytes with the studio's own CSV reader, so wrong choices meet its real messages. */
    function readingApi(): FakeApi {
      const api: FakeApi = fakeApi().handle('datasets.import', (p) => {
        const a = parseDataFile(p.fileName ?? 'x', p.upload ? uploadedBytes(api, p.upload) : (p.bytes ?? new Uint8Array(0)), { delimiter: p.delimiter, header: p.header, labelColumn: p.labelColumn });
        const d = a.shape[1];
        const stats = { scaled: 'none' as const, axis: 'feature' as const, ...datasetStats(a.data, a.shape) };
        const head = a.data.slice(0, Math.min(16, a.shape[0]) * d);
        const pre: ImportPreview = { format: a.format, shape: [...a.shape], stats, head, headLabels: a.labels?.slice(0, 16) ?? null, classes: a.classes ? [...a.classes] : null, labelColumn: a.labelColumn ?? null, header: a.header ? [...a.header] : null, notes: [...a.notes] };
        return { preview: pre, saved: p.preview ? null : meta('s1', p.name, [...a.shape]) };
      });
      return api;
    }
    const text = (s: string) => new Uint8Array(new TextEncoder().encode(s));
    /** Semicolons, decimal commas, a header, and class numbers in the last column. */
    const SEMI = text('a;b;class\n0,5;1;0\n1,5;2;1\n2,5;3;2\n3,5;4;1\n');

    it('sends nothing by default, each changed choice reads the file again with it, and save uses them', async () => {
      const api = readingApi();
      const store = useImportStore();
      store.init(api);
      await store.preview(file('semi.csv', SEMI));
      expect(store.isCsv).toBe(true);
      expect(importCalls(api)[0]).toEqual({ name: 'semi.csv', preview: true, previewPoints: OPEN_MAX_POINTS, upload: UPLOADED, importId: NAMED, fileName: 'semi.csv' });
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
      expect(importCalls(api).at(-1)).toEqual({ name: 'semi', upload: UPLOADED, importId: NAMED, fileName: 'semi.csv', delimiter: ';', header: true, labelColumn: 3 });
      expect(store.isCsv).toBe(false);
    });

    it('a label column of non-integers shows the located message, marks that choice and clears the preview; none reads it again', async () => {
      const store = useImportStore();
      store.init(readingApi());
      await store.preview(file('semi.csv', SEMI));
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
      await store.preview(file('semi.csv', SEMI));
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
      await store.preview(file('semi.csv', SEMI));
      await store.setCsv({ delimiter: ';', labelColumn: 3 });
      await store.preview(file('rows.json', text('[[1, 2], [3, 4]]')));
      expect(store.csv).toEqual({ delimiter: 'auto', header: 'auto', labelColumn: null });
      expect(store.isCsv).toBe(false);
      expect(store.columns).toBeNull();
      expect(importCalls(api).at(-1)).toEqual({ name: 'rows.json', preview: true, previewPoints: OPEN_MAX_POINTS, upload: UPLOADED, importId: NAMED, fileName: 'rows.json' });
    });
  });
});
