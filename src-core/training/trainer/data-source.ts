// A data set walked in epochs: a fresh seeded permutation each epoch and a cursor (epoch, position) a checkpoint stores.
import { StudioError, checkInteger } from '../../errors';
import { Rng } from '../../rng';

/** Where the walk is: the epoch, the next position in its permutation and the seed that permutation came from. */
export interface DataCursor {
  readonly epoch: number;
  readonly position: number;
  readonly permutationSeed: number;
}

/** Rows of a data set in one flat buffer, with optional integer labels. */
export interface DataRows {
  readonly data: Float32Array;
  /** Numbers per row (the product of the item shape). */
  readonly rowSize: number;
  /** One label per row, for class-conditional training. */
  readonly labels?: Int32Array;
}

/** Draws rows without replacement within an epoch; a new epoch's permutation seed comes from the 'data' stream. */
export class DataSource {
  readonly count: number;
  private perm: Uint32Array;
  private cursorState: DataCursor;

  /** Starts at epoch 0 (seed drawn from rng) or at a saved cursor (rng then only feeds later epochs). */
  constructor(
    readonly rows: DataRows,
    private readonly rng: Rng,
    cursor?: DataCursor,
  ) {
    checkInteger(rows.rowSize, 'rowSize', 1);
    this.count = rows.data.length / rows.rowSize;
    if (!Number.isInteger(this.count) || this.count < 1) {
      throw new StudioError('invalid-shape', `the data set has ${rows.data.length} numbers, not a whole number (>= 1) of rows of ${rows.rowSize}`);
    }
    if (rows.labels && rows.labels.length !== this.count) {
      throw new StudioError('invalid-shape', `the data set has ${this.count} rows but ${rows.labels.length} labels`);
    }
    const start = cursor ?? { epoch: 0, position: 0, permutationSeed: rng.nextUint32() };
    if (start.position > this.count) throw new StudioError('invalid-argument', `data cursor position ${start.position} is past the ${this.count} rows`);
    this.cursorState = start;
    this.perm = new Rng(start.permutationSeed).permutation(this.count);
  }

  /** The cursor to save: the next row to draw. */
  cursor(): DataCursor {
    return this.cursorState;
  }

  /** Copies the next n rows (in float64) into x0 and their labels into labels; wraps into new epochs as needed. */
  next(n: number, x0: Float64Array, labels?: Int32Array): void {
    const d = this.rows.rowSize;
    const src = this.rows.data;
    let { epoch, position, permutationSeed } = this.cursorState;
    for (let k = 0; k < n; k++) {
      if (position === this.count) {
        epoch++;
        position = 0;
        permutationSeed = this.rng.nextUint32();
        this.perm = new Rng(permutationSeed).permutation(this.count);
      }
      const row = this.perm[position++];
      for (let j = 0; j < d; j++) x0[k * d + j] = src[row * d + j];
      if (labels) labels[k] = this.rows.labels ? this.rows.labels[row] : 0;
    }
    this.cursorState = { epoch, position, permutationSeed };
  }
}

/** Draws rows uniformly with replacement from a stream (the source set of data-to-data runs; its state is the stream's). */
export function drawRows(rows: DataRows, rng: Rng, n: number, out: Float64Array): void {
  const d = rows.rowSize;
  const count = rows.data.length / d;
  for (let k = 0; k < n; k++) {
    const row = rng.int(count);
    for (let j = 0; j < d; j++) out[k * d + j] = rows.data[row * d + j];
  }
}
