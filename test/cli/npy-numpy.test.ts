// NPY against NumPy itself: files the studio writes load in numpy with the same values, and numpy's files read here (or are refused clearly).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNpy, writeNpy, type NpyArray } from '../../src-core/io/npy';
import { PYTHON_NUMPY, have } from '../prerequisites';

const PYTHON = '/usr/bin/python3';

function python(code: string, ...args: string[]): string {
  const r = spawnSync(PYTHON, ['-c', code, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

const dir = mkdtempSync(join(tmpdir(), 'studio-npy-'));

const cases: NpyArray[] = [
  { dtype: 'float32', shape: [3, 2], data: new Float32Array([0, -1.5, 3.25, 1e-30, -0, 65504]) },
  { dtype: 'float64', shape: [2, 1, 2], data: new Float64Array([Math.PI, -Math.E, 1e300, 5e-324]) },
  { dtype: 'int64', shape: [4], data: new BigInt64Array([0n, -1n, 2n ** 62n, -(2n ** 63n)]) },
  { dtype: 'int32', shape: [], data: new Int32Array([-7]) },
  { dtype: 'float32', shape: [0, 2], data: new Float32Array(0) },
];

describe.runIf(have(PYTHON_NUMPY))('npy against numpy', () => {

  cases.forEach((a, k) => {
    it(`numpy reads the studio's ${a.dtype} [${a.shape.join(', ')}] with the same values`, () => {
      const file = join(dir, `studio-${k}.npy`);
      writeFileSync(file, writeNpy(a));
      const out = python(
        'import numpy as np,sys,json; x=np.load(sys.argv[1]); print(json.dumps({"dtype": str(x.dtype), "shape": list(x.shape), "c": bool(x.flags.c_contiguous), "v": [repr(v) for v in x.ravel().tolist()]}))',
        file,
      );
      const got = JSON.parse(out) as { dtype: string; shape: number[]; c: boolean; v: string[] };
      expect(got.dtype).toBe(a.dtype);
      expect(got.shape).toEqual(a.shape);
      expect(got.c).toBe(true);
      const want = Array.from(a.data as ArrayLike<number | bigint>, (v) => (a.dtype.startsWith('int') ? v.toString() : v));
      expect(got.v.map((s) => (a.dtype.startsWith('int') ? s : Number(s)))).toEqual(want);
    });
  });

  it("the studio reads numpy's files with the same values", () => {
    const file = join(dir, 'numpy-%s.npy');
    python(
      `import numpy as np,sys
p=sys.argv[1]
np.save(p % 'f4', np.arange(12, dtype='<f4').reshape(3,4) / 7)
np.save(p % 'f8', np.linspace(-1, 1, 5))
np.save(p % 'i8', np.array([[1, -2], [3, 2**62]], dtype='<i8'))
np.save(p % 'i4', np.array(5, dtype='<i4'))
np.save(p % 'big', np.ones(3, dtype='>f4'))
np.save(p % 'fortran', np.asfortranarray(np.ones((2, 3), dtype='<f4')))
np.save(p % 'object', np.array([{'a': 1}], dtype=object), allow_pickle=True)
np.save(p % 'f2', np.ones(2, dtype='<f2'))`,
      file,
    );
    const load = (name: string) => readNpy(new Uint8Array(readFileSync(file.replace('%s', name))));
    const f4 = load('f4');
    expect(f4.dtype).toBe('float32');
    expect(f4.shape).toEqual([3, 4]);
    expect(f4.data[5]).toBe(Math.fround(5 / 7));
    expect([...load('f8').data]).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect([...load('i8').data]).toEqual([1n, -2n, 3n, 2n ** 62n]);
    expect(load('i4')).toMatchObject({ dtype: 'int32', shape: [] });
    expect(() => load('big')).toThrow(/big-endian/);
    expect(() => load('fortran')).toThrow(/Fortran-ordered/);
    expect(() => load('object')).toThrow(/object arrays/);
    expect(() => load('f2')).toThrow(/not supported/);
  });
});
