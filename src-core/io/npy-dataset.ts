// An .npy file as a data set, read as it streams in: any of its dtypes converted to float32, its shape mapped to [n, d] or [n, C, H, W].
import { StudioError } from '../errors';
import { MAX_VALUES, datasetShape, type DatasetArray } from './dataset-array';
import { readNpyHeader, type NpyHeader } from './npy';
import { MemorySink, sinkWriters, type DatasetSink } from './value-sink';

/** What an .npy file held besides its numbers. */
interface NpySummary {
  readonly shape: number[];
  readonly notes: string[];
}

/**
 * Reads an .npy file of a known size as its bytes arrive (float32, float64, int32 or int64), passing float32 values to
 * a sink; the header is checked against the size before any data are read.
 */
export class NpyDatasetReader {
  private head: Uint8Array = new Uint8Array(0);
  private header: NpyHeader | null = null;
  private shape: number[] = [];
  private readonly notes: string[] = [];
  private carry: Uint8Array = new Uint8Array(0);
  private received = 0;
  private index = 0;
  private rowSize = 1;
  private readonly out: ReturnType<typeof sinkWriters>;

  constructor(
    private readonly totalBytes: number,
    sink: DatasetSink,
  ) {
    this.out = sinkWriters(sink);
  }

  /** Values read so far. */
  get values(): number {
    return this.index;
  }

  /** Feeds the next bytes of the file. */
  push(chunk: Uint8Array): void {
    this.received += chunk.length;
    if (this.received > this.totalBytes) throw new StudioError('invalid-argument', `not a usable .npy file: it holds more than the ${this.totalBytes} bytes it was said to have`);
    if (this.header === null) {
      this.head = concat(this.head, chunk);
      const header = readNpyHeader(this.head, this.totalBytes);
      if (header === null) return;
      this.begin(header);
      chunk = this.head.subarray(header.dataStart);
      this.head = new Uint8Array(0);
    }
    this.data(chunk);
  }

  /** Ends the file and says what it held; the sink has every value when this returns. */
  end(): NpySummary {
    if (this.header === null) {
      // a short file never completes its header: let the header reader name what is missing
      readNpyHeader(this.head, this.received);
      throw new StudioError('invalid-argument', 'not a usable .npy file: the file is truncated inside its header');
    }
    if (this.received < this.totalBytes || this.carry.length > 0) throw new StudioError('invalid-argument', `not a usable .npy file: the data stop after ${this.received} of ${this.totalBytes} bytes`);
    this.out.values.flush();
    return { shape: this.shape, notes: this.notes };
  }

  private begin(header: NpyHeader): void {
    this.header = header;
    this.shape = datasetShape(header.shape, this.notes);
    if (header.count > MAX_VALUES) throw new StudioError('invalid-shape', `the array holds ${header.count} numbers, more than the ${MAX_VALUES} one import may hold`);
    if (header.dtype !== 'float32') this.notes.push(`${header.dtype} values converted to float32`);
    this.rowSize = header.count / this.shape[0];
  }

  private data(chunk: Uint8Array): void {
    const { dtype, size } = this.header as NpyHeader;
    const bytes = this.carry.length > 0 ? concat(this.carry, chunk) : chunk;
    const whole = bytes.length - (bytes.length % size);
    const view = new DataView(bytes.buffer, bytes.byteOffset, whole);
    const out = this.out.values;
    for (let o = 0; o < whole; o += size) {
      const i = this.index++;
      let v: number;
      if (dtype === 'float32') v = view.getFloat32(o, true);
      else if (dtype === 'float64') v = Math.fround(view.getFloat64(o, true));
      else if (dtype === 'int32') v = Math.fround(view.getInt32(o, true));
      else {
        const big = view.getBigInt64(o, true);
        if (big > 16777216n || big < -16777216n) throw new StudioError('invalid-argument', `npy element [${i}] = ${big} does not fit float32 exactly`);
        v = Number(big);
      }
      if (!Number.isFinite(v)) {
        throw new StudioError('not-finite', `row ${Math.floor(i / this.rowSize)}, value ${i % this.rowSize} is ${v}; every value must be a finite float32 number`);
      }
      out.add(v);
    }
    this.carry = bytes.slice(whole);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Reads .npy bytes (float32, float64, int32 or int64) as a data set; [n, H, W] becomes [n, 1, H, W]. */
export function parseNpyDataset(bytes: Uint8Array): DatasetArray {
  const sink = new MemorySink();
  const reader = new NpyDatasetReader(bytes.length, sink);
  reader.push(bytes);
  const { shape, notes } = reader.end();
  return { data: sink.takeValues(), shape, notes };
}
