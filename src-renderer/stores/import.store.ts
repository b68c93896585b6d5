// The import side of the Data section: a file or image folder previewed and saved, saved sets opened and deleted, MNIST.
import { defineStore } from 'pinia';
import { computed, markRaw, readonly, ref, shallowRef } from 'vue';
import type { SavedDataset } from '../../src-core/api/contract';
import type { ImportPreview, NormalisationStats } from '../../src-core/api/methods/datasets';
import type { StudioApi } from '../../src-core/api/studio-api';
import { csvParams, DEFAULT_CSV, faultyChoice, fileColumns, isCsvName, type CsvChoices, type FileColumn } from '../features/data/csv-options';
import { useDatasetsStore } from './datasets.store';

/** What a person picked: one file's bytes, or the image files of a folder (paths relative to it). */
export type ImportSource =
  | { readonly kind: 'file'; readonly fileName: string; readonly bytes: Uint8Array<ArrayBuffer> }
  | { readonly kind: 'folder'; readonly fileName: string; readonly files: readonly { path: string; bytes: Uint8Array<ArrayBuffer> }[] };

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
  readonly stats: NormalisationStats | null;
  readonly notes: readonly string[];
  /** The saved set's id (null for a preview). */
  readonly savedId: string | null;
}

/** Rows of a vector set shown, previewed or opened (evenly spaced over larger sets). */
export const OPEN_MAX_POINTS = 20_000;
/** Images asked for when a saved image set is opened. */
export const OPEN_MAX_IMAGES = 64;

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
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

  const canSave = computed(() => source.value !== null && shown.value?.origin === 'preview' && busy.value === null);
  /** True while the picked source is a CSV file, whose reading can be tuned. */
  const isCsv = computed(() => source.value?.kind === 'file' && isCsvName(source.value.fileName));
  /** The CSV choice the current error is about, if any. */
  const csvFault = computed(() => (isCsv.value ? faultyChoice(error.value, csv.value) : null));

  /** Connects the store to the API. */
  function init(next: StudioApi): void {
    api = next;
  }

  function show(next: ShownSet | null): void {
    shown.value = next;
    version.value++;
  }

  /** Runs one request; a newer one makes the older reply stale, and a failure lands in error. */
  async function run<T>(kind: NonNullable<typeof busy.value>, work: (a: StudioApi) => Promise<T>): Promise<{ value: T } | null> {
    if (!api) return null;
    const mine = ++request;
    busy.value = kind;
    error.value = null;
    try {
      const value = await work(api);
      return mine === request ? { value } : null;
    } catch (err) {
      if (mine === request) error.value = messageOf(err);
      return null;
    } finally {
      if (mine === request) busy.value = null;
    }
  }

  function payload(s: ImportSource) {
    if (s.kind === 'folder') return { files: s.files.map((f) => ({ path: f.path, bytes: f.bytes })), fileName: s.fileName };
    return { bytes: s.bytes, fileName: s.fileName, ...(isCsvName(s.fileName) ? csvParams(csv.value) : {}) };
  }

  /** Reads the source with the current choices and shows it, or clears what is shown when it cannot be read. */
  async function read(next: ImportSource): Promise<void> {
    const reply = await run('preview', (a) => a.call('datasets.import', { name: next.fileName, preview: true, previewPoints: OPEN_MAX_POINTS, ...payload(next) }));
    if (reply) {
      const p = reply.value.preview;
      if (p.format === 'csv') columns.value = fileColumns(p, p.labelColumn, columns.value);
      show(fromPreview(p, next.fileName));
    } else if (error.value !== null) show(null);
  }

  /** Reads and describes a file or folder without saving it; a malformed one leaves its message in error. */
  async function preview(next: ImportSource): Promise<void> {
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
    const reply = await run('save', (a) => a.call('datasets.import', { name: name.trim(), ...payload(s) }));
    const meta = reply?.value.saved;
    if (!meta) return;
    lastSaved.value = meta;
    source.value = null;
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
    init,
    preview,
    setCsv,
    save,
    open,
    remove,
    importMnist,
    fail,
  };
});
