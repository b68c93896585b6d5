// CSV of numbers: read (optional header, delimiter , ; or tab, an optional column of class labels) into [n, d] float32 rows, and write them back.
import { StudioError } from '../errors';
import { MAX_CLASSES, MAX_VALUES, numberedClasses, type DatasetArray } from './dataset-array';
import { LineSplitter, Utf8Chunks } from './text-input';
import { MemorySink, pushInPieces, sinkWriters, type DatasetSink } from './value-sink';

/** Field separators the reader understands. */
export type CsvDelimiter = ',' | ';' | '\t';

/** How to read a CSV file; 'auto' (the default) decides from the file. */
interface CsvOptions {
  readonly delimiter?: CsvDelimiter | 'auto';
  /** true: the first row names the columns; false: every row is numbers; 'auto': a first row with any non-number is a header. */
  readonly header?: boolean | 'auto';
  /**
   * A column of class labels, by header name or by number from 1; it leaves the data. Whole numbers >= 0 are the labels
   * themselves; a column with any other text names its classes (label k is the k-th name in sorted order). Not given,
   * the one column of text of the first data row (if there is exactly one) is the label column.
   */
  readonly labelColumn?: string | number;
}

/** A parsed CSV file: its rows as a data set and the delimiter it used. */
type CsvTable = DatasetArray & { readonly delimiter: CsvDelimiter };

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const DECIMAL_COMMA = /^[+-]?\d+,\d+(?:[eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;
const NAMES: Readonly<Record<CsvDelimiter, string>> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' };

/** Splits one line into fields, trimming unquoted ones; double-quoted fields are kept verbatim and may hold the delimiter and "" for a quote. */
function splitFields(line: string, delimiter: CsvDelimiter, row: number): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let s = i;
    while (line[s] === ' ') s++;
    if (line[s] === '"') {
      let value = '';
      let j = s + 1;
      for (;;) {
        const k = line.indexOf('"', j);
        if (k < 0) throw new StudioError('invalid-argument', `row ${row}, column ${out.length + 1}: the quoted field is not closed`);
        value += line.slice(j, k);
        if (line[k + 1] === '"') {
          value += '"';
          j = k + 2;
          continue;
        }
        i = k + 1;
        break;
      }
      while (line[i] === ' ') i++;
      if (i < line.length && line[i] !== delimiter) throw new StudioError('invalid-argument', `row ${row}, column ${out.length + 1}: text after the closing quote`);
      out.push(value);
      if (i >= line.length) return out;
      i++;
      continue;
    }
    const k = line.indexOf(delimiter, i);
    if (k < 0) {
      out.push(line.slice(i).trim());
      return out;
    }
    out.push(line.slice(i, k).trim());
    i = k + 1;
  }
}

function isNumber(field: string, delimiter: CsvDelimiter): boolean {
  const f = field.trim();
  return NUMBER.test(f) || (delimiter !== ',' && DECIMAL_COMMA.test(f));
}

/** A field that is neither empty nor a number (finite or not): text, as class names are. */
function isTextField(f: string, delimiter: CsvDelimiter): boolean {
  return f.trim() !== '' && !isNumber(f, delimiter) && !NON_FINITE.test(f.trim());
}

/** A field as quoted in a message: at most 40 characters. */
const clip = (f: string) => (f.length > 40 ? f.slice(0, 40) + '…' : f);

/** One field as float32, or a StudioError naming its row and column. */
function toNumber(field: string, delimiter: CsvDelimiter, row: number, column: number, seen: { decimalComma: boolean }): number {
  const f = field.trim();
  const where = `row ${row}, column ${column}`;
  if (f === '') throw new StudioError('invalid-argument', `${where} is empty; expected a number`);
  if (NON_FINITE.test(f)) throw new StudioError('not-finite', `${where}: "${f}" is not a finite number`);
  let text = f;
  if (!NUMBER.test(f)) {
    // A decimal comma (1,5) is common where ';' or tab separates the fields.
    if (delimiter !== ',' && DECIMAL_COMMA.test(f)) {
      text = f.replace(',', '.');
      seen.decimalComma = true;
    } else throw new StudioError('invalid-argument', `${where}: "${clip(f)}" is not a number`);
  }
  const v = Math.fround(Number(text));
  if (!Number.isFinite(v)) throw new StudioError('not-finite', `${where}: "${f}" is too large for float32`);
  return v;
}

