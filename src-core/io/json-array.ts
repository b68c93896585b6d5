// JSON arrays of numbers: nested rows ([[x, y], ...], images nested deeper) or {data, shape[, labels]}, read as they stream in, and written.
import { StudioError } from '../errors';
import { MAX_CLASSES, MAX_VALUES, checkLabel, datasetShape, numberedClasses, type DatasetArray } from './dataset-array';
import { JsonScanner, type JsonHandler, type JsonScalar } from './json-scan';
import { Utf8Chunks } from './text-input';
import { MemorySink, pushInPieces, sinkWriters, type BlockWriter, type DatasetSink } from './value-sink';

const FORMS = 'expected an array of rows ([[1, 2], [3, 4]]) or {"data": [...], "shape": [...]}';
/** Levels of nesting whose lengths the reader records (a data set has at most 4 axes; more only need counting). */
const TRACKED = 8;

/** A value's kind as the reader meets it: a scalar, or the start of an array or object. */
type Met = JsonScalar | { readonly kind: 'array' } | { readonly kind: 'object' };

/** A short, readable description of a JSON value for an error message. */
function describe(v: Met): string {
  switch (v.kind) {
    case 'null':
    case 'true':
    case 'false':
      return v.kind;
    case 'string':
      return JSON.stringify(v.long || v.text.length > 40 ? v.text.slice(0, 40) + '…' : v.text);
    case 'array':
      return 'an array';
    case 'object':
      return 'an object';
    case 'number':
      return String(v.value);
  }
}

function asFloat32(v: Met, where: string): number {
  if (v.kind !== 'number') throw new StudioError('invalid-argument', `${where}: ${describe(v)} is not a number`);
  const f = Math.fround(v.value);
  if (!Number.isFinite(f)) throw new StudioError('not-finite', `${where}: ${v.value} is too large for float32`);
  return f;
}

/** What a JSON file held besides its numbers. */
interface JsonSummary {
  readonly shape: number[];
  readonly classes?: string[];
  readonly notes: string[];
}

/** One open array of the rows form: how many entries so far, where it is, the first problem inside it. */
interface Frame {
  count: number;
  readonly path: string;
  /** On the path of first entries (rows[0], rows[0][0], ...), which sets the shape. */
  readonly first: boolean;
  pending: StudioError | null;
}

/** The rows form, [[...], ...]: checks every item against the shape the first item sets, as the values stream by. */
class RowsForm {
  private rank: number | null = null;
  /** Lengths of the first item's arrays by level (1 = the item itself), for the levels that are tracked. */
  private readonly dims: number[] = [];
  /** The open arrays being checked, by level (0 = the top array); always the levels 0..length - 1. */
  private readonly frames: Frame[] = [{ count: 0, path: '', first: true, pending: null }];
  /** Once the first item's shape is refused, the rest is only counted (the message names the row count). */
  private shapeRefused = false;
  /** Values below this level are not looked at (inside a value already found wrong, or deeper than tracked). */
  private skipBelow = Infinity;
  /** The first item nests deeper than tracked: its rank is found by the first event that is not an array's start. */
  private measuring = false;

  constructor(private readonly out: BlockWriter<Float32Array<ArrayBuffer>>) {}

  /** Top-level items so far. */
  get rows(): number {
    return this.frames[0].count;
  }

  /** A value starts at level L (1 = an item). */
  start(level: number, v: Met): void {
    const parent = level <= this.frames.length ? this.frames[level - 1] : null;
    const k = parent ? parent.count++ : 0;
    if (level > this.skipBelow || parent === null) {
      if (this.measuring && v.kind !== 'array') {
        this.rank = level;
        this.measuring = false;
      }
      return;
    }
    if (this.shapeRefused) {
      if (v.kind === 'array' || v.kind === 'object') this.skipBelow = level;
      return;
    }
    const first = parent.first && k === 0;
    if (this.rank === null && v.kind !== 'array') this.rank = level;
    const rank = this.rank;
    const path = level === 1 ? `item ${k}` : `${parent.path}${level === rank ? `, entry ${k}` : `[${k}]`}`;
    if (v.kind === 'array' && (rank === null || level < rank)) {
      if (level <= TRACKED) this.frames.push({ count: 0, path, first, pending: null });
      else {
        // deeper than any data set's shape: only how deep it goes is still wanted
        this.skipBelow = level;
        this.measuring = this.rank === null;
      }
      return;
    }
    if (rank !== null && level < rank) {
      this.problem(level, new StudioError('invalid-shape', `${path} is ${describe(v)}, expected an array of ${this.dims[level]} ${level === rank - 1 ? 'numbers' : 'entries'}`));
    } else {
      try {
        this.out.add(asFloat32(v, path));
        if (this.out.count > MAX_VALUES) throw new StudioError('invalid-shape', `the array holds more than ${MAX_VALUES} numbers; import a smaller file`);
      } catch (err) {
        this.problem(level, err as StudioError);
      }
    }
    if (v.kind === 'array' || v.kind === 'object') this.skipBelow = level;
  }

