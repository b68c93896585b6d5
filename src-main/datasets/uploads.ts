// Files a browser uploads in chunks, staged in the workspace until an import reads them: no upload has to fit in one message.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rm, rmdir, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { UPLOAD_CHUNK_BYTES } from '../../src-core/api/methods/datasets';
import { StudioError } from '../../src-core/errors';
import { MAX_FILE_BYTES } from './read-source';

/** Uploads staged at once. */
const MAX_UPLOADS = 8;
/** An upload not touched for this long is removed. */
const UPLOAD_IDLE_MS = 60 * 60 * 1000;

interface Upload {
  readonly id: string;
  readonly fileName: string;
  readonly size: number;
  readonly file: string;
  received: number;
  handle: FileHandle | null;
  touched: number;
  /** Chunks are written one after another, whatever order their calls arrive in. */
  queue: Promise<unknown>;
}

/** A staged upload ready to import. */
interface StagedUpload {
  readonly file: string;
  readonly fileName: string;
  readonly size: number;
}

/** Uploads of one workspace, under <workspace>/.imports/upload-<id>. */
export class UploadStore {
  private readonly uploads = new Map<string, Upload>();
  private sweeper: NodeJS.Timeout | null = null;
  private cleaned = false;

  constructor(private readonly root: string) {}

  /** Starts an upload of size bytes; chunks follow in order. */
  async start(fileName: string, size: number): Promise<{ uploadId: string; chunkBytes: number }> {
    if (size > MAX_FILE_BYTES) throw new StudioError('invalid-argument', `${fileName} is ${size} bytes; files up to ${MAX_FILE_BYTES} bytes can be imported`);
    this.sweep();
    if (this.uploads.size >= MAX_UPLOADS) throw new StudioError('invalid-argument', `${MAX_UPLOADS} uploads are already under way; finish or cancel one first`);
    await this.removeLeftovers();
    const id = randomBytes(8).toString('hex');
    const file = join(this.root, `upload-${id}`);
    const handle = await this.create(file);
    this.uploads.set(id, { id, fileName, size, file, received: 0, handle, touched: Date.now(), queue: Promise.resolve() });
    this.startSweeper();
    return { uploadId: id, chunkBytes: UPLOAD_CHUNK_BYTES };
  }

  /** Opens a new file in the folder, made first; tried again when the folder, found empty, was removed meanwhile. */
  private async create(file: string): Promise<FileHandle> {
    for (let tries = 1; ; tries++) {
      try {
        await mkdir(this.root, { recursive: true });
        return await open(file, 'wx');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || tries === 3) throw err;
      }
    }
  }

  private get(id: string): Upload {
    const u = this.uploads.get(id);
    if (!u) throw new StudioError('not-found', `there is no upload '${id}' (finished, cancelled, or left idle for an hour)`);
    u.touched = Date.now();
    return u;
  }

  /** Appends one chunk at its offset (the bytes received so far); the last chunk closes the file. */
  async append(id: string, offset: number, bytes: Uint8Array): Promise<{ received: number }> {
    const u = this.get(id);
    if (bytes.length > UPLOAD_CHUNK_BYTES) throw new StudioError('invalid-argument', `a chunk holds at most ${UPLOAD_CHUNK_BYTES} bytes; this one holds ${bytes.length}`);
    const write = u.queue.then(async () => {
      if (offset !== u.received) throw new StudioError('invalid-argument', `chunk at byte ${offset} of ${u.fileName}: the next chunk starts at byte ${u.received}`);
      if (u.received + bytes.length > u.size) throw new StudioError('invalid-argument', `chunk at byte ${offset} of ${u.fileName} runs past its ${u.size} bytes`);
      if (!u.handle) throw new StudioError('invalid-argument', `${u.fileName} is already complete`);
      await u.handle.write(bytes, 0, bytes.length, offset);
      u.received += bytes.length;
      if (u.received === u.size) {
        await u.handle.close();
        u.handle = null;
      }
      return { received: u.received };
    });
    u.queue = write.catch(() => undefined);
    return write;
  }

  /** A complete upload, for an import to read. */
  complete(id: string): StagedUpload {
    const u = this.get(id);
    if (u.received !== u.size || u.handle) throw new StudioError('invalid-argument', `${u.fileName} is not fully uploaded: ${u.received} of ${u.size} bytes`);
    return { file: u.file, fileName: u.fileName, size: u.size };
  }

  /** Removes an upload (cancelled, or no longer needed); true when there was one. */
  async discard(id: string): Promise<boolean> {
    const u = this.uploads.get(id);
    if (!u) return false;
    this.uploads.delete(id);
    await u.queue;
    await u.handle?.close().catch(() => undefined);
    await rm(u.file, { force: true });
    if (this.uploads.size === 0) {
      this.stopSweeper();
      await rmdir(this.root).catch(() => undefined); // only when empty: imports under way stage there too
    }
    return true;
  }

  /** Removes every upload (the service is closing). */
  async close(): Promise<void> {
    await Promise.all([...this.uploads.keys()].map((id) => this.discard(id)));
    this.stopSweeper();
  }

  private sweep(): void {
    const now = Date.now();
    for (const u of this.uploads.values()) if (now - u.touched > UPLOAD_IDLE_MS) void this.discard(u.id);
  }

  private startSweeper(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  private stopSweeper(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
  }

  /** Once per store: uploads an earlier run of the studio left behind (crashed, or closed mid-upload) and older than a day. */
  private async removeLeftovers(): Promise<void> {
    if (this.cleaned) return;
    this.cleaned = true;
    const names = await readdir(this.root).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.startsWith('upload-'))) {
      const path = join(this.root, name);
      const info = await stat(path).catch(() => null);
      if (info && Date.now() - info.mtimeMs > 24 * 3600 * 1000) await rm(path, { force: true }).catch(() => undefined);
    }
  }
}
