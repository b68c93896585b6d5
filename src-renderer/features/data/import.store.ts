// The import side of the Data section: a file (uploaded in chunks, or read where it lies on the desktop) or image folder previewed and saved with progress and cancel, saved sets opened and deleted, MNIST.
import { defineStore } from 'pinia';
import { computed, markRaw, readonly, ref, shallowRef } from 'vue';
import type { SavedDataset } from '../../../src-core/api/contract';
import type { DatasetStatsRecord, ImportParams, ImportPreview } from '../../../src-core/api/methods/datasets';
import type { StudioApi } from '../../../src-core/api/studio-api';
import { messageOf, StudioError } from '../../../src-core/errors';
import { csvParams, DEFAULT_CSV, faultyChoice, fileColumns, isCsvName, type CsvChoices, type FileColumn } from './csv-options';
import { useDatasetsStore } from './datasets.store';

/** What a person picked: one file (sent in chunks), a file's path on the studio's machine (the desktop app), or the image files of a folder (paths relative to it). */
export type ImportSource =
  | { readonly kind: 'file'; readonly fileName: string; readonly file: Blob }
  | { readonly kind: 'path'; readonly fileName: string; readonly path: string }
  | { readonly kind: 'folder'; readonly fileName: string; readonly files: readonly { path: string; bytes: Uint8Array<ArrayBuffer> }[] };

/** How far the running upload or import is: bytes sent, then the studio's own phases (datasets.importProgress). */
export interface ImportStep {
  readonly stage: 'uploading' | 'reading' | 'describing' | 'saving';
  readonly done: number;
  readonly total: number;
  readonly unit: 'bytes' | 'images' | 'values';
  /** Rows read so far (0 while uploading). */
  readonly rows: number;
}

/** A set on screen: an import's preview or a saved set loaded from the workspace (a vector set whole or evenly thinned, images the first few). */
export interface ShownSet {
  readonly origin: 'preview' | 'saved';
  readonly title: string;
  /** Shape of the whole set: [n, d] for vectors, [n, C, H, W] for images. */
  readonly shape: readonly number[];
  /** The rows on screen, flat in the set's layout. */
  readonly data: Float32Array;
  readonly rows: number;
  /** Which rows those are when not all of them: the first ones, or rows spaced evenly over the set. */
  readonly picked: 'all' | 'first' | 'spaced';
  readonly labels: Int32Array | null;
  readonly classes: readonly string[] | null;
  readonly header: readonly string[] | null;
  readonly stats: DatasetStatsRecord | null;
  readonly notes: readonly string[];
  /** The saved set's id (null for a preview). */
  readonly savedId: string | null;
}

/** Rows of a vector set shown, previewed or opened (evenly spaced over larger sets). */
export const OPEN_MAX_POINTS = 20_000;
/** Images asked for when a saved image set is opened. */
export const OPEN_MAX_IMAGES = 64;
/** Bytes of a file sent per call (or less when the studio asks): small enough that encoding one never holds up a frame. */
export const UPLOAD_STEP_BYTES = 256 << 10;

let imports = 0;
/** A fresh name for one import, to follow its progress and cancel it. */
function nextImportId(): string {
  return `import-${Date.now().toString(36)}-${++imports}`;
}


function fromPreview(p: ImportPreview, title: string): ShownSet {
  const rowSize = p.shape.slice(1).reduce((a, b) => a * b, 1);
  const rows = rowSize > 0 ? p.head.length / rowSize : 0;
  return {
    origin: 'preview',
    title,
    shape: p.shape,
    data: markRaw(p.head),
    rows,
    // the studio spreads a vector set's rows over it (previewPoints) and gives an image set's first ones
    picked: rows >= (p.shape[0] ?? 0) ? 'all' : p.shape.length === 2 ? 'spaced' : 'first',
    labels: p.headLabels,
    classes: p.classes,
    header: p.header,
    stats: p.stats,
    notes: p.notes,
    savedId: null,
  };
}