  /** The array or object that started at level L ends. */
  end(level: number, kind: 'array' | 'object'): void {
    if (this.measuring && kind === 'array') {
      // an empty array on the first item's path: its length 0 is the last axis
      this.rank = level + 1;
      this.measuring = false;
    }
    if (level >= this.skipBelow) {
      if (level === this.skipBelow) this.skipBelow = Infinity;
      return;
    }
    const frame = this.frames.pop() as Frame;
    if (this.rank === null) this.rank = level + 1; // an empty array on the first item's path
    if (frame.first) {
      if (level <= TRACKED) this.dims[level] = frame.count;
      if (level === 1) {
        try {
          datasetShape(this.rawShape(1));
        } catch {
          this.shapeRefused = true;
          return;
        }
      }
    } else if (frame.count !== this.dims[level]) {
      const what = level === (this.rank as number) - 1 ? 'numbers' : 'entries';
      frame.pending = new StudioError('invalid-shape', `${frame.path} has ${frame.count} ${what}, expected ${this.dims[level]}`);
    }
    if (frame.pending) this.problem(level, frame.pending);
  }

  /** A problem of a value at level L: an item's is thrown at once, a deeper one waits in its container (the first one found is kept). */
  private problem(level: number, err: StudioError): void {
    if (level === 1) throw err;
    this.frames[level - 1].pending ??= err;
  }

  private rawShape(n: number): number[] {
    const rank = this.rank ?? 1;
    return [n, ...Array.from({ length: rank - 1 }, (_, i) => this.dims[i + 1] ?? 1)];
  }

  /** The set's shape once the whole file is read. */
  finish(notes: string[]): number[] {
    const n = this.rows;
    if (n === 0) throw new StudioError('invalid-shape', 'the array is empty; a data set needs at least one row');
    return datasetShape(this.rawShape(n), notes);
  }
}

/** A small JSON value kept whole (the "shape" and "classes" of the object form), with a cap on its size. */
class SmallValue {
  private readonly stack: (unknown[] | Record<string, unknown>)[] = [];
  private key: string | null = null;
  private size = 0;
  value: unknown = undefined;
  tooLarge = false;

  constructor(private readonly maxItems: number) {}

  private put(v: unknown): void {
    if (++this.size > this.maxItems) this.tooLarge = true;
    if (this.tooLarge) return;
    const top = this.stack[this.stack.length - 1];
    if (top === undefined) this.value = v;
    else if (Array.isArray(top)) top.push(v);
    else if (this.key !== null && this.key !== '__proto__') top[this.key] = v;
  }

  scalar(v: JsonScalar): void {
    if (v.kind === 'string' && v.long) this.tooLarge = true;
    this.put(v.kind === 'number' ? v.value : v.kind === 'string' ? v.text : v.kind === 'null' ? null : v.kind === 'true');
  }

  open(kind: 'array' | 'object'): void {
    const v = kind === 'array' ? [] : {};
    this.put(v);
    this.stack.push(v);
  }

  close(): void {
    this.stack.pop();
  }

  setKey(k: string): void {
    this.key = k;
  }
}

/** The object form, {"data": [...], "shape": [...], "labels": [...], "classes": [...]}: data and labels stream, shape and classes are kept. */
class ObjectForm {
  private field: 'data' | 'shape' | 'labels' | 'classes' | null = null;
  private readonly seen = new Set<string>();
  private dataIsArray = false;
  private dataCount = 0;
  private firstBadData: StudioError | null = null;
  private labelsGiven = false;
  private labelsAreNumbers = true;
  private labelCount = 0;
  private firstBadLabel: { index: number; value: number } | null = null;
  private maxLabel = -1;
  private readonly shape = new SmallValue(64);
  private readonly classes = new SmallValue(MAX_CLASSES + 1);

  constructor(private readonly out: { values: BlockWriter<Float32Array<ArrayBuffer>>; labels: BlockWriter<Int32Array<ArrayBuffer>> }) {}