function pickDelimiter(firstLine: string): CsvDelimiter {
  if (firstLine.includes('\t')) return '\t';
  if (firstLine.includes(';')) return ';';
  return ',';
}

/** Longest line the reader takes, in characters (a row of 12,288 pixels as text fits with room to spare). */
const MAX_LINE_CHARS = 1 << 22;

/** What a CSV file held besides its numbers: the shape, header, labels' classes and the reader's notes. */
interface CsvSummary {
  readonly shape: number[];
  readonly header?: string[];
  readonly classes?: string[];
  readonly labelColumn?: number;
  readonly notes: string[];
  readonly delimiter: CsvDelimiter;
  /**
   * Labels were sent to the sink as provisional codes (the order each class first appeared); the final label of
   * code k is labelMap[k]. Absent when the set has no labels.
   */
  readonly labelMap?: Int32Array;
}

/** One class label value as first met: its text, the row it first appeared in, and its provisional code. */
interface LabelValue {
  readonly code: number;
  readonly row: number;
}

/**
 * Reads a CSV file of numbers as it arrives: text in, rows of float32 and labels out to a sink; nothing grows with the
 * file but the class names. Every problem is a StudioError naming its row (line of the file) and column.
 */
export class CsvReader {
  private readonly decoder = new Utf8Chunks('CSV file');
  private readonly lines: LineSplitter;
  private readonly out: ReturnType<typeof sinkWriters>;
  private readonly notes: string[] = [];
  private delimiter: CsvDelimiter | null = null;
  /** The first non-empty line, held until the second one says whether it is a header. */
  private firstLine: { text: string; row: number } | null = null;
  private started = false;
  private header: string[] | undefined;
  private width = -1;
  private widthRow = 0;
  private headerRow = 0;
  private n = 0;
  private labelCol = -1;
  private readonly seen = { decimalComma: false };
  private readonly labelValues = new Map<string, LabelValue>();
  /** The auto-found label column's first field and its row (quoted in the error when a number turns up below it). */
  private firstLabelText = '';
  private firstLabelRow = 0;

  constructor(
    private readonly options: CsvOptions,
    sink: DatasetSink,
  ) {
    this.out = sinkWriters(sink);
    this.lines = new LineSplitter((text, row) => this.line(text, row), MAX_LINE_CHARS);
  }

  /** Rows read so far. */
  get rows(): number {
    return this.n;
  }

  /** Feeds the next bytes (or text) of the file. */
  push(chunk: string | Uint8Array): void {
    this.decoder.decode(chunk, (text) => this.lines.push(text));
  }

  /** Ends the file and says what it held; the sink has every value and label when this returns. */
  end(): CsvSummary {
    this.decoder.decode(new Uint8Array(0), (text) => this.lines.push(text), true);
    this.lines.end();
    if (this.firstLine === null && !this.started) throw new StudioError('invalid-shape', 'the CSV file is empty');
    if (!this.started) this.begin(null);
    this.out.values.flush();
    this.out.labels.flush();
    const delimiter = this.delimiter as CsvDelimiter;
    if (this.n === 0) throw new StudioError('invalid-shape', this.header ? 'the CSV file has a header but no data rows' : 'the CSV file has no data rows');
    if (this.seen.decimalComma) this.notes.push('decimal commas read as decimal points');
    const header = this.header;
    if (this.labelCol < 0) return { shape: [this.n, this.width], ...(header ? { header } : {}), notes: this.notes, delimiter };
    const { labelMap, classes, named } = this.finishLabels();
    const asked = this.options.labelColumn !== undefined ? '' : ' (the only column of text)';
    this.notes.push(`column ${this.labelCol + 1}${asked} read as class labels (${classes.length} classes${named ? `: ${classes.join(', ')}` : ''})`);
    const rest = header?.filter((_, j) => j !== this.labelCol);
    return { shape: [this.n, this.width - 1], ...(rest ? { header: rest } : {}), classes, labelColumn: this.labelCol + 1, notes: this.notes, delimiter, labelMap };
  }

  private line(text: string, row: number): void {
    if (text.trim() === '') return;
    if (this.started) return this.row(text, row);
    if (this.firstLine === null) {
      this.firstLine = { text, row };
      return;
    }
    this.begin({ text, row });
  }

