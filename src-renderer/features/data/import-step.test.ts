// Tests of the progress line's words and fraction.
import { describe, expect, it } from 'vitest';
import { stepFraction, stepText } from './import-step';

describe('import progress line', () => {
  it('says what runs, how far, and the rows read', () => {
    expect(stepText({ stage: 'uploading', done: 12_345_678, total: 40_000_000, unit: 'bytes', rows: 0 })).toBe('Uploading 12.3 of 40.0 MB (30 %)');
    expect(stepText({ stage: 'reading', done: 41, total: 100, unit: 'bytes', rows: 1_200_000 })).toBe('Reading 41 %, 1,200,000 rows');
    expect(stepText({ stage: 'reading', done: 5, total: 100, unit: 'bytes', rows: 0 })).toBe('Reading 5 %');
    expect(stepText({ stage: 'reading', done: 120, total: 500, unit: 'images', rows: 120 })).toBe('Reading images: 120 of 500 (24 %)');
    expect(stepText({ stage: 'describing', done: 3, total: 4, unit: 'values', rows: 1 })).toBe('Describing 1 row: 75 %');
    expect(stepText({ stage: 'saving', done: 0, total: 1, unit: 'values', rows: 2_000 })).toBe('Saving 2,000 rows');
  });

  it('keeps the fraction within 0..1, and 0 without a total', () => {
    expect(stepFraction({ stage: 'reading', done: 5, total: 0, unit: 'bytes', rows: 0 })).toBe(0);
    expect(stepFraction({ stage: 'reading', done: 7, total: 4, unit: 'bytes', rows: 0 })).toBe(1);
    expect(stepFraction({ stage: 'uploading', done: 1, total: 4, unit: 'bytes', rows: 0 })).toBe(0.25);
  });
});