export const useImportStore = defineStore('import', () => {
  let api: StudioApi | null = null;
  let request = 0;
  let offProgress: (() => void) | null = null;

  const source = shallowRef<ImportSource | null>(null);
  const shown = shallowRef<ShownSet | null>(null);
  /** Bumped whenever shown is replaced, for the charts. */
  const version = ref(0);
  const busy = ref<'preview' | 'save' | 'open' | 'delete' | 'mnist' | null>(null);
  const error = ref<string | null>(null);
  const lastSaved = ref<SavedDataset | null>(null);
  /** How the picked CSV file is read; back to the defaults for each new file. */
  const csv = ref<CsvChoices>({ ...DEFAULT_CSV });
  /** The CSV file's columns (label column included) as last read, for the label picker. */
  const columns = shallowRef<readonly FileColumn[] | null>(null);
  /** The running upload's or import's progress; null when none runs. */
  const step = shallowRef<ImportStep | null>(null);
  /** True from a cancel until the request it stopped has ended. */
  const cancelling = ref(false);
  /** What was cancelled last ('preview' or 'save'), until the next request. */
  const cancelled = ref<'preview' | 'save' | null>(null);
  /** The file sent for the picked source, kept for the next read and the save; discarded when it is no longer needed. */
  let staged: { source: ImportSource; uploadId: string } | null = null;
  /** The request running now: its import's name once it has one, and whether cancel was asked. */
  let current: { request: number; importId: string | null; cancel: boolean } | null = null;

  const canSave = computed(() => source.value !== null && shown.value?.origin === 'preview' && busy.value === null);
  /** True while the picked source is a CSV file, whose reading can be tuned. */
  const isCsv = computed(() => source.value !== null && source.value.kind !== 'folder' && isCsvName(source.value.fileName));
  /** The CSV choice the current error is about, if any. */
  const csvFault = computed(() => (isCsv.value ? faultyChoice(error.value, csv.value) : null));
  /** True while an upload or import runs that cancel can stop. */
  const cancellable = computed(() => (busy.value === 'preview' || busy.value === 'save') && !cancelling.value);

  /** Connects the store to the API and follows the progress of this page's imports. */
  function init(next: StudioApi): void {
    offProgress?.();
    api = next;
    offProgress = next.on('datasets.importProgress', (p) => {
      if (current?.importId !== p.importId || current.cancel) return;
      step.value = { stage: p.phase, done: p.done, total: p.total, unit: p.unit, rows: p.rows };
    });
  }

  function show(next: ShownSet | null): void {
    shown.value = next;
    version.value++;
  }

  /** Runs one request; a newer one makes the older reply stale, a failure lands in error and a cancel in cancelled. */
  async function run<T>(kind: NonNullable<typeof busy.value>, work: (a: StudioApi) => Promise<T>): Promise<{ value: T } | null> {
    if (!api) return null;
    const mine = ++request;
    if (current) current.cancel = true;
    current = { request: mine, importId: null, cancel: false };
    busy.value = kind;
    error.value = null;
    cancelled.value = null;
    cancelling.value = false;
    step.value = null;
    try {
      const value = await work(api);
      return mine === request ? { value } : null;
    } catch (err) {
      if (mine !== request) return null;
      if (err instanceof StudioError && err.code === 'cancelled' && (kind === 'preview' || kind === 'save')) cancelled.value = kind;
      else error.value = messageOf(err);
      return null;
    } finally {
      if (mine === request) {
        busy.value = null;
        step.value = null;
        cancelling.value = false;
        current = null;
      }
    }
  }

  /** Stops the running upload or import: the studio keeps nothing of it, and the page says it was cancelled. */
  async function cancel(): Promise<void> {
    const running = current;
    if (!running || !api || running.cancel) return;
    running.cancel = true;
    cancelling.value = true;
    step.value = null;
    if (running.importId !== null) await api.call('datasets.importCancel', { importId: running.importId }).catch(() => undefined);
  }

  function throwIfCancelled(mine: number): void {
    if (current?.request !== mine || current.cancel) throw new StudioError('cancelled', 'the import was cancelled');
  }

  /** Sends a picked file in chunks, with its progress, unless it was sent already; the upload's id. */
  async function uploaded(a: StudioApi, s: Extract<ImportSource, { kind: 'file' }>, mine: number): Promise<string> {
    if (staged?.source === s) return staged.uploadId;
    const size = s.file.size;
    const { uploadId, chunkBytes } = await a.call('datasets.uploadStart', { fileName: s.fileName, size });
    const stepBytes = Math.min(chunkBytes, UPLOAD_STEP_BYTES);
    try {
      for (let offset = 0; offset < size || offset === 0; offset += stepBytes) {
        throwIfCancelled(mine);
        step.value = { stage: 'uploading', done: offset, total: size, unit: 'bytes', rows: 0 };
        const bytes = new Uint8Array(await s.file.slice(offset, offset + stepBytes).arrayBuffer());
        throwIfCancelled(mine);
        await a.call('datasets.uploadChunk', { uploadId, offset, bytes });
        if (size === 0) break;
      }
      throwIfCancelled(mine);
    } catch (err) {
      await a.call('datasets.uploadDiscard', { uploadId }).catch(() => undefined);
      throw err;
    }
    staged = { source: s, uploadId };
    return uploadId;
  }

  /** Forgets the file sent for an earlier source. */
  function discardStaged(): void {
    const old = staged;
    staged = null;
    if (old && api) void api.call('datasets.uploadDiscard', { uploadId: old.uploadId }).catch(() => undefined);
  }

  /** The import's parameters for a source (sending the file first where it has to be), named so that it can be followed and cancelled. */
  async function sourceParams(a: StudioApi, s: ImportSource): Promise<Omit<ImportParams, 'name'>> {
    const mine = current?.request ?? -1;
    const csvChoices = isCsvName(s.fileName) ? csvParams(csv.value) : {};
    const where =
      s.kind === 'folder'
        ? { files: s.files.map((f) => ({ path: f.path, bytes: f.bytes })), fileName: s.fileName }
        : s.kind === 'path'
          ? { path: s.path, ...csvChoices }
          : { upload: await uploaded(a, s, mine), fileName: s.fileName, ...csvChoices };
    throwIfCancelled(mine);
    const importId = nextImportId();
    if (current) current.importId = importId;
    return { ...where, importId };
  }

  /** Reads the source with the current choices and shows it, or clears what is shown when it cannot be read. */
  async function read(next: ImportSource): Promise<void> {
    const reply = await run('preview', async (a) => a.call('datasets.import', { name: next.fileName, preview: true, previewPoints: OPEN_MAX_POINTS, ...(await sourceParams(a, next)) }));
    if (reply) {
      const p = reply.value.preview;
      if (p.format === 'csv') columns.value = fileColumns(p, p.labelColumn, columns.value);
      show(fromPreview(p, next.fileName));
    } else if (error.value !== null || cancelled.value !== null) show(null);
  }

  /** Reads and describes a file or folder without saving it; a malformed one leaves its message in error. */
  async function preview(next: ImportSource): Promise<void> {
    if (staged?.source !== next) discardStaged();
    source.value = next;
    lastSaved.value = null;
    csv.value = { ...DEFAULT_CSV };
    columns.value = null;
    show(null);
    await read(next);
  }

  /** Changes how the picked CSV file is read and reads it again; a choice that does not fit leaves the reader's message in error. */
  async function setCsv(change: Partial<CsvChoices>): Promise<void> {
    csv.value = { ...csv.value, ...change };
    const s = source.value;
    if (s && isCsv.value) await read(s);
  }

  /** Saves the previewed source under a name, then opens the saved set to show all of it. */
  async function save(name: string): Promise<void> {
    const s = source.value;
    if (!s || name.trim() === '') return;
    const reply = await run('save', async (a) => a.call('datasets.import', { name: name.trim(), ...(await sourceParams(a, s)) }));
    const meta = reply?.value.saved;
    if (!meta) return;
    lastSaved.value = meta;
    source.value = null;
    discardStaged();
    useDatasetsStore().noteSaved(meta);
    // meta.json keeps no column names; the preview's carry over to the set just saved.
    await open(meta, shown.value?.header ?? null);
  }

  /** Loads a saved set (thinned for large sets) and shows it. */
  async function open(meta: SavedDataset, header: readonly string[] | null = null): Promise<void> {
    const images = meta.shape.length === 4;
    const reply = await run('open', (a) => a.call('datasets.load', { id: meta.id, maxPoints: images ? OPEN_MAX_IMAGES : OPEN_MAX_POINTS }));
    if (!reply) return;
    const r = reply.value;
    show({
      origin: 'saved',
      title: meta.name,
      shape: [r.total, ...r.shape.slice(1)],
      data: markRaw(r.data),
      rows: r.shape[0],
      picked: r.shape[0] < r.total ? 'spaced' : 'all',
      labels: r.labels,
      classes: r.classes,
      header,
      stats: meta.normalisation ?? null,
      notes: [],
      savedId: meta.id,
    });
  }

  /** Deletes a saved set from the workspace (the caller has asked the person first). */
  async function remove(id: string): Promise<void> {
    const reply = await run('delete', (a) => a.call('datasets.delete', { id }));
    if (!reply) return;
    useDatasetsStore().noteDeleted(id);
    if (shown.value?.savedId === id) show(null);
    if (lastSaved.value?.id === id) lastSaved.value = null;
  }

  /** Saves count MNIST digits (of the chosen digits) to the workspace and shows them with their labels. */
  async function importMnist(count: number, digits: readonly number[]): Promise<void> {
    source.value = null;
    discardStaged();
    const all = digits.length === 10;
    const reply = await run('mnist', (a) => a.call('datasets.mnist', { count, ...(all ? {} : { digits: [...digits] }) }));
    if (!reply) return;
    lastSaved.value = reply.value;
    useDatasetsStore().noteSaved(reply.value);
    await open(reply.value);
  }

  /** Reports a problem found before anything was sent (an unreadable drop, an unsupported file). */
  function fail(message: string): void {
    request++;
    busy.value = null;
    error.value = message;
  }

  return {
    source: computed(() => source.value),
    shown: computed(() => shown.value),
    version: readonly(version),
    busy: readonly(busy),
    error: readonly(error),
    lastSaved: readonly(lastSaved),
    canSave,
    csv: readonly(csv),
    columns: computed(() => columns.value),
    isCsv,
    csvFault,
    step: computed(() => step.value),
    cancelled: readonly(cancelled),
    cancellable,
    init,
    cancel,
    preview,
    setCsv,
    save,
    open,
    remove,
    importMnist,
    fail,
  };
});
