// Peak memory of one reader case in this fresh process: large valid files and small hostile ones, one JSON line out (run by readers.test.ts with --expose-gc, Linux only).
// The peak is VmHWM above VmRSS once the input is built, after a full GC, with the high-water mark reset (/proc/self/clear_refs).
// Run: node --expose-gc node_modules/jiti/lib/jiti-cli.mjs test/reliability/readers-memory.ts <case number | list> [input bytes]
import { readFileSync, writeFileSync } from 'node:fs';
import { encode as encodePng } from 'fast-png';
import { zlibSync } from 'fflate';
import jpeg from 'jpeg-js';
import { decodeWire, encodeWire } from '../../src-core/api/wire';
import { StudioError } from '../../src-core/errors';
import { parseCsv } from '../../src-core/io/csv';
import { decodeImage } from '../../src-core/io/image-decode';
import { parseJsonArray } from '../../src-core/io/json-array';
import { writeNpy } from '../../src-core/io/npy';
import { parseNpyDataset } from '../../src-core/io/npy-dataset';
import { Rng } from '../../src-core/rng';
import { decodeCheckpoint, encodeCheckpoint } from '../../src-main/runs/checkpoint-format';

const which = process.argv[2] ?? 'list';
const size = Number(process.argv[3] ?? 24 << 20);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

function kb(field: 'VmHWM' | 'VmRSS'): number {
  const line = readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith(`${field}:`));
  return line ? Number(line.split(/\s+/)[1]) * 1024 : NaN;
}

function measure(name: string, input: Uint8Array | string, read: () => unknown): void {
  gc?.();
  gc?.();
  writeFileSync('/proc/self/clear_refs', '5');
  const base = kb('VmRSS');
  let result = 'read';
  try {
    read();
  } catch (err) {
    result = err instanceof StudioError ? `refused (${err.code}): ${err.message.slice(0, 90)}` : `THREW ${(err as Error).message.slice(0, 90)}`;
  }
  const peak = kb('VmHWM') - base;
  const inputBytes = typeof input === 'string' ? Buffer.byteLength(input) : input.length;
  console.log(JSON.stringify({ name, inputBytes, peakBytes: Math.max(0, peak), outcome: result }));
}

const enc = (s: string) => new TextEncoder().encode(s);
const rng = new Rng(1);

/** Text of rows "x,y,z" with 7-digit numbers until it reaches the size. */
function csvText(bytes: number): Uint8Array {
  const row = (i: number) => `${(rng.uniform() * 10).toFixed(6)},${(rng.uniform() - 0.5).toFixed(6)},${i % 1000}\n`;
  const parts: string[] = ['x,y,z\n'];
  let n = 6;
  for (let i = 0; n < bytes; i++) {
    const r = row(i);
    parts.push(r);
    n += r.length;
  }
  return enc(parts.join(''));
}

function jsonRows(bytes: number): Uint8Array {
  const parts: string[] = ['['];
  let n = 1;
  for (let i = 0; n < bytes; i++) {
    const r = `${i ? ',' : ''}[${(rng.uniform() * 10).toFixed(6)},${(rng.uniform() - 0.5).toFixed(6)}]`;
    parts.push(r);
    n += r.length;
  }
  parts.push(']');
  return enc(parts.join(''));
}

function pngBomb(): Uint8Array {
  const bomb = zlibSync(new Uint8Array(200 << 20), { level: 9 });
  const header = new Uint8Array(encodePng({ width: 64, height: 64, data: new Uint8Array(4096), channels: 1, depth: 8 })).subarray(0, 33);
  const idat = new Uint8Array(12 + bomb.length);
  new DataView(idat.buffer).setUint32(0, bomb.length);
  idat.set(enc('IDAT'), 4);
  idat.set(bomb, 8);
  return new Uint8Array([...header, ...idat]);
}

function bigJpegHeader(): Uint8Array {
  const jpg = new Uint8Array(jpeg.encode({ width: 8, height: 8, data: new Uint8Array(256).fill(90) }, 90).data);
  const sof = jpg.findIndex((b, i) => b === 0xff && jpg[i + 1] === 0xc0);
  jpg.set([0x03, 0xe8, 0x03, 0xe8], sof + 5);
  return jpg;
}