  key(level: number, text: string, long: boolean): void {
    if (level !== 1) return this.kept()?.setKey(text);
    const name = long ? null : text;
    if (name === 'data' || name === 'shape' || name === 'labels' || name === 'classes') {
      if (this.seen.has(name)) throw new StudioError('invalid-argument', `the object names "${name}" twice`);
      this.seen.add(name);
      this.field = name;
    } else this.field = null;
  }

  private kept(): SmallValue | null {
    return this.field === 'shape' ? this.shape : this.field === 'classes' ? this.classes : null;
  }

  start(level: number, v: Met): void {
    if (level < 1 || this.field === null) return;
    const kept = this.kept();
    if (kept) {
      if (v.kind === 'array' || v.kind === 'object') kept.open(v.kind);
      else kept.scalar(v);
      return;
    }
    if (level === 1) {
      if (v.kind === 'array') {
        if (this.field === 'data') this.dataIsArray = true;
        else this.labelsGiven = true;
      } else if (this.field === 'labels') {
        this.labelsGiven = true;
        this.labelsAreNumbers = false;
      }
      return;
    }
    if (level !== 2) return;
    if (this.field === 'data') {
      const i = this.dataCount++;
      if (this.firstBadData) return;
      try {
        const f = asFloat32(v, `data[${i}]`);
        if (i < MAX_VALUES) this.out.values.add(f);
      } catch (err) {
        this.firstBadData = err as StudioError;
      }
      return;
    }
    // labels: whole numbers >= 0, one per row; the checks wait for the shape
    const i = this.labelCount++;
    if (v.kind !== 'number') {
      this.labelsAreNumbers = false;
      return;
    }
    const bad = !Number.isInteger(v.value) || v.value < 0 || v.value >= MAX_CLASSES;
    if (bad) this.firstBadLabel ??= { index: i, value: v.value };
    else if (i <= MAX_VALUES) {
      this.out.labels.add(v.value);
      this.maxLabel = Math.max(this.maxLabel, v.value);
    }
  }

  end(level: number): void {
    if (level >= 1 && this.kept()) this.kept()?.close();
  }

  /** Checks what the object held, in order: data, shape, sizes, values, labels, classes. */
  finish(notes: string[]): JsonSummary {
    if (!this.dataIsArray) throw new StudioError('invalid-argument', `the object has no "data" array; ${FORMS}`);
    const shape = this.shape.value;
    if (this.shape.tooLarge || !Array.isArray(shape) || shape.some((s) => !Number.isSafeInteger(s) || (s as number) < 0)) {
      const got = shape === undefined ? 'nothing' : this.shape.tooLarge ? 'a longer list' : JSON.stringify(shape).slice(0, 60);
      throw new StudioError('invalid-shape', `"shape" must be an array of whole numbers >= 0, got ${got}`);
    }
    const dims = shape as number[];
    const size = dims.reduce((a, b) => a * b, 1);
    if (size !== this.dataCount) throw new StudioError('invalid-shape', `"shape" [${dims.join(', ')}] holds ${size} numbers but "data" has ${this.dataCount}`);
    if (size > MAX_VALUES) throw new StudioError('invalid-shape', `"data" holds more than ${MAX_VALUES} numbers; import a smaller file`);
    if (this.firstBadData) throw this.firstBadData;
    const shaped = datasetShape(dims, notes);
    if (!this.labelsGiven) return { shape: shaped, notes };
    if (!this.labelsAreNumbers) throw new StudioError('invalid-argument', '"labels" must be an array of whole numbers, one per row');
    if (this.labelCount !== shaped[0]) throw new StudioError('invalid-shape', `there are ${this.labelCount} labels for ${shaped[0]} rows; expected one label per row`);
    if (this.firstBadLabel) checkLabel(this.firstBadLabel.value, `label ${this.firstBadLabel.index}`);
    const count = this.maxLabel + 1;
    const names = this.classes.value;
    if (Array.isArray(names) && !this.classes.tooLarge && names.every((c) => typeof c === 'string')) {
      if (names.length < count) throw new StudioError('invalid-argument', `"classes" names ${names.length} classes but a label is ${count - 1}`);
      return { shape: shaped, classes: names as string[], notes };
    }
    return { shape: shaped, classes: numberedClasses(count), notes };
  }
}

/**
 * Reads a JSON array of numbers as it arrives: text in, float32 values (and labels) out to a sink, without building the
 * document. Every problem is a StudioError naming the item and entry (counted from 0), or the line and column of a
 * syntax error.
 */
