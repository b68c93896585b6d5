// A save whose last write fails leaves no data set in the workspace (and, for a set saved whole, no staging folder).
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runImportJob } from '../../src-main/datasets/import-job';
import { saveImport, saveStaged } from '../../src-main/datasets/import-service';
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

describe('saving an import', () => {
  it('cleans up after a failed meta.json write', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'studio-save-fail-'));
    try {
      const array = { data: new Float32Array([1, 2]), shape: [2, 1], labels: new Int32Array([0, 1]), notes: [] };
      const err = await rejection(saveImport(workspace, { format: 'json', fileName: 'a.json', array }, 'a'));
      expect(err.message).toBe("data set 'a' could not be saved: disk full");
      expect(await readdir(join(workspace, 'datasets'))).toEqual([]);
    } finally {
      await rm(workspace, { recursive: true, force: true });
    }
  });

  it('leaves no set when the staged import cannot write its meta.json', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'studio-save-fail-'));
    try {
      const staging = join(workspace, '.imports', 'job-1');
      await mkdir(staging, { recursive: true });
      const bytes = new TextEncoder().encode('{"data": [1, 2], "shape": [2, 1], "labels": [0, 1]}');
      const job = await runImportJob({ source: { kind: 'bytes', bytes, fileName: 'a.json' }, options: {}, dir: staging, previewPoints: null });
      const err = await rejection(saveStaged(workspace, staging, job, 'a'));
      expect(err.message).toBe("data set 'a' could not be saved: disk full");
      expect(await readdir(workspace)).toEqual(['.imports']);
    } finally {
      await rm(workspace, { recursive: true, force: true });
    }
  });
});