function npyClaim(): Uint8Array {
  const claim = writeNpy({ dtype: 'float32', shape: [4], data: new Float32Array(4) });
  const length = claim[8] | (claim[9] << 8);
  const text = new TextDecoder('latin1').decode(claim.subarray(10, 10 + length)).replace('(4,)', '(4000000000,)');
  claim.set(enc(text.padEnd(length, ' ')), 10);
  return claim;
}

function checkpoint(): Uint8Array {
  const n = size / 16;
  return new Uint8Array(
    encodeCheckpoint({
      step: 1,
      weights: rng.fillNormal(new Float32Array(n)),
      ema: rng.fillNormal(new Float32Array(n)),
      optimiser: { step: 1, m: rng.fillNormal(new Float32Array(n)), v: rng.fillNormal(new Float32Array(n)) },
      rng: { noise: rng.state() },
      dataCursor: { epoch: 0, position: 0, permutationSeed: 0 },
      configHash: 'c'.repeat(64),
      backend: 'cpu',
    }),
  );
}

/** One case: its name, how its input is made, and the reader call. */
interface Case {
  readonly name: string;
  input(): Uint8Array | string;
  read(input: Uint8Array | string): unknown;
}

const bytes = (i: Uint8Array | string) => i as Uint8Array;
const values = size / 4;

/** Every case, by number. */
const CASES: readonly Case[] = [
  { name: 'CSV, valid', input: () => csvText(size), read: (i) => parseCsv(bytes(i)) },
  {
    name: 'CSV, one byte changed mid-file',
    input: () => {
      const b = csvText(size);
      b[b.length >> 1] = 0x41;
      return b;
    },
    read: (i) => parseCsv(bytes(i)),
  },
  { name: 'CSV, a label of 2e9', input: () => enc('x,label\n1,2000000000\n'), read: (i) => parseCsv(bytes(i), { labelColumn: 2 }) },
  { name: 'JSON rows, valid', input: () => jsonRows(size), read: (i) => parseJsonArray(bytes(i)) },
  {
    name: 'JSON {data, shape}, valid',
    input: () => enc(`{"shape": [${Math.floor(size / 12)}, 1], "data": [${Array.from({ length: Math.floor(size / 12) }, () => (rng.uniform() * 100).toFixed(6)).join(',')}]}`),
    read: (i) => parseJsonArray(bytes(i)),
  },
  { name: 'JSON, 4 MB of [', input: () => enc('['.repeat(Math.min(size, 4 << 20))), read: (i) => parseJsonArray(bytes(i)) },
  { name: 'JSON, a label of 2e9', input: () => enc('{"data":[1],"shape":[1,1],"labels":[2000000000]}'), read: (i) => parseJsonArray(bytes(i)) },
  { name: 'NPY float32, valid', input: () => writeNpy({ dtype: 'float32', shape: [values / 4, 4], data: rng.fillNormal(new Float32Array(values)) }), read: (i) => parseNpyDataset(bytes(i)) },
  {
    name: 'NPY float64, valid',
    input: () => writeNpy({ dtype: 'float64', shape: [values / 8, 4], data: Float64Array.from(rng.fillNormal(new Float32Array(values / 2))) }),
    read: (i) => parseNpyDataset(bytes(i)),
  },
  { name: 'NPY, a header claiming 4e9 values', input: npyClaim, read: (i) => parseNpyDataset(bytes(i)) },
  { name: 'PNG, 200 KB expanding to 200 MB', input: pngBomb, read: (i) => decodeImage(bytes(i), 'bomb.png') },
  { name: 'JPEG, a frame header of 1000x1000', input: bigJpegHeader, read: (i) => decodeImage(bytes(i), 'big.jpg') },
  { name: 'checkpoint, valid', input: checkpoint, read: (i) => decodeCheckpoint(bytes(i), 'step.ckpt') },
  {
    name: 'API message, a frame of one $u8 value',
    input: () => encodeWire({ id: 1, method: 'datasets.import', params: { name: 'x', fileName: 'x.npy', bytes: new Uint8Array((size * 3) >> 2) } }),
    read: (i) => decodeWire(i as string),
  },
];

if (which === 'list') console.log(CASES.length);
else {
  const c = CASES[Number(which)];
  const input = c.input();
  measure(c.name, input, () => c.read(input));
}
