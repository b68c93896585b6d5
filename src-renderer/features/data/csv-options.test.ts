// CSV choices: only non-default ones become import parameters; the label picker's columns put the label column back at its place.
import { describe, expect, it } from 'vitest';
import { csvParams, DEFAULT_CSV, faultyChoice, fileColumns, isCsvName, isDefaultCsv } from './csv-options';

describe('csv choices', () => {
  it('send only what differs from letting the reader decide', () => {
    expect(csvParams(DEFAULT_CSV)).toEqual({});
    expect(csvParams({ delimiter: ';', header: 'yes', labelColumn: 3 })).toEqual({ delimiter: ';', header: true, labelColumn: 3 });
    expect(csvParams({ delimiter: '\t', header: 'no', labelColumn: null })).toEqual({ delimiter: '\t', header: false });
    expect(isDefaultCsv(DEFAULT_CSV)).toBe(true);
    expect(isDefaultCsv({ ...DEFAULT_CSV, header: 'no' })).toBe(false);
  });

  it('know CSV files by the extensions the import reads as CSV', () => {
    expect(['a.csv', 'B.TSV', 'c.txt'].map(isCsvName)).toEqual([true, true, true]);
    expect(['a.json', 'b.npy', 'csv', 'x.csv.png'].map(isCsvName)).toEqual([false, false, false, false]);
  });

  it('list the columns of a reading without labels, named by the header when there is one', () => {
    expect(fileColumns({ shape: [10, 3], header: ['x', 'y', 'class'] }, null, null)).toEqual([
      { number: 1, name: 'x' },
      { number: 2, name: 'y' },
      { number: 3, name: 'class' },
    ]);
    expect(fileColumns({ shape: [10, 2], header: null }, null, null)).toEqual([
      { number: 1, name: null },
      { number: 2, name: null },
    ]);
    expect(fileColumns({ shape: [4, 1, 8, 8], header: null }, null, null)).toEqual([]);
  });

  it('put a label column back where it was, keeping its name from the reading before', () => {
    const before = fileColumns({ shape: [10, 3], header: ['x', 'class', 'y'] }, null, null);
    // column 2 left the rows and the header: [x, y] remain
    expect(fileColumns({ shape: [10, 2], header: ['x', 'y'] }, 2, before)).toEqual(before);
    // no reading before: the label column is known by its number only
    expect(fileColumns({ shape: [10, 2], header: ['x', 'y'] }, 2, null)).toEqual([
      { number: 1, name: 'x' },
      { number: 2, name: null },
      { number: 3, name: 'y' },
    ]);
    // a reading without header names nothing, even if the one before did
    expect(fileColumns({ shape: [10, 2], header: null }, 1, before).map((c) => c.name)).toEqual([null, null, null]);
  });

  it('mark the label column for the messages about labels only', () => {
    const label = { ...DEFAULT_CSV, labelColumn: 1 };
    expect(faultyChoice('d.csv: row 2, column 1: label 0.5 is not a whole number >= 0', label)).toBe('labelColumn');
    expect(faultyChoice('d.csv: label column 4 does not exist; the file has 3 columns', label)).toBe('labelColumn');
    expect(faultyChoice('d.csv: row 3, column 2: "abc" is not a number', label)).toBeNull();
    expect(faultyChoice('d.csv: row 2, column 1: label 0.5 is not a whole number >= 0', DEFAULT_CSV)).toBeNull();
    expect(faultyChoice(null, label)).toBeNull();
  });
});
