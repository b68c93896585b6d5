// CSV import choices (delimiter, header row, label column): what each sends to datasets.import, and the file's columns for the label picker.
import type { ImportParams, ImportPreview } from '../../../src-core/api/methods/datasets';

/** Field separator: decided from the file, or one of the three the reader knows. */
export type CsvDelimiterChoice = 'auto' | ',' | ';' | '\t';
/** Whether the first row names the columns. */
export type CsvHeaderChoice = 'auto' | 'yes' | 'no';

/** How to read a CSV file; the defaults let the reader decide. */
export interface CsvChoices {
  readonly delimiter: CsvDelimiterChoice;
  readonly header: CsvHeaderChoice;
  /** The column of class labels, numbered from 1; null for none. */
  readonly labelColumn: number | null;
}

/** A column of the file as read (the label column included), for the label picker. */
export interface FileColumn {
  /** Numbered from 1, as datasets.import takes it. */
  readonly number: number;
  /** Its header name, when the file has a header row. */
  readonly name: string | null;
}

/** The reader decides everything; no label column. */
export const DEFAULT_CSV: CsvChoices = { delimiter: 'auto', header: 'auto', labelColumn: null };

/** The delimiters offered, with their names. */
export const DELIMITERS: readonly { value: CsvDelimiterChoice; label: string }[] = [
  { value: 'auto', label: 'auto' },
  { value: ',', label: 'comma  ,' },
  { value: ';', label: 'semicolon  ;' },
  { value: '\t', label: 'tab' },
];

/** True for the names the import reads as CSV (it picks the reader by extension). */
export function isCsvName(fileName: string): boolean {
  return /\.(csv|tsv|txt)$/i.test(fileName);
}

/** True when every choice is the default. */
export function isDefaultCsv(c: CsvChoices): boolean {
  return c.delimiter === 'auto' && c.header === 'auto' && c.labelColumn === null;
}

/** The import parameters of the choices: only those that differ from letting the reader decide. */
export function csvParams(c: CsvChoices): Pick<ImportParams, 'delimiter' | 'header' | 'labelColumn'> {
  return {
    ...(c.delimiter !== 'auto' ? { delimiter: c.delimiter } : {}),
    ...(c.header !== 'auto' ? { header: c.header === 'yes' } : {}),
    ...(c.labelColumn !== null ? { labelColumn: c.labelColumn } : {}),
  };
}

/**
 * The file's columns from a preview read with these choices. A label column has left the preview's rows and header, so it
 * is put back at its place, named as it was in the last reading (previous) when the file has a header row.
 */
export function fileColumns(preview: Pick<ImportPreview, 'shape' | 'header'>, labelColumn: number | null, previous: readonly FileColumn[] | null): FileColumn[] {
  if (preview.shape.length !== 2) return [];
  const d = preview.shape[1];
  const header = preview.header;
  if (labelColumn === null) return Array.from({ length: d }, (_, j) => ({ number: j + 1, name: header?.[j] ?? null }));
  const total = d + 1;
  const labelName = header && previous?.length === total ? (previous[labelColumn - 1]?.name ?? null) : null;
  return Array.from({ length: total }, (_, j) => {
    if (j === labelColumn - 1) return { number: j + 1, name: labelName };
    return { number: j + 1, name: header?.[j < labelColumn - 1 ? j : j - 1] ?? null };
  });
}

/** Which choice a reader's message is about, so the form can mark it: the label column's messages name labels or it. */
export function faultyChoice(error: string | null, c: CsvChoices): keyof CsvChoices | null {
  if (!error || c.labelColumn === null) return null;
  return /label|no column named/.test(error) ? 'labelColumn' : null;
}
