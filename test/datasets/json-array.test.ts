// JSON arrays: nested rows and {data, shape, labels}, malformed items named by index, round trips and random bytes.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { StudioError } from '../../src-core/errors';
import { failure } from './fixtures';
import { parseJsonArray, writeJsonArray } from '../../src-core/io/json-array';
import { jsonErrorOffset } from '../../src-core/io/json-scan';


describe('parseJsonArray', () => {
  it('reads rows of numbers, a flat list and nested images', () => {
    expect(parseJsonArray('[[1, 2], [3, 4.5]]')).toMatchObject({ shape: [2, 2] });
    expect(Array.from(parseJsonArray('[[1, 2], [3, 4.5]]').data)).toEqual([1, 2, 3, 4.5]);
    expect(parseJsonArray('[1, 2, 3]').shape).toEqual([3, 1]);
    const images = parseJsonArray(JSON.stringify([[[0, 1], [1, 0]], [[1, 1], [0, 0]]]));
    expect(images.shape).toEqual([2, 1, 2, 2]);
    expect(images.notes[0]).toBe('shape (2, 2, 2) read as (2, 1, 2, 2): one channel');
  });

  it('reads {data, shape, labels}', () => {
    const set = parseJsonArray('{"data": [1, 2, 3, 4, 5, 6], "shape": [3, 2], "labels": [0, 2, 1]}');
    expect(set.shape).toEqual([3, 2]);
    expect(Array.from(set.labels ?? [])).toEqual([0, 2, 1]);
    expect(set.classes).toEqual(['0', '1', '2']);
  });

  it.each([
    ['[[1, 2], [3, 4], [5, 6], [7, 8], [1, 2, 3]]', 'item 4 has 3 numbers, expected 2'],
    ['[[1, 2], [3, "abc"]]', 'item 1, entry 1: "abc" is not a number'],
    ['[[1, 2], [3, null]]', 'item 1, entry 1: null is not a number'],
    ['[[1, 2], 7]', 'item 1 is 7, expected an array of 2 numbers'],
    ['[[[1, 2], [3, 4]], [[1, 2], [3]]]', 'item 1[1] has 1 numbers, expected 2'],
    ['[1, 2, [3]]', 'item 2: an array is not a number'],
    ['[[1, 1e39]]', 'item 0, entry 1: 1e+39 is too large for float32'],
    ['[]', 'the array is empty; a data set needs at least one row'],
    ['[[]]', 'shape (1, 0) has an empty axis; every axis needs at least 1 entry'],
    ['"hello"', 'the JSON file holds "hello"; expected an array of rows ([[1, 2], [3, 4]]) or {"data": [...], "shape": [...]}'],
    ['{"data": [1, 2, 3], "shape": [2, 2]}', '"shape" [2, 2] holds 4 numbers but "data" has 3'],
    ['{"data": [1, 2, true, 4], "shape": [2, 2]}', 'data[2]: true is not a number'],
    ['{"values": [1]}', 'the object has no "data" array; expected an array of rows ([[1, 2], [3, 4]]) or {"data": [...], "shape": [...]}'],
    ['{"data": [1, 2], "shape": [2, 1], "labels": [0]}', 'there are 1 labels for 2 rows; expected one label per row'],
    ['{"data": [1, 2], "shape": [2, 1], "labels": [0, 1.5]}', 'label 1 is 1.5; labels must be whole numbers >= 0'],
    // the class list once grew to the largest label: 2e9 names, and the process ran out of memory
    ['{"data": [1], "shape": [1, 1], "labels": [2000000000]}', 'label 0 is 2000000000; a set may have at most 10000 classes (labels 0 to 9999)'],
    ['{"data": [1, 2], "shape": [2, 1], "data": [3, 4]}', 'the object names "data" twice'],
  ])('rejects %s with its place', (text, message) => {
    expect(failure(() => parseJsonArray(text)).message).toBe(message);
  });

  it('says which line and column a syntax error is at', () => {
    expect(failure(() => parseJsonArray('[[1, 2],\n [3, 4],\n [5, }]')).message).toBe('the file is not valid JSON: line 3, column 6 at "}]"');
    expect(failure(() => parseJsonArray('[[1, 2], [3, 4]')).message).toBe('the file is not valid JSON: line 1, column 16 at the end of the file');
    expect(failure(() => parseJsonArray('[[1, 2]] x')).message).toBe('the file is not valid JSON: line 1, column 10 at "x"');
  });

  it('refuses deep nesting by its rank, not by running out of stack', () => {
    const deep = '['.repeat(20_000) + '1' + ']'.repeat(20_000);
    expect(failure(() => parseJsonArray(deep)).message).toMatch(/^shape \(1, 1, 1, .* has 20000 axes; expected \(n, d\), \(n, H, W\) or \(n, C, H, W\)$/);
  });

  it('names channel-last and too-large images', () => {
    const hwc = { data: new Array(2 * 4 * 4 * 3).fill(0), shape: [2, 4, 4, 3] };
    expect(failure(() => parseJsonArray(JSON.stringify(hwc))).message).toBe(
      'shape (2, 4, 4, 3) has 4 channels; images need 1 (grayscale) or 3 (RGB) as in (n, C, H, W); it looks channel-last: save it as (n, C, H, W), e.g. with np.transpose(x, (0, 3, 1, 2))',
    );
    const big = { data: new Array(65 * 65).fill(0), shape: [1, 65, 65] };
    expect(failure(() => parseJsonArray(JSON.stringify(big))).message).toBe('shape (1, 65, 65) holds 65x65 images; images up to 64x64 are supported');
  });

  it('reads back what it writes, in both forms', () => {
    const arb = fc
      .constantFrom<number[]>([1, 1], [3, 2], [2, 5], [2, 1, 3, 3], [1, 3, 2, 2])
      .chain((shape) => {
        const size = shape.reduce((a, b) => a * b, 1);
        return fc.record({
          shape: fc.constant(shape),
          values: fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { minLength: size, maxLength: size }),
          labels: fc.option(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: shape[0], maxLength: shape[0] }), { nil: undefined }),
          form: fc.constantFrom<'nested' | 'object'>('nested', 'object'),
        });
      });
    fc.assert(
      fc.property(arb, ({ shape, values, labels, form }) => {
        const data = Float32Array.from(values);
        const text = writeJsonArray(data, shape, { form, ...(labels ? { labels: Int32Array.from(labels) } : {}) });
        const back = parseJsonArray(text);
        expect(back.shape).toEqual(shape);
        expect(Array.from(back.data)).toEqual(Array.from(data));
        expect(back.labels ? Array.from(back.labels) : undefined).toEqual(labels);
      }),
      { numRuns: 200 },
    );
  });

  it('gives only StudioErrors on random bytes and random JSON', () => {
    const check = (input: string | Uint8Array): void => {
      try {
        parseJsonArray(input);
      } catch (err) {
        if (!(err instanceof StudioError)) throw err;
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), check), { numRuns: 500 });
    fc.assert(fc.property(fc.json({ maxDepth: 4 }), check), { numRuns: 500 });
  });

  it('finds a syntax error exactly where JSON.parse refuses the text', () => {
    const valid = (t: string): boolean => {
      try {
        JSON.parse(t);
        return true;
      } catch {
        return false;
      }
    };
    fc.assert(fc.property(fc.json({ maxDepth: 4 }), (t) => jsonErrorOffset(t) === null), { numRuns: 300 });
    fc.assert(fc.property(fc.stringMatching(/^[\[\]{}",:0-9.eE+\- tnrufals]{0,30}$/), (t) => (jsonErrorOffset(t) === null) === valid(t)), { numRuns: 2000 });
  });
});
