// Uploads in chunks over the WebSocket and imports run in the built import process: a file past one frame's size, progress, cancel, and every misuse refused in words.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_IMPORT_BYTES, UPLOAD_CHUNK_BYTES, type ImportProgress } from '../../src-core/api/methods/datasets';
import { MAX_FRAME_BYTES } from '../../src-core/api/ws-protocol';
import { apiUrl, connectWebSocket, type WsStudioApi } from '../../src-core/api/ws-client';
import { processImportRunner } from '../../src-main/datasets/import-runner';
import { startServer, type RunningServer } from '../../src-main/server/ws-server';
import { createStudioHost, type StudioHost } from '../../src-main/services/studio-host';
import { nodeSocket } from '../contract/transports';
import { BIG_COLUMNS, cellText, writeBigCsv } from '../reliability/big-import';
import { rejection } from './fixtures';

const WORKER = join(import.meta.dirname, '../../out/main/import-worker.js');
/** Rows of the uploaded CSV: about 14 MB, more than one WebSocket frame carries. */
const ROWS = 140_000;

describe('datasets uploads and the import process', () => {
  let dir: string;
  let workspace: string;
  let studio: StudioHost;
  let server: RunningServer;
  let api: WsStudioApi;
  let csv: Uint8Array<ArrayBuffer>;

  beforeAll(async () => {
    if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: build first with \`npm run build\` (npm test does).`);
    dir = await mkdtemp(join(tmpdir(), 'studio-uploads-'));
    workspace = join(dir, 'workspace');
    writeBigCsv(join(dir, 'up.csv'), ROWS);
    csv = new Uint8Array(await readFile(join(dir, 'up.csv')));
    studio = createStudioHost({ workspace, version: '0.0.0-test', host: 'server', datasets: { importRunner: processImportRunner(WORKER) } });
    server = await startServer(studio, { port: 0 });
    api = await connectWebSocket(apiUrl(server.origin, server.token), nodeSocket);
  }, 60_000);

  afterAll(async () => {
    api?.close();
    await server?.close();
    await studio?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const staged = async () => (existsSync(join(workspace, '.imports')) ? await readdir(join(workspace, '.imports')) : []);

  /** Sends the whole file in chunks of the size the studio asks for; the upload's id. */
  async function upload(bytes: Uint8Array<ArrayBuffer>, fileName: string): Promise<string> {
    const { uploadId, chunkBytes } = await api.call('datasets.uploadStart', { fileName, size: bytes.length });
    for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
      const { received } = await api.call('datasets.uploadChunk', { uploadId, offset, bytes: bytes.subarray(offset, offset + chunkBytes) });
      expect(received).toBe(Math.min(bytes.length, offset + chunkBytes));
    }
    return uploadId;
  }

  it('takes a file larger than one frame in chunks, previews and saves it from the import process, then discards it', async () => {
    expect(csv.length).toBeGreaterThan(MAX_FRAME_BYTES * 0.75);
    const uploadId = await upload(csv, 'up.csv');
    expect(await staged()).toEqual([`upload-${uploadId}`]);

    const events: ImportProgress[] = [];
    const off = api.on('datasets.importProgress', (p) => events.push(p));
    const preview = await api.call('datasets.import', { name: 'up', upload: uploadId, importId: 'up-preview', preview: true, previewPoints: 100 });
    expect(preview.saved).toBeNull();
    expect(preview.preview.shape).toEqual([ROWS, BIG_COLUMNS]);
    expect(preview.preview.header).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5']);
    // the preview's rows are spread over the whole file
    const last = Math.floor((99 * ROWS) / 100);
    expect(preview.preview.head[99 * BIG_COLUMNS + 2]).toBe(Math.fround(Number(cellText(last, 2))));
    // the upload stays for the save
    const { saved } = await api.call('datasets.import', { name: 'uploaded', upload: uploadId, importId: 'up-save' });
    off();
    expect(saved).toMatchObject({ name: 'uploaded', shape: [ROWS, BIG_COLUMNS], source: { id: 'csv', file: 'up.csv' } });
    const loaded = await api.call('datasets.load', { id: saved?.id ?? '', maxPoints: 10 });
    expect(loaded.data[0]).toBe(Math.fround(Number(cellText(0, 0))));

    for (const id of ['up-preview', 'up-save']) {
      const mine = events.filter((e) => e.importId === id);
      expect(mine.find((e) => e.phase === 'reading' && e.done === csv.length)?.rows).toBe(ROWS);
      expect(mine.some((e) => e.phase === 'describing')).toBe(true);
    }
    expect(events.filter((e) => e.importId === 'up-save').at(-1)?.phase).toBe('saving');
    expect(await staged()).toEqual([`upload-${uploadId}`]);

    expect(await api.call('datasets.uploadDiscard', { uploadId })).toEqual({ uploadId, discarded: true });
    expect(await api.call('datasets.uploadDiscard', { uploadId })).toEqual({ uploadId, discarded: false });
    expect(existsSync(join(workspace, '.imports'))).toBe(false);
  }, 60_000);

  it('a cancelled import of an upload saves nothing; the upload stays to import again', async () => {
    const uploadId = await upload(csv, 'again.csv');
    const off = api.on('datasets.importProgress', (p) => {
      if (p.importId === 'up-cancel' && p.phase === 'reading') void api.call('datasets.importCancel', { importId: 'up-cancel' });
    });
    const before = (await api.call('datasets.saved', {})).length;
    const err = await rejection(api.call('datasets.import', { name: 'no', upload: uploadId, importId: 'up-cancel' }));
    off();
    expect(err.code).toBe('cancelled');
    expect(err.message).toBe('the import was cancelled');
    expect((await api.call('datasets.saved', {})).length).toBe(before);
    expect(await staged()).toEqual([`upload-${uploadId}`]);
    const { saved } = await api.call('datasets.import', { name: 'yes', upload: uploadId });
    expect(saved?.shape).toEqual([ROWS, BIG_COLUMNS]);
    await api.call('datasets.uploadDiscard', { uploadId });
    expect(await api.call('datasets.importCancel', { importId: 'up-cancel' })).toEqual({ importId: 'up-cancel', cancelled: false });
  }, 60_000);

  it('refuses every misuse of an upload with a message in words', async () => {
    const bytes = new TextEncoder().encode('1,2\n3,4\n');
    const { uploadId } = await api.call('datasets.uploadStart', { fileName: 'small.csv', size: bytes.length });
    const early = await rejection(api.call('datasets.import', { name: 's', upload: uploadId }));
    expect(early.message).toBe('small.csv is not fully uploaded: 0 of 8 bytes');
    const skipped = await rejection(api.call('datasets.uploadChunk', { uploadId, offset: 4, bytes: bytes.subarray(4) }));
    expect(skipped.message).toBe('chunk at byte 4 of small.csv: the next chunk starts at byte 0');
    const long = await rejection(api.call('datasets.uploadChunk', { uploadId, offset: 0, bytes: new Uint8Array(9) }));
    expect(long.message).toBe('chunk at byte 0 of small.csv runs past its 8 bytes');
    await api.call('datasets.uploadChunk', { uploadId, offset: 0, bytes });
    const after = await rejection(api.call('datasets.uploadChunk', { uploadId, offset: 8, bytes: new Uint8Array(1) }));
    expect(after.message).toBe('chunk at byte 8 of small.csv runs past its 8 bytes');
    expect((await api.call('datasets.import', { name: 's', upload: uploadId })).saved?.shape).toEqual([2, 2]);
    const big = await rejection(api.call('datasets.uploadChunk', { uploadId, offset: 0, bytes: new Uint8Array(UPLOAD_CHUNK_BYTES + 1) }));
    expect(big.message).toBe(`a chunk holds at most ${UPLOAD_CHUNK_BYTES} bytes; this one holds ${UPLOAD_CHUNK_BYTES + 1}`);
    await api.call('datasets.uploadDiscard', { uploadId });
    const gone = await rejection(api.call('datasets.import', { name: 's', upload: uploadId }));
    expect(gone.code).toBe('not-found');
    expect((await rejection(api.call('datasets.uploadStart', { fileName: 'huge.csv', size: MAX_IMPORT_BYTES + 1 }))).code).toBe('invalid-message');
    expect(existsSync(join(workspace, '.imports'))).toBe(false);
  }, 30_000);
});
