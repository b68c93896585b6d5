// A save whose last write fails leaves neither a data set nor its staging folder in the workspace.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { importFile, saveImport } from '../../src-main/datasets/import-service';
import { rejection } from './fixtures';

vi.mock('../../src-main/workspace/atomic-write', async (original) => {
  const real = await original<typeof import('../../src-main/workspace/atomic-write')>();
  return {
    ...real,
    writeFileAtomic: async (path: string, data: string | Uint8Array) => {
      if (path.endsWith('meta.json')) throw new Error('disk full');
      return real.writeFileAtomic(path, data);
    },
  };
});

describe('saveImport', () => {
  it('cleans up after a failed meta.json write', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'studio-save-fail-'));
    try {
      const parsed = await importFile({ bytes: new TextEncoder().encode('{"data": [1, 2], "shape": [2, 1], "labels": [0, 1]}'), fileName: 'a.json' });
      const err = await rejection(saveImport(workspace, parsed, 'a'));
      expect(err.message).toBe("data set 'a' could not be saved: disk full");
      expect(await readdir(join(workspace, 'datasets'))).toEqual([]);
    } finally {
      await rm(workspace, { recursive: true, force: true });
    }
  });
});
