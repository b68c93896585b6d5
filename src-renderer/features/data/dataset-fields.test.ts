// Tests of the data-set inputs: common parameters from the metadata or the fallback, checks, requests.
import { describe, expect, it } from 'vitest';
import type { DatasetInfo } from '../../../src-core/api/contract';
import { checkValue, defaultValues, fieldsOf, toRequest, withValue } from './dataset-fields';

const param = (name: string, def: number, min: number, max: number, integer = false) => ({ name, label: name, description: '', default: def, min, max, step: 1, integer });

const BARE: DatasetInfo = { id: 'circles', label: 'Circles', description: '', params: [param('factor', 0.5, 0.05, 0.95)], hasMixture: false };
const DESCRIBED: DatasetInfo = {
  id: 'spirals',
  label: 'Spirals',
  description: '',
  params: [param('count', 10_000, 1, 1_000_000, true), param('noise', 0.1, 0, 2), param('seed', 0, 0, 2 ** 32 - 1, true), param('turns', 1.5, 0.5, 3)],
  hasMixture: false,
};

describe('dataset fields', () => {
  it('puts count, noise and seed first, once, whether or not the metadata lists them', () => {
    expect(fieldsOf(BARE).map((f) => f.name)).toEqual(['count', 'noise', 'seed', 'factor']);
    expect(fieldsOf(DESCRIBED).map((f) => f.name)).toEqual(['count', 'noise', 'seed', 'turns']);
    expect(fieldsOf(DESCRIBED).find((f) => f.name === 'noise')?.max).toBe(2);
    expect(fieldsOf(BARE).find((f) => f.name === 'noise')?.optional).toBe(true);
  });

  it('takes defaults from the metadata, keeping count and seed across sets', () => {
    expect(defaultValues(DESCRIBED)).toEqual({ count: 10_000, noise: 0.1, seed: 0, values: { turns: 1.5 } });
    expect(defaultValues(BARE)).toEqual({ count: 10_000, noise: null, seed: 0, values: { factor: 0.5 } });
    const previous = { count: 500, noise: 0.7, seed: 9, values: { factor: 0.2 } };
    expect(defaultValues(DESCRIBED, previous)).toEqual({ count: 500, noise: 0.1, seed: 9, values: { turns: 1.5 } });
  });

  it('checks required, integer and range constraints', () => {
    const [count, noise] = fieldsOf(BARE);
    expect(checkValue(count, null)).toMatch(/required/);
    expect(checkValue(count, 2.5)).toMatch(/whole number/);
    expect(checkValue(count, 0)).toMatch(/between 1 and 1000000/);
    expect(checkValue(count, 10)).toBeNull();
    expect(checkValue(noise, null)).toBeNull();
    expect(checkValue(noise, Infinity)).toMatch(/finite/);
  });

  it('builds a request with the common values at the top level', () => {
    let v = defaultValues(DESCRIBED);
    v = withValue(withValue(v, 'turns', 2), 'seed', 3);
    expect(toRequest('spirals', v)).toEqual({ id: 'spirals', count: 10_000, noise: 0.1, seed: 3, params: { turns: 2 } });
    expect(toRequest('circles', { count: 5, noise: null, seed: 0, values: {} })).toEqual({ id: 'circles', count: 5, seed: 0 });
  });
});
