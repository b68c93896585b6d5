// CSV of numbers: read (optional header, delimiter , ; or tab, an optional column of class labels) into [n, d] float32 rows, and write them back.
import { StudioError } from '../errors';
import { MAX_VALUES, type DatasetArray } from './dataset-array';
import { decodeText } from './text-input';

/** Field separators the reader understands. */
export type CsvDelimiter = ',' | ';' | '\t';

/** How to read a CSV file; 'auto' (the default) decides from the file. */
export interface CsvOptions {
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
export type CsvTable = DatasetArray & { readonly delimiter: CsvDelimiter };

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

/** Reads a CSV file of numbers into [n, d] rows; every problem is a StudioError naming its row (line of the file) and column. */
export function parseCsv(input: string | Uint8Array, options: CsvOptions = {}): CsvTable {
  const text = decodeText(input, 'CSV file');
  const lines = text.split(/\r\n|\n|\r/);
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0) throw new StudioError('invalid-shape', 'the CSV file is empty');
  const delimiter = options.delimiter === undefined || options.delimiter === 'auto' ? pickDelimiter(lines[first]) : options.delimiter;
  const notes: string[] = [];
  let header: string[] | undefined;
  let start = first;
  const firstFields = splitFields(lines[first], delimiter, first + 1);
  const headerMode = options.header ?? 'auto';
  const next = lines.findIndex((l, i) => i > first && l.trim() !== '');
  const secondFields = next < 0 ? null : splitFields(lines[next], delimiter, next + 1);
  const isText = (f: string) => f.trim() !== '' && !isNumber(f, delimiter) && !NON_FINITE.test(f.trim());
  // text above a number names its column; a column of text in every row (class names) says nothing about a header
  const textAllowed = typeof options.labelColumn === 'number' ? options.labelColumn - 1 : -1;
  const looksLikeHeader = secondFields
    ? firstFields.some((f, c) => isText(f) && c < secondFields.length && !isText(secondFields[c]))
    : firstFields.some((f, c) => c !== textAllowed && isText(f));
  if (headerMode === true || (headerMode === 'auto' && looksLikeHeader)) {
    header = firstFields;
    start = first + 1;
    notes.push(`row ${first + 1} read as column names: ${header.join(', ')}`);
  }
  const values: number[] = [];
  let width = header ? header.length : -1;
  let widthRow = first + 1;
  let n = 0;
  const seen = { decimalComma: false };
  const rowLines: number[] = [];
  const labelFields: string[] = [];
  let labelCol = -1;
  if (header && options.labelColumn !== undefined) labelCol = labelColumnIndex(options.labelColumn, header, width);
  for (let i = start; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const row = i + 1;
    const fields = splitFields(lines[i], delimiter, row);
    if (width < 0) {
      width = fields.length;
      widthRow = row;
      if (options.labelColumn !== undefined) labelCol = labelColumnIndex(options.labelColumn, header, width);
    } else if (fields.length !== width) {
      const expected = header ? `the header (row ${first + 1}) has ${width}` : `expected ${width} as in row ${widthRow}`;
      throw new StudioError('invalid-shape', `row ${row} has ${fields.length} column${fields.length === 1 ? '' : 's'}, ${expected} (${NAMES[delimiter]}-separated)`);
    }
    if (n === 0 && options.labelColumn === undefined) {
      // unasked, the one column of text in the first data row is the label column (a column of class names)
      const text = fields.flatMap((f, c) => (isText(f) ? [c] : []));
      if (text.length === 1 && width >= 2) labelCol = text[0];
    }
    for (let c = 0; c < fields.length; c++) {
      if (c === labelCol) labelFields.push(fields[c].trim());
      else values.push(toNumber(fields[c], delimiter, row, c + 1, seen));
    }
    rowLines.push(row);
    n++;
    if (values.length > MAX_VALUES) throw new StudioError('invalid-shape', `the CSV file holds more than ${MAX_VALUES} numbers; import a smaller file`);
  }
  if (n === 0) throw new StudioError('invalid-shape', header ? 'the CSV file has a header but no data rows' : 'the CSV file has no data rows');
  if (seen.decimalComma) notes.push('decimal commas read as decimal points');
  if (labelCol < 0) return { data: Float32Array.from(values), shape: [n, width], ...(header ? { header } : {}), notes, delimiter };
  if (options.labelColumn === undefined) {
    // a column found by its text must be text all the way down; a number in it means the first row's text is a typo
    // (an empty field is left to readLabels, which names it as empty)
    const k = labelFields.findIndex((f) => f !== '' && !isText(f));
    if (k >= 0) throw new StudioError('invalid-argument', `row ${rowLines[0]}, column ${labelCol + 1}: "${clip(labelFields[0])}" is not a number (row ${rowLines[k]} holds one there, so the column is not class names)`);
  }
  const { labels, classes, named } = readLabels(labelFields, rowLines, labelCol + 1, delimiter);
  const asked = options.labelColumn !== undefined ? '' : ' (the only column of text)';
  notes.push(`column ${labelCol + 1}${asked} read as class labels (${classes.length} classes${named ? `: ${classes.join(', ')}` : ''})`);
  const rest = header?.filter((_, j) => j !== labelCol);
  return { data: Float32Array.from(values), shape: [n, width - 1], ...(rest ? { header: rest } : {}), labels, classes, labelColumn: labelCol + 1, notes, delimiter };
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

/**
 * Labels from the label column's fields: all numbers must be whole and >= 0 (classes '0'..max); any text makes every
 * distinct field a class name, sorted, with label k the k-th name. An empty field is an error naming its row.
 */
function readLabels(fields: readonly string[], rowLines: readonly number[], column: number, delimiter: CsvDelimiter): { labels: Int32Array; classes: string[]; named: boolean } {
  const labels = new Int32Array(fields.length);
  const empty = fields.indexOf('');
  if (empty >= 0) throw new StudioError('invalid-argument', `row ${rowLines[empty]}, column ${column}: the class label is empty`);
  if (fields.every((f) => isNumber(f, delimiter))) {
    fields.forEach((f, i) => {
      const v = Number(NUMBER.test(f) ? f : f.replace(',', '.'));
      if (!Number.isInteger(v) || v < 0) throw new StudioError('invalid-argument', `row ${rowLines[i]}, column ${column}: label ${v} is not a whole number >= 0`);
      labels[i] = v;
    });
    const count = labels.reduce((m, l) => Math.max(m, l + 1), 0);
    return { labels, classes: Array.from({ length: count }, (_, i) => String(i)), named: false };
  }
  const classes = [...new Set(fields)].sort(sortNames);
  const index = new Map(classes.map((c, k) => [c, k]));
  fields.forEach((f, i) => (labels[i] = index.get(f) ?? 0));
  return { labels, classes, named: true };
}

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
