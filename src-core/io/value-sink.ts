// Where the streaming readers put what they read: float32 values and int32 labels in blocks, kept in memory or passed on (to a file).

/** Receives a reader's output in order; each block is only valid during the call (the reader reuses it). */
export interface DatasetSink {
  /** The next values of the set, row-major. */
  values(block: Float32Array): void;
  /** The next labels, one per row. */
  labels(block: Int32Array): void;
}

/** Values per block a reader hands to its sink (256 KiB of float32). */
const BLOCK_VALUES = 1 << 16;

/** Gathers single values into blocks and hands each full block to a sink. */
export class BlockWriter<A extends Float32Array | Int32Array> {
  private readonly block: A;
  private used = 0;
  /** Values written so far. */
  count = 0;

  constructor(
    make: (n: number) => A,
    private readonly emit: (block: A) => void,
  ) {
    this.block = make(BLOCK_VALUES);
  }

  /** Appends one value. */
  add(v: number): void {
    this.block[this.used++] = v;
    this.count++;
    if (this.used === BLOCK_VALUES) this.flush();
  }

  /** Hands over the values gathered since the last block. */
  flush(): void {
    if (this.used === 0) return;
    this.emit(this.block.subarray(0, this.used) as A);
    this.used = 0;
  }
}

/** Block writers for a sink's values and labels. */
export function sinkWriters(sink: DatasetSink): { values: BlockWriter<Float32Array<ArrayBuffer>>; labels: BlockWriter<Int32Array<ArrayBuffer>> } {
  return {
    values: new BlockWriter((n) => new Float32Array(n), (b) => sink.values(b)),
    labels: new BlockWriter((n) => new Int32Array(n), (b) => sink.labels(b)),
  };
}

function joined<A extends Float32Array | Int32Array>(parts: A[], make: (n: number) => A): A {
  const out = make(parts.reduce((s, p) => s + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** A sink that keeps everything in memory, for readers given a whole file at once. */
export class MemorySink implements DatasetSink {
  private readonly valueParts: Float32Array[] = [];
  private readonly labelParts: Int32Array[] = [];

  /** DatasetSink: keeps a copy of a block of values. */
  values(block: Float32Array): void {
    this.valueParts.push(block.slice());
  }

  /** DatasetSink: keeps a copy of a block of labels. */
  labels(block: Int32Array): void {
    this.labelParts.push(block.slice());
  }

  /** Every value received, in one array. */
  takeValues(): Float32Array {
    return joined(this.valueParts.splice(0), (n) => new Float32Array(n));
  }

  /** Every label received, in one array. */
  takeLabels(): Int32Array {
    return joined(this.labelParts.splice(0), (n) => new Int32Array(n));
  }
}

/** Bytes a reader given a whole file takes at a time, so it never holds the whole file as text. */
const PIECE_BYTES = 1 << 20;

/** Feeds a whole input to a streaming reader in pieces (a string goes whole: it is text already). */
export function pushInPieces(input: string | Uint8Array, push: (piece: string | Uint8Array) => void): void {
  if (typeof input === 'string') return push(input);
  for (let o = 0; o < input.length; o += PIECE_BYTES) push(input.subarray(o, o + PIECE_BYTES));
}
