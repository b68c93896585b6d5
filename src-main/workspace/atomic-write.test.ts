// Atomic writes leave either the old file or the whole new one, and no temp files behind.
import { describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write';

describe('writeFileAtomic', () => {
  it('creates folders, replaces content and leaves no temp file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'atomic-'));
    const path = join(dir, 'a', 'b', 'meta.json');
    await writeFileAtomic(path, 'one');
    await writeFileAtomic(path, new Uint8Array([50, 51]));
    expect(await readFile(path, 'utf8')).toBe('23');
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['meta.json']);
    await rm(dir, { recursive: true });
  });

  it('keeps the old file and removes the temp file when the write fails', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'atomic-'));
    const path = join(dir, 'keep.txt');
    await writeFile(path, 'old');
    // A value writeFile refuses makes the write fail after the temp file was opened.
    await expect(writeFileAtomic(path, 42 as unknown as string)).rejects.toThrow();
    expect(await readFile(path, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['keep.txt']);
    await rm(dir, { recursive: true });
  });
});
