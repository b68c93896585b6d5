// CSV reader: happy paths, every malformed case with its exact row and column, round trips and random bytes.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { StudioError } from '../../src-core/errors';
import { failure } from './fixtures';
import { parseCsv, writeCsv, type CsvDelimiter } from '../../src-core/io/csv';


describe('parseCsv', () => {
  it('reads a header, quoted names, blank lines and CRLF line ends', () => {
    const t = parseCsv('"x", y\r\n1,2\r\n\r\n-3.5,4e2\r\n');
    expect(t.shape).toEqual([2, 2]);
    expect(Array.from(t.data)).toEqual([1, 2, -3.5, 400]);
    expect(t.header).toEqual(['x', 'y']);
    expect(t.delimiter).toBe(',');
  });

  it('reads tab- and semicolon-separated files, the latter with decimal commas', () => {
    expect(Array.from(parseCsv('1\t2\n3\t4').data)).toEqual([1, 2, 3, 4]);
    const t = parseCsv(new TextEncoder().encode('\ufeffa;b\n1,5;2\n'));
    expect(t.delimiter).toBe(';');
    expect(Array.from(t.data)).toEqual([1.5, 2]);
    expect(t.notes).toContain('decimal commas read as decimal points');
  });

  it('reads one column without a header', () => {
    const t = parseCsv('1\n2\n3\n', { header: false });
    expect(t.shape).toEqual([3, 1]);
    expect(t.header).toBeUndefined();
  });

  it.each([
    ['x,y\n1,2\n3,abc\n', 'row 3, column 2: "abc" is not a number'],
    ['1,2\n3,4\n5,6,7\n', 'row 3 has 3 columns, expected 2 as in row 1 (comma-separated)'],
    ['a,b\n1,2\n3\n', 'row 3 has 1 column, the header (row 1) has 2 (comma-separated)'],
    ['1,2\n\n\n4,\n', 'row 4, column 2 is empty; expected a number'],
    ['1;2\n3;NaN\n', 'row 2, column 2: "NaN" is not a finite number'],
    ['1,2\n3,1e39\n', 'row 2, column 2: "1e39" is too large for float32'],
    ['1,"2\n', 'row 1, column 2: the quoted field is not closed'],
    ['1,"2"x\n', 'row 1, column 2: text after the closing quote'],
    ['a,b\n', 'the CSV file has a header but no data rows'],
    ['\n \n', 'the CSV file is empty'],
    ['1,2\n3,0x10\n', 'row 2, column 2: "0x10" is not a number'],
  ])('rejects %j with its place', (text, message) => {
    expect(failure(() => parseCsv(text)).message).toBe(message);
  });

  it('names the row and column of a bad value in a long file', () => {
    const lines = ['a,b,c', ...Array.from({ length: 20 }, (_, i) => `${i},${i + 1},${i + 2}`)];
    lines[16] = '1,2,abc';
    expect(failure(() => parseCsv(lines.join('\n'))).message).toBe('row 17, column 3: "abc" is not a number');
  });

  it('moves a label column out of the data, by name or number', () => {
    const t = parseCsv('x,class,y\n1,0,2\n3,2,4\n', { labelColumn: 'class' });
    expect(t.shape).toEqual([2, 2]);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4]);
    expect(Array.from(t.labels ?? [])).toEqual([0, 2]);
    expect(t.header).toEqual(['x', 'y']);
    expect(t.classes).toEqual(['0', '1', '2']);
    expect(Array.from(parseCsv('1,5\n2,6\n', { labelColumn: 1 }).labels ?? [])).toEqual([1, 2]);
    expect(failure(() => parseCsv('x,c\n1,0\n\n2,1.5\n', { labelColumn: 'c' })).message).toBe('row 4, column 2: label 1.5 is not a whole number >= 0');
    expect(failure(() => parseCsv('x,c\n1,0\n', { labelColumn: 'k' })).message).toBe('there is no column named "k"; the columns are x, c');
  });

  it('names classes by a text label column, sorted, with every label the index of its name', () => {
    const t = parseCsv('x,species,y\n1,versicolor,2\n3,setosa,4\n5,versicolor,6\n7,virginica,8\n', { labelColumn: 'species' });
    expect(t.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(Array.from(t.labels ?? [])).toEqual([1, 0, 1, 2]);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(t.notes).toContain('column 2 read as class labels (3 classes: setosa, versicolor, virginica)');
    // numbers among text are names too, in numeric order; a label column by number does not make row 1 a header
    const mixed = parseCsv('0.5,class 10\n1.5,class 9\n2.5,2\n', { labelColumn: 2 });
    expect(mixed.header).toBeUndefined();
    expect(mixed.classes).toEqual(['2', 'class 9', 'class 10']);
    expect(Array.from(mixed.labels ?? [])).toEqual([2, 1, 0]);
    expect(failure(() => parseCsv('x,c\n1,a\n2,\n', { labelColumn: 'c' })).message).toBe('row 3, column 2: the class label is empty');
    // the other columns must still be numbers
    expect(failure(() => parseCsv('x,c\n1,a\nb,a\n', { labelColumn: 'c' })).message).toBe('row 3, column 1: "b" is not a number');
  });

  it('reads the one column of text as class labels unasked, with or without a header row', () => {
    const headed = parseCsv('x,y,side\n1,2,left\n3,4,right\n5,6,left\n');
    expect([headed.header, headed.shape, headed.classes, headed.labelColumn]).toEqual([['x', 'y'], [3, 2], ['left', 'right'], 3]);
    expect(Array.from(headed.labels ?? [])).toEqual([0, 1, 0]);
    expect(headed.notes).toContain('column 3 (the only column of text) read as class labels (2 classes: left, right)');
    // no header: a column of text in every row says nothing about row 1
    const bare = parseCsv('left,1,2\nright,3,4\n');
    expect([bare.header, bare.shape, bare.classes, bare.labelColumn]).toEqual([undefined, [2, 2], ['left', 'right'], 1]);
    expect(Array.from(bare.data)).toEqual([1, 2, 3, 4]);
    // text in row 1 with numbers below is a typo, not class names; two text columns are no label column
    expect(failure(() => parseCsv('a,b,c\n1,oops,3\n4,5,6\n')).message).toBe('row 2, column 2: "oops" is not a number (row 3 holds one there, so the column is not class names)');
    expect(failure(() => parseCsv('1,a,b\n2,c,d\n')).message).toBe('row 1, column 2: "a" is not a number');
    // an empty field further down a column of names is reported as empty, not as a number
    expect(failure(() => parseCsv('x,side\n1,left\n2,\n3,right\n')).message).toBe('row 3, column 2: the class label is empty');
    // numbers only: no labels
    expect(parseCsv('1,2\n3,4\n').labels).toBeUndefined();
  });

  it('refuses a label that would make billions of classes, and a column of more distinct names than a set may have', () => {
    // the class list once grew to the largest label: a 13-byte file made 2e9 names and ran the process out of memory
    expect(failure(() => parseCsv('1,2000000000\n', { labelColumn: 2 })).message).toBe('row 1, column 2: label 2000000000 is too large; a set may have at most 10000 classes (labels 0 to 9999)');
    const ids = ['x,id', ...Array.from({ length: 10_001 }, (_, i) => `${i},row${i}`)].join('\n');
    expect(failure(() => parseCsv(ids)).message).toBe('column 2 holds more than 10000 different class labels; a set may have at most 10000 classes');
  });

  it('rejects bytes that are not UTF-8', () => {
    expect(failure(() => parseCsv(new Uint8Array([0x31, 0xff, 0x0a]))).message).toBe('the CSV file is not UTF-8 text');
  });

  it('reads back what it writes, header and delimiter included', () => {
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 _,;"]{0,8}$/);
    const table = fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 })).chain(([n, d]) =>
      fc.record({
        n: fc.constant(n),
        d: fc.constant(d),
        values: fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { minLength: n * d, maxLength: n * d }),
        header: fc.option(fc.array(name, { minLength: d, maxLength: d }), { nil: undefined }),
        delimiter: fc.constantFrom<CsvDelimiter>(',', ';', '\t'),
      }),
    );
    fc.assert(
      fc.property(table, ({ n, d, values, header, delimiter }) => {
        const data = Float32Array.from(values);
        const text = writeCsv(data, [n, d], { delimiter, ...(header ? { header } : {}) });
        const back = parseCsv(text, { delimiter, header: header !== undefined });
        expect(back.shape).toEqual([n, d]);
        expect(Array.from(back.data)).toEqual(Array.from(data));
        expect(back.header).toEqual(header);
      }),
      { numRuns: 200 },
    );
  });

  it('gives only StudioErrors on random bytes and random text', () => {
    const check = (input: string | Uint8Array): void => {
      try {
        parseCsv(input);
      } catch (err) {
        if (!(err instanceof StudioError)) throw err;
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), check), { numRuns: 500 });
    fc.assert(fc.property(fc.stringMatching(/^[0-9.,;\t\n\r" eE+-a]{0,80}$/), check), { numRuns: 500 });
  });
});