  /** Decides the delimiter and whether the first line is a header, from the first two non-empty lines. */
  private begin(second: { text: string; row: number } | null): void {
    this.started = true;
    const first = this.firstLine as { text: string; row: number };
    const options = this.options;
    const delimiter = options.delimiter === undefined || options.delimiter === 'auto' ? pickDelimiter(first.text) : options.delimiter;
    this.delimiter = delimiter;
    const firstFields = splitFields(first.text, delimiter, first.row);
    const headerMode = options.header ?? 'auto';
    const secondFields = second ? splitFields(second.text, delimiter, second.row) : null;
    const isText = (f: string) => isTextField(f, delimiter);
    // text above a number names its column; a column of text in every row (class names) says nothing about a header
    const textAllowed = typeof options.labelColumn === 'number' ? options.labelColumn - 1 : -1;
    const looksLikeHeader = secondFields
      ? firstFields.some((f, c) => isText(f) && c < secondFields.length && !isText(secondFields[c]))
      : firstFields.some((f, c) => c !== textAllowed && isText(f));
    this.headerRow = first.row;
    this.widthRow = first.row;
    if (headerMode === true || (headerMode === 'auto' && looksLikeHeader)) {
      this.header = firstFields;
      this.width = firstFields.length;
      this.notes.push(`row ${first.row} read as column names: ${firstFields.join(', ')}`);
      if (options.labelColumn !== undefined) this.labelCol = labelColumnIndex(options.labelColumn, this.header, this.width);
    } else this.fields(firstFields, first.row);
    if (second) this.fields(secondFields as string[], second.row);
  }

  private row(text: string, row: number): void {
    this.fields(splitFields(text, this.delimiter as CsvDelimiter, row), row);
  }

  private fields(fields: string[], row: number): void {
    const delimiter = this.delimiter as CsvDelimiter;
    const options = this.options;
    if (this.width < 0) {
      this.width = fields.length;
      this.widthRow = row;
      if (options.labelColumn !== undefined) this.labelCol = labelColumnIndex(options.labelColumn, this.header, this.width);
    } else if (fields.length !== this.width) {
      const expected = this.header ? `the header (row ${this.headerRow}) has ${this.width}` : `expected ${this.width} as in row ${this.widthRow}`;
      throw new StudioError('invalid-shape', `row ${row} has ${fields.length} column${fields.length === 1 ? '' : 's'}, ${expected} (${NAMES[delimiter]}-separated)`);
    }
    if (this.n === 0 && options.labelColumn === undefined) {
      // unasked, the one column of text in the first data row is the label column (a column of class names)
      const text = fields.flatMap((f, c) => (isTextField(f, delimiter) ? [c] : []));
      if (text.length === 1 && this.width >= 2) {
        this.labelCol = text[0];
        this.firstLabelText = fields[text[0]].trim();
        this.firstLabelRow = row;
      }
    }
    const values = this.out.values;
    for (let c = 0; c < fields.length; c++) {
      if (c === this.labelCol) this.label(fields[c].trim(), row);
      else values.add(toNumber(fields[c], delimiter, row, c + 1, this.seen));
    }
    this.n++;
    if (values.count > MAX_VALUES) throw new StudioError('invalid-shape', `the CSV file holds more than ${MAX_VALUES} numbers; import a smaller file`);
  }

  private label(field: string, row: number): void {
    const column = this.labelCol + 1;
    if (field === '') throw new StudioError('invalid-argument', `row ${row}, column ${column}: the class label is empty`);
    const delimiter = this.delimiter as CsvDelimiter;
    // a column found by its text must be text all the way down; a number in it means the first row's text is a typo
    if (this.options.labelColumn === undefined && !isTextField(field, delimiter)) {
      throw new StudioError('invalid-argument', `row ${this.firstLabelRow}, column ${column}: "${clip(this.firstLabelText)}" is not a number (row ${row} holds one there, so the column is not class names)`);
    }
    let value = this.labelValues.get(field);
    if (value === undefined) {
      if (this.labelValues.size >= MAX_CLASSES) throw new StudioError('invalid-shape', `column ${column} holds more than ${MAX_CLASSES} different class labels; a set may have at most ${MAX_CLASSES} classes`);
      value = { code: this.labelValues.size, row };
      this.labelValues.set(field, value);
    }
    this.out.labels.add(value.code);
  }

