// CSV of numbers: read (optional header, delimiter , ; or tab) into [n, d] float32 rows, and write them back.
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
  /** A column of class labels (whole numbers >= 0), by header name or by number from 1; it leaves the data. */
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
    } else throw new StudioError('invalid-argument', `${where}: "${f.length > 40 ? f.slice(0, 40) + '…' : f}" is not a number`);
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
  if (headerMode === true || (headerMode === 'auto' && firstFields.some((f) => f.trim() !== '' && !isNumber(f, delimiter)))) {
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
  for (let i = start; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const row = i + 1;
    const fields = splitFields(lines[i], delimiter, row);
    if (width < 0) {
      width = fields.length;
      widthRow = row;
    } else if (fields.length !== width) {
      const expected = header ? `the header (row ${first + 1}) has ${width}` : `expected ${width} as in row ${widthRow}`;
      throw new StudioError('invalid-shape', `row ${row} has ${fields.length} column${fields.length === 1 ? '' : 's'}, ${expected} (${NAMES[delimiter]}-separated)`);
    }
    for (let c = 0; c < fields.length; c++) values.push(toNumber(fields[c], delimiter, row, c + 1, seen));
    rowLines.push(row);
    n++;
    if (values.length > MAX_VALUES) throw new StudioError('invalid-shape', `the CSV file holds more than ${MAX_VALUES} numbers; import a smaller file`);
  }
  if (n === 0) throw new StudioError('invalid-shape', header ? 'the CSV file has a header but no data rows' : 'the CSV file has no data rows');
  if (seen.decimalComma) notes.push('decimal commas read as decimal points');
  const table: CsvTable = { data: Float32Array.from(values), shape: [n, width], ...(header ? { header } : {}), notes, delimiter };
  return options.labelColumn === undefined ? table : splitLabels(table, options.labelColumn, rowLines);
}

/** Moves one column out of the rows into labels, naming the row (line of the file) of a label that is not a whole number >= 0. */
function splitLabels(table: CsvTable, which: string | number, rowLines: readonly number[]): CsvTable {
  const [n, d] = table.shape;
  const col = typeof which === 'number' ? which - 1 : (table.header ?? []).indexOf(which);
  if (typeof which === 'string' && col < 0) throw new StudioError('invalid-argument', `there is no column named "${which}"${table.header ? `; the columns are ${table.header.join(', ')}` : ' (the file has no header row)'}`);
  if (!Number.isInteger(col) || col < 0 || col >= d) throw new StudioError('invalid-argument', `label column ${which} does not exist; the file has ${d} columns`);
  if (d < 2) throw new StudioError('invalid-shape', 'the label column is the only column; a data set needs at least one more');
  const data = new Float32Array(n * (d - 1));
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = table.data[i * d + col];
    if (!Number.isInteger(v) || v < 0) throw new StudioError('invalid-argument', `row ${rowLines[i]}, column ${col + 1}: label ${v} is not a whole number >= 0`);
    labels[i] = v;
    for (let j = 0, k = 0; j < d; j++) if (j !== col) data[i * (d - 1) + k++] = table.data[i * d + j];
  }
  const count = labels.reduce((m, l) => Math.max(m, l + 1), 0);
  const header = table.header?.filter((_, j) => j !== col);
  const notes = [...table.notes, `column ${col + 1} read as class labels (${count} classes)`];
  return { data, shape: [n, d - 1], ...(header ? { header } : {}), labels, classes: Array.from({ length: count }, (_, i) => String(i)), notes, delimiter: table.delimiter };
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