export class JsonArrayReader implements JsonHandler {
  private readonly decoder = new Utf8Chunks('JSON file');
  private readonly scanner = new JsonScanner(this);
  private readonly out: ReturnType<typeof sinkWriters>;
  private form: RowsForm | ObjectForm | null = null;
  private top: Met | null = null;
  private depth = 0;

  constructor(sink: DatasetSink) {
    this.out = sinkWriters(sink);
  }

  /** Values read so far. */
  get values(): number {
    return this.out.values.count;
  }

  /** Feeds the next bytes (or text) of the file. */
  push(chunk: string | Uint8Array): void {
    this.decoder.decode(chunk, (text) => this.scanner.push(text));
  }

  /** Ends the file and says what it held; the sink has every value and label when this returns. */
  end(): JsonSummary {
    this.decoder.decode(new Uint8Array(0), (text) => this.scanner.push(text), true);
    this.scanner.end();
    this.out.values.flush();
    this.out.labels.flush();
    const notes: string[] = [];
    if (this.form instanceof RowsForm) return { shape: this.form.finish(notes), notes };
    if (this.form instanceof ObjectForm) return this.form.finish(notes);
    throw new StudioError('invalid-argument', `the JSON file holds ${describe(this.top as Met)}; ${FORMS}`);
  }

  private met(v: Met): void {
    const level = this.depth;
    if (level === 0) {
      this.top = v;
      if (v.kind === 'array') this.form = new RowsForm(this.out.values);
      else if (v.kind === 'object') this.form = new ObjectForm(this.out);
      return;
    }
    this.form?.start(level, v);
  }

  /** JsonHandler: a number, string, boolean or null. */
  scalar(v: JsonScalar): void {
    this.met(v);
  }

  /** JsonHandler: '[' opens an array. */
  startArray(): void {
    this.met({ kind: 'array' });
    this.depth++;
  }

  /** JsonHandler: '{' opens an object. */
  startObject(): void {
    this.met({ kind: 'object' });
    this.depth++;
  }

  /** JsonHandler: ']' closes the innermost array. */
  endArray(): void {
    this.depth--;
    if (this.depth === 0) return;
    if (this.form instanceof RowsForm) this.form.end(this.depth, 'array');
    else this.form?.end(this.depth);
  }

  /** JsonHandler: '}' closes the innermost object. */
  endObject(): void {
    this.depth--;
    if (this.depth === 0) return;
    if (this.form instanceof RowsForm) this.form.end(this.depth, 'object');
    else this.form?.end(this.depth);
  }

  /** JsonHandler: an object member's key (long when cut at MAX_TEXT). */
  key(text: string, long: boolean): void {
    if (this.form instanceof ObjectForm) this.form.key(this.depth, text, long);
  }
}

/** Reads a JSON array of numbers into a data set; every problem is a StudioError naming the item and entry (counted from 0). */
export function parseJsonArray(input: string | Uint8Array): DatasetArray {
  const sink = new MemorySink();
  const reader = new JsonArrayReader(sink);
  pushInPieces(input, (piece) => reader.push(piece));
  const summary = reader.end();
  const data = sink.takeValues();
  if (summary.classes === undefined) return { data, shape: summary.shape, notes: summary.notes };
  return { data, shape: summary.shape, labels: sink.takeLabels(), classes: summary.classes, notes: summary.notes };
}

const num = (v: number): string => (Object.is(v, -0) ? '-0' : String(v));

function nested(data: Float32Array, shape: readonly number[], depth: number, start: number): string {
  const stride = shape.slice(depth + 1).reduce((a, b) => a * b, 1);
  const parts: string[] = [];
  for (let k = 0; k < shape[depth]; k++) {
    parts.push(depth === shape.length - 1 ? num(data[start + k]) : nested(data, shape, depth + 1, start + k * stride));
  }
  return `[${parts.join(',')}]`;
}

/** Writes data as JSON: nested rows (the default) or {data, shape[, labels]}; numbers read back as the same float32. */
export function writeJsonArray(data: Float32Array, shape: readonly number[], options: { form?: 'nested' | 'object'; labels?: Int32Array } = {}): string {
  const size = shape.reduce((a, b) => a * b, 1);
  if (shape.length === 0 || size !== data.length) throw new StudioError('invalid-shape', `shape [${shape.join(', ')}] does not match ${data.length} numbers`);
  if (options.form !== 'object' && !options.labels) return nested(data, shape, 0, 0);
  const labels = options.labels ? `,"labels":[${Array.from(options.labels).join(',')}]` : '';
  return `{"data":[${Array.from(data, num).join(',')}],"shape":[${shape.join(',')}]${labels}}`;
}
