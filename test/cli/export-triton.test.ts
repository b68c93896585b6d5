// The built command line's `export --triton`: a model repository with the network (and the sampler graph), its flags checked.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOnnx } from '../../src-core/onnx/reader';
import { built, have } from '../prerequisites';
import { CLI, cli, fails } from './built-cli';
import { makeRun, tempDir } from '../sampling/fixtures';


describe.runIf(have(built(CLI)))('diffusion-studio export --triton (built)', () => {
  it('writes a repository named by the run, with the sampler graph beside the network', async () => {
    const run = await makeRun({ data: { source: 'builtin', id: 'eight-gaussians', params: { count: 128 } }, model: { family: 'mlp', hidden: [16, 16] }, steps: 10 }, 10);
    const repo = join(tempDir('studio-cli-triton-'), 'models');
    const r = cli('export', '--run', run.dir, '--triton', repo, '--sampler-graph', '--sampler', 'euler', '--steps', '4', '--max-batch', '32');
    expect(r.code, r.err).toBe(0);
    const said = JSON.parse(r.out) as { out: string; step: number; files: { path: string; bytes: number }[] };
    expect(said).toMatchObject({ out: repo, step: 10, runId: run.id });
    expect(said.files.map((f) => f.path).sort()).toEqual([`${run.id}-sampler/1/model.onnx`, `${run.id}-sampler/config.pbtxt`, `${run.id}/1/model.onnx`, `${run.id}/config.pbtxt`]);
    const config = readFileSync(join(repo, run.id, 'config.pbtxt'), 'utf8');
    expect(config).toContain(`name: "${run.id}"`);
    expect(config).toContain('max_batch_size: 32');
    expect(readOnnx(new Uint8Array(readFileSync(join(repo, `${run.id}-sampler`, '1', 'model.onnx')))).outputs.map((o) => o.name)).toEqual(['samples']);

    // a named model joins the repository; running the same export again replaces the studio's own folders
    expect(cli('export', '--run', run.dir, '--triton', repo, '--model-name', 'moons').code).toBe(0);
    expect(cli('export', '--run', run.dir, '--triton', repo, '--model-name', 'moons').code).toBe(0);
    expect(readdirSync(repo).sort()).toEqual([run.id, `${run.id}-sampler`, 'moons'].sort());

    const file = join(tempDir(), 'file');
    writeFileSync(file, 'x');
    fails(/is a file; a Triton model repository is a folder/, 'export', '--run', run.dir, '--triton', file);
    fails(/in place of --out/, 'export', '--run', run.dir, '--triton', repo, '--out', join(repo, 'x.onnx'));
    fails(/--model-name needs --triton/, 'export', '--run', run.dir, '--out', join(repo, 'x.onnx'), '--model-name', 'a');
    fails(/model/, 'export', '--run', run.dir, '--triton', repo, '--model-name', '.hidden');
  });
});
