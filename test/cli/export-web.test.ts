// The built command line's `export --web`: a page folder with the sampler graph it names, and its flags checked.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOnnx } from '../../src-core/onnx/reader';
import { built, have } from '../prerequisites';
import { CLI, cli } from './built-cli';
import { makeRun, tempDir } from '../sampling/fixtures';


describe.runIf(have(built(CLI)))('diffusion-studio export --web (built)', () => {
  it('writes a page folder that unrolls the sampler it names, says how to open it, and refuses other folders and mixed flags', async () => {
    const run = await makeRun({ data: { source: 'builtin', id: 'eight-gaussians', params: { count: 128 } }, model: { family: 'mlp', hidden: [16] }, steps: 10 }, 10);
    const parent = tempDir('studio-cli-web-');
    const folder = join(parent, 'page');
    const r = cli('export', '--run', run.dir, '--web', folder, '--sampler', 'euler', '--steps', '5');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('python3 -m http.server');
    const said = JSON.parse(r.out) as { out: string; step: number; files: { path: string }[]; samplerGraph: unknown };
    expect(said).toMatchObject({ out: folder, step: 10, runId: run.id, samplerGraph: { sampler: 'euler', steps: 5, grid: 'uniform' } });
    expect(said.files.map((f) => f.path).sort()).toEqual(readdirSync(folder).sort());
    expect(readdirSync(folder)).toContain('ort-wasm-simd-threaded.wasm');
    expect(readOnnx(new Uint8Array(readFileSync(join(folder, 'model.onnx')))).metadata).toMatchObject({ 'studio.sampler': 'euler', 'studio.steps': '5' });

    const other = join(parent, 'notes');
    mkdirSync(other);
    writeFileSync(join(other, 'todo.txt'), 'keep me');
    const refused = cli('export', '--run', run.dir, '--web', other);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(/not written by a web export/);
    expect(readdirSync(other)).toEqual(['todo.txt']);
    const mixed = cli('export', '--run', run.dir, '--web', folder, '--out', join(parent, 'm.onnx'));
    expect(mixed.code).not.toBe(0);
    expect(mixed.err).toMatch(/--web names a page folder in place of --out/);
  }, 60_000);
});
