// The dataset command takes each built-in set's own parameters as the flags `datasets` lists, and a set refuses one it does not take.
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readNpy } from '../../src-core/io/npy';
import { datasetCommand } from '../../src-main/cli/commands/dataset';
import { runCli } from '../../src-main/cli/run-cli';
import { tempDir } from '../sampling/fixtures';

const dir = tempDir('studio-cli-dataset-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('dataset: a set\'s own parameters as flags', () => {
  it('takes every flag that datasets lists', async () => {
    const listed = await cli('datasets');
    expect(listed.code).toBe(0);
    const flags = listed.out.flatMap((line) => [...line.matchAll(/--([A-Za-z]+)/g)].map((m) => m[1]));
    expect(flags).toContain('factor');
    for (const f of flags) expect(datasetCommand.flags[f], f).toBe('string');
  });

  it('draws circles with the inner radius asked for, and refuses the parameter for a set without it', async () => {
    const out = join(dir, 'circles.npy');
    const r = await cli('dataset', '--name', 'circles', '--count', '40', '--noise', '0', '--factor', '0.3', '--out', out);
    expect(r.code, r.err.join('\n')).toBe(0);
    const x = readNpy(new Uint8Array(readFileSync(out))).data as Float32Array;
    const radii = new Set<string>();
    for (let i = 0; i < x.length; i += 2) radii.add(Math.hypot(x[i], x[i + 1]).toFixed(4));
    // outer ring radius 2, inner 2 * factor
    expect([...radii].sort()).toEqual(['0.6000', '2.0000']);
    const refused = await cli('dataset', '--name', 'two-moons', '--count', '5', '--factor', '0.3', '--out', join(dir, 'x.npy'));
    expect(refused.code).toBe(1);
    expect(refused.err[0]).toMatch(/two-moons.*factor/);
  });
});
