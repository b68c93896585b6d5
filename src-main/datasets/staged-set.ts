// A set being imported, on disk as it is read: data.f32 and labels.i32 in a staging folder, appended block by block and read back in blocks.
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetSink } from '../../src-core/io/value-sink';

/** File names inside a data-set folder. */
export const DATA_FILE = 'data.f32';
export const LABELS_FILE = 'labels.i32';
/** Bytes read back at a time. */
const READ_BYTES = 4 << 20;

const bytesOf = (a: Float32Array | Int32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * A sink that appends to data.f32 and labels.i32 in a folder. Readers hand blocks over synchronously; they queue (as
 * copies) and flush() writes them, so at most one input chunk's values wait in memory.
 */
export class StagedSet implements DatasetSink {
  private data: FileHandle | null = null;
  private labelsFile: FileHandle | null = null;
  private readonly queue: { labels: boolean; bytes: Uint8Array }[] = [];
  /** Values and labels written so far. */
  valueCount = 0;
  labelCount = 0;

  private constructor(readonly dir: string) {}

  /** Opens data.f32 (and, when asked, labels.i32) afresh in dir. */
  static async create(dir: string): Promise<StagedSet> {
    const set = new StagedSet(dir);
    set.data = await open(join(dir, DATA_FILE), 'w');
    return set;
  }

  values(block: Float32Array): void {
    this.queue.push({ labels: false, bytes: bytesOf(block).slice() });
    this.valueCount += block.length;
  }

  labels(block: Int32Array): void {
    this.queue.push({ labels: true, bytes: bytesOf(block).slice() });
    this.labelCount += block.length;
  }

  /** Writes what the readers handed over since the last flush. */
  async flush(): Promise<void> {
    for (const item of this.queue.splice(0)) {
      if (item.labels) {
        this.labelsFile ??= await open(join(this.dir, LABELS_FILE), 'w');
        await this.labelsFile.write(item.bytes);
      } else await (this.data as FileHandle).write(item.bytes);
    }
  }

  /** Writes an in-memory set (images decoded whole) as the files. */
  async writeAll(data: Float32Array, labels: Int32Array | null): Promise<void> {
    for (let o = 0; o < data.length; o += READ_BYTES / 4) this.values(data.subarray(o, o + READ_BYTES / 4));
    if (labels) this.labels(labels);
    await this.flush();
  }

  /** Flushes, fsyncs and closes both files; whether there are labels. */
  async close(): Promise<boolean> {
    await this.flush();
    for (const h of [this.data, this.labelsFile]) {
      if (!h) continue;
      await h.sync();
      await h.close();
    }
    this.data = null;
    const labelled = this.labelsFile !== null;
    this.labelsFile = null;
    return labelled;
  }

  /** Closes the files without syncing (after a failure; the folder is removed). */
  async abandon(): Promise<void> {
    await this.data?.close().catch(() => undefined);
    await this.labelsFile?.close().catch(() => undefined);
    this.data = this.labelsFile = null;
  }
}

/** Reads a staged file back in blocks (fresh aligned arrays), with each block's offset in elements. */
export async function* blocksOf<A extends Float32Array | Int32Array>(path: string, make: (n: number) => A): AsyncGenerator<{ block: A; offset: number }> {
  const handle = await open(path, 'r');
  try {
    let offset = 0;
    for (;;) {
      const block = make(READ_BYTES / 4);
      const { bytesRead } = await handle.read(new Uint8Array(block.buffer), 0, READ_BYTES, offset * 4);
      if (bytesRead === 0) return;
      const n = bytesRead / 4;
      yield { block: block.subarray(0, n) as A, offset };
      offset += n;
    }
  } finally {
    await handle.close();
  }
}

/** Rewrites labels.i32 in place, label k becoming map[k] (the CSV reader's provisional codes to the final labels). */
export async function remapLabels(dir: string, map: Int32Array): Promise<void> {
  const path = join(dir, LABELS_FILE);
  const handle = await open(path, 'r+');
  try {
    const block = new Int32Array(READ_BYTES / 4);
    for (let offset = 0; ; ) {
      const { bytesRead } = await handle.read(new Uint8Array(block.buffer), 0, READ_BYTES, offset * 4);
      if (bytesRead === 0) break;
      const n = bytesRead / 4;
      for (let i = 0; i < n; i++) block[i] = map[block[i]];
      await handle.write(new Uint8Array(block.buffer, 0, bytesRead), 0, bytesRead, offset * 4);
      offset += n;
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
}