  /**
   * Labels from the label column's values: all numbers must be whole and >= 0 (classes '0'..max); any text makes every
   * distinct value a class name, sorted, with label k the k-th name.
   */
  private finishLabels(): { labelMap: Int32Array; classes: string[]; named: boolean } {
    const delimiter = this.delimiter as CsvDelimiter;
    const column = this.labelCol + 1;
    const entries = [...this.labelValues.entries()];
    const labelMap = new Int32Array(entries.length);
    if (entries.every(([f]) => isNumber(f, delimiter))) {
      // the first row (in file order) whose label is not a class number is the one to name
      const bad = entries
        .map(([f, v]) => ({ v: Number(NUMBER.test(f) ? f : f.replace(',', '.')), row: v.row, code: v.code }))
        .sort((a, b) => a.row - b.row);
      let count = 0;
      for (const b of bad) {
        const where = `row ${b.row}, column ${column}: label ${b.v}`;
        if (!Number.isInteger(b.v) || b.v < 0) throw new StudioError('invalid-argument', `${where} is not a whole number >= 0`);
        if (b.v >= MAX_CLASSES) throw new StudioError('invalid-argument', `${where} is too large; a set may have at most ${MAX_CLASSES} classes (labels 0 to ${MAX_CLASSES - 1})`);
        labelMap[b.code] = b.v;
        count = Math.max(count, b.v + 1);
      }
      return { labelMap, classes: numberedClasses(count), named: false };
    }
    const classes = entries.map(([f]) => f).sort(sortNames);
    const rank = new Map(classes.map((c, k) => [c, k]));
    for (const [f, v] of entries) labelMap[v.code] = rank.get(f) ?? 0;
    return { labelMap, classes, named: true };
  }
}

/** Reads a CSV file of numbers into [n, d] rows; every problem is a StudioError naming its row (line of the file) and column. */
export function parseCsv(input: string | Uint8Array, options: CsvOptions = {}): CsvTable {
  const sink = new MemorySink();
  const reader = new CsvReader(options, sink);
  pushInPieces(input, (piece) => reader.push(piece));
  const { labelMap, ...summary } = reader.end();
  const data = sink.takeValues();
  if (!labelMap) return { ...summary, data };
  const labels = sink.takeLabels();
  for (let i = 0; i < labels.length; i++) labels[i] = labelMap[labels[i]];
  return { ...summary, data, labels };
}

/** The 0-based index of the label column, given by header name or by number from 1. */
function labelColumnIndex(which: string | number, header: readonly string[] | undefined, width: number): number {
  const col = typeof which === 'number' ? which - 1 : (header ?? []).indexOf(which);
  if (typeof which === 'string' && col < 0) throw new StudioError('invalid-argument', `there is no column named "${which}"${header ? `; the columns are ${header.join(', ')}` : ' (the file has no header row)'}`);
  if (!Number.isInteger(col) || col < 0 || col >= width) throw new StudioError('invalid-argument', `label column ${which} does not exist; the file has ${width} columns`);
  if (width < 2) throw new StudioError('invalid-shape', 'the label column is the only column; a data set needs at least one more');
  return col;
}

const sortNames = new Intl.Collator('en', { numeric: true }).compare;

function quote(name: string, delimiter: CsvDelimiter): string {
  return /["\r\n]/.test(name) || name.includes(delimiter) || name !== name.trim() ? `"${name.replace(/"/g, '""')}"` : name;
}

/** Writes [n, d] rows as CSV text (one row a line, shortest decimal that reads back to the same float32). */
export function writeCsv(data: Float32Array, shape: readonly number[], options: { delimiter?: CsvDelimiter; header?: readonly string[] } = {}): string {
  const [n, d] = shape;
  if (shape.length !== 2 || n * d !== data.length) throw new StudioError('invalid-shape', `CSV needs [n, d] rows matching the data, got [${shape.join(', ')}] for ${data.length} numbers`);
  const delimiter = options.delimiter ?? ',';
  const lines: string[] = [];
  if (options.header) lines.push(options.header.map((h) => quote(h, delimiter)).join(delimiter));
  for (let i = 0; i < n; i++) {
    const row: string[] = [];
    for (let j = 0; j < d; j++) {
      const v = data[i * d + j];
      row.push(Object.is(v, -0) ? '-0' : String(v));
    }
    lines.push(row.join(delimiter));
  }
  return lines.join('\n') + '\n';
}
