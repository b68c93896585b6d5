// Checkpoints: bit-exact round trip, keep-last-N, CRC fallback, leftover temp files, simulated and real crashes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fork } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../../src-core/rng';
import type { Checkpoint } from './checkpoint-format';
import { readLatestCheckpoint, writeCheckpoint, type CheckpointStage } from './checkpoint-store';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ckpt-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A checkpoint with random arrays (awkward values included) and advanced generators. */
function makeCheckpoint(step: number, n = 1000): Checkpoint {
  const rng = new Rng(step);
  const arr = (): Float32Array => rng.fillNormal(new Float32Array(n));
  const weights = arr();
  weights.set([0, -0, Number.MIN_VALUE, 3.4e38, -1e-45]);
  const noise = new Rng(11 + step);
  noise.normal(); // leaves a cached Gaussian in the state
  const batches = new Rng(12);
  batches.permutation(17);
  return {
    step,
    weights,
    ema: arr(),
    optimiser: { step: step * 2, m: arr(), v: arr() },
    rng: { noise: noise.state(), batches: batches.state() },
    dataCursor: { epoch: 3, position: 42, permutationSeed: 99 },
    configHash: 'a'.repeat(64),
    backend: 'wasm',
  };
}

function bytesOf(a: Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

const ckptFiles = async (): Promise<string[]> => (await readdir(join(dir, 'checkpoints'))).filter((f) => f.endsWith('.bin')).sort();

describe('checkpoints', () => {
  it('round-trip bit-exact, generators continuing with the same draws', async () => {
    const c = makeCheckpoint(100);
    expect(await writeCheckpoint(dir, c)).toBe(join('checkpoints', 'ckpt-100.bin'));
    const got = await readLatestCheckpoint(dir);
    expect(got).not.toBeNull();
    const r = got!.checkpoint;
    expect(got!.fellBack).toBe(false);
    expect(got!.problems).toEqual([]);
    expect(r.step).toBe(100);
    expect(bytesOf(r.weights)).toEqual(bytesOf(c.weights));
    expect(Object.is(r.weights[1], -0)).toBe(true);
    expect(bytesOf(r.ema)).toEqual(bytesOf(c.ema));
    expect(bytesOf(r.optimiser.m)).toEqual(bytesOf(c.optimiser.m));
    expect(bytesOf(r.optimiser.v)).toEqual(bytesOf(c.optimiser.v));
    expect(r.optimiser.step).toBe(200);
    expect(r.dataCursor).toEqual(c.dataCursor);
    expect([r.configHash, r.backend]).toEqual([c.configHash, c.backend]);
    for (const name of ['noise', 'batches']) {
      const a = Rng.fromState(c.rng[name]);
      const b = Rng.fromState(r.rng[name]);
      for (let i = 0; i < 50; i++) expect(b.normal()).toBe(a.normal());
      expect(b.nextUint32()).toBe(a.nextUint32());
    }
  });

  it('returns null for a run without checkpoints', async () => {
    expect(await readLatestCheckpoint(dir)).toBeNull();
  });

  it('keeps the last N', async () => {
    for (const step of [10, 20, 30, 40, 50]) await writeCheckpoint(dir, makeCheckpoint(step, 10), { keep: 2 });
    expect(await ckptFiles()).toEqual(['ckpt-40.bin', 'ckpt-50.bin']);
    await writeCheckpoint(dir, makeCheckpoint(60, 10), { keep: 1 });
    expect(await ckptFiles()).toEqual(['ckpt-60.bin']);
  });

  it('detects a flipped byte by CRC and falls back to the previous checkpoint', async () => {
    await writeCheckpoint(dir, makeCheckpoint(1));
    await writeCheckpoint(dir, makeCheckpoint(2));
    const path = join(dir, 'checkpoints', 'ckpt-2.bin');
    const bytes = await readFile(path);
    bytes[bytes.length - 1234] ^= 0x10;
    await writeFile(path, bytes);
    const got = await readLatestCheckpoint(dir);
    expect(got!.checkpoint.step).toBe(1);
    expect(got!.fellBack).toBe(true);
    expect(got!.problems.join('\n')).toMatch(/ckpt-2\.bin is damaged: CRC mismatch in array 'v'/);
  });

  it('detects a damaged header and a truncated file; throws naming every problem when none is usable', async () => {
    await writeCheckpoint(dir, makeCheckpoint(1));
    await writeCheckpoint(dir, makeCheckpoint(2));
    const p1 = join(dir, 'checkpoints', 'ckpt-1.bin');
    const p2 = join(dir, 'checkpoints', 'ckpt-2.bin');
    const b2 = await readFile(p2);
    b2[20] ^= 0x01;
    await writeFile(p2, b2);
    await writeFile(p1, (await readFile(p1)).subarray(0, 5000));
    const err = await readLatestCheckpoint(dir).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/ckpt-2\.bin is damaged: header CRC mismatch/);
    expect((err as Error).message).toMatch(/ckpt-1\.bin is damaged: expected \d+ bytes, found 5000/);
  });

  it('uses the files on disk when the manifest is damaged', async () => {
    await writeCheckpoint(dir, makeCheckpoint(1));
    await writeCheckpoint(dir, makeCheckpoint(2));
    await writeFile(join(dir, 'checkpoints', 'latest.json'), '{"schemaVersion":1,"st');
    const got = await readLatestCheckpoint(dir);
    expect(got!.checkpoint.step).toBe(2);
    expect(got!.problems.join()).toMatch(/latest\.json is damaged/);
  });

  it('ignores a leftover temp file and cleans it on the next write', async () => {
    await writeCheckpoint(dir, makeCheckpoint(1));
    const tmp = join(dir, 'checkpoints', '.ckpt-2.bin.abcdef.tmp');
    await writeFile(tmp, 'half a checkpoint');
    expect((await readLatestCheckpoint(dir))!.checkpoint.step).toBe(1);
    await writeCheckpoint(dir, makeCheckpoint(2));
    expect(await readdir(join(dir, 'checkpoints'))).not.toContain('.ckpt-2.bin.abcdef.tmp');
  });

  it('refuses arrays of different lengths', async () => {
    const c = makeCheckpoint(1);
    await expect(writeCheckpoint(dir, { ...c, ema: new Float32Array(3) })).rejects.toThrow(/ema has 3 values, the weights 1000/);
  });

  describe('a crash at each stage of a write leaves the last complete checkpoint readable', () => {
    const cases: [CheckpointStage, number][] = [['temp-written', 2], ['renamed', 2], ['manifest-written', 3], ['pruned', 3]];
    for (const [stage, expected] of cases) {
      it(`after ${stage}`, async () => {
        await writeCheckpoint(dir, makeCheckpoint(1), { keep: 2 });
        await writeCheckpoint(dir, makeCheckpoint(2), { keep: 2 });
        const crash = (s: CheckpointStage): void => {
          if (s === stage) throw new Error('simulated crash');
        };
        await expect(writeCheckpoint(dir, makeCheckpoint(3), { keep: 2, onStage: crash })).rejects.toThrow('simulated crash');
        const got = await readLatestCheckpoint(dir);
        expect(got!.checkpoint.step).toBe(expected);
        expect(bytesOf(got!.checkpoint.weights)).toEqual(bytesOf(makeCheckpoint(expected).weights));
        // The resumed run writes on, and the debris of the crash is gone afterwards.
        await writeCheckpoint(dir, makeCheckpoint(expected + 1), { keep: 2 });
        expect(await ckptFiles()).toEqual([`ckpt-${expected}.bin`, `ckpt-${expected + 1}.bin`]);
        expect((await readdir(join(dir, 'checkpoints'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      });
    }
  });

  it('survives SIGKILL of a process in the middle of writing checkpoints', async () => {
    const child = fileURLToPath(new URL('./fixtures/checkpoint-writer.mjs', import.meta.url));
    const store = fileURLToPath(new URL('./checkpoint-store.ts', import.meta.url));
    const floats = 1 << 18; // 4 MiB per checkpoint, so a kill lands mid-write most of the time
    for (let round = 0; round < 3; round++) {
      await rm(join(dir, 'checkpoints'), { recursive: true, force: true });
      const proc = fork(child, [dir, store, String(floats)], { stdio: 'ignore' });
      const committed = await new Promise<number>((resolve, reject) => {
        let last = 0;
        proc.on('message', (step) => {
          last = Number(step);
          // Kill at a different moment each round: after a completed write or shortly into the next.
          if (last === 3 + round) setTimeout(() => proc.kill('SIGKILL'), round * 7);
        });
        proc.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(last) : reject(new Error(`child exited with ${_code}`))));
      });
      const got = await readLatestCheckpoint(dir);
      expect(got).not.toBeNull();
      const c = got!.checkpoint;
      expect(c.step).toBeGreaterThanOrEqual(committed);
      expect(c.weights.length).toBe(floats);
      expect(c.weights[floats - 1]).toBe(c.step + 1 / 8);
      expect(c.optimiser.v[0]).toBe(c.step + 4 / 8);
    }
  }, 20_000);
});
