// The checkpoint file format: magic, header length and CRC, a JSON header, then raw little-endian float32 arrays with a CRC each.
import { endianness } from 'node:os';
import { crc32 } from 'node:zlib';
import { z } from 'zod';
import { StudioError } from '../../src-core/errors';
import { describeDetails, detailsOf, parseOrThrow, safeParseStudio } from '../../src-core/validation';
import type { RngState } from '../../src-core/rng';

/** Everything a training step needs to continue exactly where it stopped. */
export interface Checkpoint {
  /** Steps completed when it was written. */
  readonly step: number;
  /** Every parameter of the model in the one flat layout all backends share. */
  readonly weights: Float32Array;
  /** The exponential moving average of the weights (what samples and exports). */
  readonly ema: Float32Array;
  /** Adam's first and second moments and its step count (for bias correction). */
  readonly optimiser: { readonly step: number; readonly m: Float32Array; readonly v: Float32Array };
  /** Every generator the run draws from, by name (time, noise, batch, dropout, ...). */
  readonly rng: Readonly<Record<string, RngState>>;
  /** Where the data loader is: epoch, position in the permutation, and the seed of that permutation. */
  readonly dataCursor: { readonly epoch: number; readonly position: number; readonly permutationSeed: number };
  /** Hash of the config it trained under; a resume with another config is refused. */
  readonly configHash: string;
  /** The backend that wrote it (the layout is the same for all). */
  readonly backend: string;
}

const MAGIC = Buffer.from('DSCKPT01', 'latin1');
const PREFIX = MAGIC.length + 8; // magic, u32 header length, u32 header CRC
const MAX_HEADER = 1 << 20;
const ARRAY_NAMES = ['weights', 'ema', 'm', 'v'] as const;
type ArrayName = (typeof ARRAY_NAMES)[number];

const int = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const word = z.number().int().min(-(2 ** 31)).max(2 ** 32 - 1);
const rngStateSchema = z.strictObject({ s: z.tuple([word, word, word, word]), spare: z.number().nullable() });

const headerSchema = z.strictObject({
  formatVersion: z.literal(1),
  step: int,
  optimiserStep: int,
  rng: z.record(z.string(), rngStateSchema),
  dataCursor: z.strictObject({ epoch: int, position: int, permutationSeed: int }),
  configHash: z.string().min(1),
  backend: z.string().min(1),
  arrays: z.array(z.strictObject({ name: z.enum(ARRAY_NAMES), dtype: z.literal('float32'), length: int, crc32: int })).length(ARRAY_NAMES.length),
});

type Header = z.output<typeof headerSchema>;

const littleEndianHost = endianness() === 'LE';

function toLittleEndian(a: Float32Array): Uint8Array {
  if (littleEndianHost) return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const out = new Uint8Array(a.byteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < a.length; i++) view.setFloat32(4 * i, a[i], true);
  return out;
}

function fromLittleEndian(bytes: Uint8Array): Float32Array {
  // Copy into a fresh, aligned buffer: the slice of the file may start at any offset.
  const out = new Float32Array(bytes.byteLength / 4);
  if (littleEndianHost) new Uint8Array(out.buffer).set(bytes);
  else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
  }
  return out;
}

/** Serialises a checkpoint into one buffer (header, then arrays); throws invalid-argument on inconsistent sizes. */
export function encodeCheckpoint(c: Checkpoint): Buffer {
  const n = c.weights.length;
  for (const [name, a] of [['ema', c.ema], ['optimiser.m', c.optimiser.m], ['optimiser.v', c.optimiser.v]] as const) {
    if (a.length !== n) throw new StudioError('invalid-argument', `checkpoint ${name} has ${a.length} values, the weights ${n}`);
  }
  const arrays: Record<ArrayName, Uint8Array> = { weights: toLittleEndian(c.weights), ema: toLittleEndian(c.ema), m: toLittleEndian(c.optimiser.m), v: toLittleEndian(c.optimiser.v) };
  const header: Header = {
    formatVersion: 1,
    step: c.step,
    optimiserStep: c.optimiser.step,
    rng: Object.fromEntries(Object.entries(c.rng).map(([k, s]) => [k, { s: [...s.s] as [number, number, number, number], spare: s.spare }])),
    dataCursor: { ...c.dataCursor },
    configHash: c.configHash,
    backend: c.backend,
    arrays: ARRAY_NAMES.map((name) => ({ name, dtype: 'float32' as const, length: arrays[name].byteLength / 4, crc32: crc32(arrays[name]) })),
  };
  parseOrThrow(headerSchema, header, 'checkpoint');
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(PREFIX);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(json.length, MAGIC.length);
  prefix.writeUInt32LE(crc32(json), MAGIC.length + 4);
  return Buffer.concat([prefix, json, ...ARRAY_NAMES.map((name) => arrays[name])]);
}

/** Parses and verifies a checkpoint file's bytes (sizes, header CRC, every array's CRC); `file` names it in errors. */
export function decodeCheckpoint(bytes: Uint8Array, file: string): Checkpoint {
  const damaged = (problem: string): StudioError => new StudioError('invalid-argument', `checkpoint ${file} is damaged: ${problem}`);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < PREFIX || !buf.subarray(0, MAGIC.length).equals(MAGIC)) throw damaged('not a checkpoint file (bad magic or too short)');
  const headerLength = buf.readUInt32LE(MAGIC.length);
  if (headerLength > MAX_HEADER || PREFIX + headerLength > buf.length) throw damaged(`header length ${headerLength} does not fit a file of ${buf.length} bytes`);
  const json = buf.subarray(PREFIX, PREFIX + headerLength);
  if (crc32(json) !== buf.readUInt32LE(MAGIC.length + 4)) throw damaged('header CRC mismatch');
  let raw: unknown;
  try {
    raw = JSON.parse(json.toString('utf8'));
  } catch (err) {
    throw damaged(`header is not JSON (${(err as Error).message})`);
  }
  const parsed = safeParseStudio(headerSchema, raw);
  if (!parsed.success) throw damaged(describeDetails(detailsOf(parsed.error)));
  const header = parsed.data;
  const expected = PREFIX + headerLength + header.arrays.reduce((sum, a) => sum + 4 * a.length, 0);
  if (expected !== buf.length) throw damaged(`expected ${expected} bytes, found ${buf.length}`);
  const out = {} as Record<ArrayName, Float32Array>;
  let offset = PREFIX + headerLength;
  for (const [i, a] of header.arrays.entries()) {
    if (a.name !== ARRAY_NAMES[i]) throw damaged(`array ${i} is '${a.name}', expected '${ARRAY_NAMES[i]}'`);
    const slice = buf.subarray(offset, offset + 4 * a.length);
    if (crc32(slice) !== a.crc32) throw damaged(`CRC mismatch in array '${a.name}'`);
    out[a.name] = fromLittleEndian(slice);
    offset += slice.length;
  }
  if (new Set(ARRAY_NAMES.map((n) => out[n].length)).size !== 1) throw damaged('weights, EMA and optimiser moments differ in length');
  return {
    step: header.step,
    weights: out.weights,
    ema: out.ema,
    optimiser: { step: header.optimiserStep, m: out.m, v: out.v },
    rng: header.rng,
    dataCursor: header.dataCursor,
    configHash: header.configHash,
    backend: header.backend,
  };
}
