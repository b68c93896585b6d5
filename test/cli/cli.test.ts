// The built command line (node out/main/cli.js): every command's happy path, and bad input answered by one line on stderr and a non-zero exit.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildMlp, initParams } from '../../src-core/graph';
import { GraphBuilder } from '../../src-core/graph/builder';
import { readNpy, writeNpy } from '../../src-core/io/npy';
import { describeModel, studioMetadata, type StudioModelMeta } from '../../src-core/onnx/studio-format';
import { readOnnx } from '../../src-core/onnx/reader';
import { writeOnnx } from '../../src-core/onnx/writer';
import { Rng } from '../../src-core/rng';
import { gaussianVelocityGraph, makeRun, tempDir } from '../sampling/fixtures';
import { built, have } from '../prerequisites';
import { CLI, cli, fails } from './built-cli';

const dir = tempDir('studio-cli-');
const p = (name: string) => join(dir, name);

const meta: StudioModelMeta = {
  parameterisation: 'velocity', schedule: { name: 'linear', sigmaMin: 0 }, dataShape: [2], normalisation: null, classes: null, runId: null, seed: null, studioVersion: null,
};
const MU = [1.5, -0.5];
const S = 0.4;
const N = 4000;

describe.runIf(have(built(CLI)))('diffusion-studio (built)', () => {
  // fixtures: a hand-built model whose velocity is exactly that of N(MU, S^2 I), and damaged or foreign models
  writeFileSync(p('gauss.onnx'), writeOnnx(gaussianVelocityGraph(MU, S), new Float32Array(0), { metadata: studioMetadata(meta) }));
  const mlp = buildMlp({ dataDim: 2, hidden: [16], timeEmbedding: { kind: 'raw' } });
  const good = writeOnnx(mlp.graph, initParams(mlp.layout, new Rng(1)), { metadata: studioMetadata(meta) });
  writeFileSync(p('truncated.onnx'), good.subarray(0, good.length >> 1));
  writeFileSync(p('text.onnx'), 'this is not a model\n');
  writeFileSync(p('no-metadata.onnx'), writeOnnx(mlp.graph, initParams(mlp.layout, new Rng(1))));
  const b = new GraphBuilder('no-t');
  b.output(b.node('Relu', [b.input('x', 'float32', ['N', 2])], { name: 'prediction' }));
  writeFileSync(p('no-t.onnx'), writeOnnx(b.build().graph, new Float32Array(0), { metadata: studioMetadata(meta) }));
  const z = new Rng(4).fillNormal(new Float32Array(N * 2));
  writeFileSync(p('z.npy'), writeNpy({ dtype: 'float32', shape: [N, 2], data: z }));
  writeFileSync(p('z-wrong.npy'), writeNpy({ dtype: 'float32', shape: [5, 3], data: new Float32Array(15) }));

  it('lists every command on --help and refuses an unknown one', () => {
    const r = cli('--help');
    expect(r.code).toBe(0);
    for (const name of ['export', 'sample', 'eval', 'datasets', 'dataset', 'serve']) expect(r.out).toMatch(new RegExp(`^  ${name} `, 'm'));
    expect(cli('sample', '--help').out).toMatch(/usage: diffusion-studio sample --model/);
    expect(readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
    fails(/unknown command 'sampel'/, 'sampel');
    fails(/unknown option --sampels/, 'sample', '--sampels', '3');
  });

  it('datasets and dataset', () => {
    const r = cli('datasets', '--json');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as { id: string }[]).map((d) => d.id)).toContain('two-moons');
    expect(cli('datasets').out).toMatch(/^eight-gaussians +Eight/m);
    fails(/unknown option --bogus/, 'datasets', '--bogus');
    expect(cli('dataset', '--name', 'two-moons', '--count', '500', '--seed', '2', '--out', p('moons.npy')).code).toBe(0);
    const a = readNpy(new Uint8Array(readFileSync(p('moons.npy'))));
    expect(a).toMatchObject({ dtype: 'float32', shape: [500, 2] });
    fails(/unknown data set 'moons'/, 'dataset', '--name', 'moons', '--count', '5', '--out', p('x.npy'));
    fails(/--count must be a number, got 'many'/, 'dataset', '--name', 'two-moons', '--count', 'many', '--out', p('x.npy'));
    fails(/missing --out/, 'dataset', '--name', 'two-moons', '--count', '5');
  });

  it('export', async () => {
    const run = await makeRun({ data: { source: 'builtin', id: 'eight-gaussians', params: { count: 128 } }, model: { family: 'mlp', hidden: [16, 16] }, steps: 10 }, 10);
    const r = cli('export', '--run', run.dir, '--out', p('run.onnx'));
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ step: 10, runId: run.id, parameterisation: 'velocity' });
    expect(describeModel(new Uint8Array(readFileSync(p('run.onnx')))).meta.runId).toBe(run.id);
    const g = cli('export', '--run', run.dir, '--out', p('sampler.onnx'), '--sampler-graph', '--sampler', 'euler', '--steps', '4');
    expect(g.code, g.err).toBe(0);
    expect(readOnnx(new Uint8Array(readFileSync(p('sampler.onnx')))).outputs.map((o) => o.name)).toEqual(['samples']);
    fails(/must be euler or heun, got 'rk4'/, 'export', '--run', run.dir, '--out', p('x.onnx'), '--sampler-graph', '--sampler', 'rk4');
    fails(/--steps needs --sampler-graph/, 'export', '--run', run.dir, '--out', p('x.onnx'), '--steps', '4');
    fails(/self-contained sampler graph/, 'sample', '--model', p('sampler.onnx'), '--sampler', 'euler', '--steps', '3', '--n', '4', '--out', p('x.npy'));
    fails(/no-such-run is not a run folder/, 'export', '--run', p('no-such-run'), '--out', p('x.onnx'));
    fails(/missing --run/, 'export', '--out', p('x.onnx'));
  });

  it('sample: a model made by other means follows the exact flow map of its Gaussian', () => {
    const r = cli('sample', '--model', p('gauss.onnx'), '--sampler', 'heun', '--steps', '40', '--noise', p('z.npy'), '--out', p('gauss.npy'), '--trajectory', p('traj.npy'), '--record', '7');
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ shape: [N, 2], nfe: 81 }); // 40 Heun steps + the recorded x0 at the end
    const x = readNpy(new Uint8Array(readFileSync(p('gauss.npy')))).data as Float32Array;
    let err = 0;
    for (let i = 0; i < x.length; i++) err = Math.max(err, Math.abs(x[i] - (MU[i % 2] + S * z[i])));
    expect(err).toBeLessThan(1e-3);
    expect(readNpy(new Uint8Array(readFileSync(p('traj.npy')))).shape).toEqual([41, 7, 2]);
    // from a seed: the sample mean and std match N(MU, S^2)
    expect(cli('sample', '--model', p('gauss.onnx'), '--sampler', 'euler', '--steps', '100', '--n', String(N), '--seed', '5', '--out', p('seeded.npy')).code).toBe(0);
    const y = readNpy(new Uint8Array(readFileSync(p('seeded.npy')))).data as Float32Array;
    for (let k = 0; k < 2; k++) {
      let m = 0;
      let v = 0;
      for (let i = k; i < y.length; i += 2) m += y[i] / N;
      for (let i = k; i < y.length; i += 2) v += (y[i] - m) ** 2 / N;
      expect(Math.abs(m - MU[k])).toBeLessThan((4 * S) / Math.sqrt(N));
      expect(Math.abs(Math.sqrt(v) - S)).toBeLessThan(0.03);
    }
  });

  it('sample: the oracle of a built-in mixture or a mixture file, and eval against a reference', () => {
    writeFileSync(p('mixture.json'), JSON.stringify({ weights: [1], means: [MU], covariances: [[[S * S, 0], [0, S * S]]] }));
    const r = cli('sample', '--model', `oracle:${p('mixture.json')}`, '--schedule', 'vp-linear', '--sampler', 'dpmpp-2m', '--grid', 'log-snr', '--steps', '30', '--noise', p('z.npy'), '--out', p('oracle.npy'));
    expect(r.code, r.err).toBe(0);
    expect(cli('sample', '--model', 'oracle:eight-gaussians', '--sampler', 'euler-maruyama', '--gamma', '1', '--t-max', '0.999', '--steps', '50', '--n', '500', '--out', p('eg.npy')).code).toBe(0);
    const e = cli('eval', '--samples', p('oracle.npy'), '--reference', p('gauss.npy'));
    expect(e.code, e.err).toBe(0);
    const m = JSON.parse(e.out) as Record<string, number>;
    expect(m).toMatchObject({ n: N, m: N, dim: 2 });
    expect(m.slicedW2Squared).toBeLessThan(0.01);
    expect(Object.keys(m)).toEqual(expect.arrayContaining(['mmd2', 'energyDistance', 'slicedW2Squared', 'exactW2Squared']));
    fails(/items of size 2, --reference of size 3/, 'eval', '--samples', p('gauss.npy'), '--reference', p('z-wrong.npy'));
    fails(/--reference .*text\.onnx: not a usable \.npy file/, 'eval', '--samples', p('gauss.npy'), '--reference', p('text.onnx'));
    fails(/unknown schedule 'nope'/, 'sample', '--model', 'oracle:eight-gaussians', '--schedule', '{"name":"nope"}', '--sampler', 'euler', '--steps', '3', '--n', '3', '--out', p('x.npy'));
    fails(/not a Gaussian mixture/, 'sample', '--model', 'oracle:two-moons', '--sampler', 'euler', '--steps', '3', '--n', '3', '--out', p('x.npy'));
  });

  it('sample: bad models, samplers and noise are named in one line', () => {
    const base = (model: string, ...more: string[]) => ['sample', '--model', model, '--sampler', 'euler', '--steps', '3', '--n', '4', '--out', p('x.npy'), ...more];
    fails(/unknown sampler 'eulr'; known: euler/, 'sample', '--model', p('gauss.onnx'), '--sampler', 'eulr', '--steps', '3', '--n', '4', '--out', p('x.npy'));
    fails(/not a usable ONNX model/, ...base(p('truncated.onnx')));
    fails(/not a usable ONNX model/, ...base(p('text.onnx')));
    fails(/metadata key studio\.format missing/, ...base(p('no-metadata.onnx')));
    fails(/model has no input t/, ...base(p('no-t.onnx')));
    fails(/no such file/, ...base(p('missing.onnx')));
    fails(/noise has 15 numbers: 5 samples of the model's data shape \[2\] need 10/, 'sample', '--model', p('gauss.onnx'), '--sampler', 'euler', '--steps', '3', '--noise', p('z-wrong.npy'), '--out', p('x.npy'));
    fails(/missing --n/, 'sample', '--model', p('gauss.onnx'), '--sampler', 'euler', '--steps', '3', '--out', p('x.npy'));
    fails(/not class-conditional/, ...base(p('gauss.onnx'), '--labels', '1'));
  }, 90_000); // nine command lines in turn, each starting Node and a sampling process: 37 s under a full test run's load

  it('sample: a damaged model is refused naming the step where its values broke, and nothing is written', () => {
    const w = initParams(mlp.layout, new Rng(1));
    for (let i = 0; i < w.length; i += 7) w[i] = 1e30; // as a flipped exponent byte makes them
    writeFileSync(p('damaged.onnx'), writeOnnx(mlp.graph, w, { metadata: studioMetadata(meta) }));
    fails(/the model's prediction became non-finite at step 1 of 20 \(t = 1\.0000\): .* of 8 values; the model file may be damaged/, 'sample', '--model', p('damaged.onnx'), '--sampler', 'heun', '--steps', '20', '--n', '4', '--out', p('damaged.npy'));
    expect(() => readFileSync(p('damaged.npy'))).toThrow(/ENOENT/);
  });

  it('prints the control characters of a quoted file escaped, and a run that cannot start once', () => {
    writeFileSync(p('evil.json'), '{"model":\u001b]0;pwned\u0007}');
    fails(/--config .*evil\.json is not valid JSON: .*\\u001b\]0;pwned\\u0007/, 'train', '--config', p('evil.json'), '--out', p('evil-run'));
    expect(cli('train', '--config', p('evil.json'), '--out', p('evil-run')).err).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    writeFileSync(p('nowhere.json'), JSON.stringify({ data: { source: 'workspace', id: 'nowhere' }, steps: 10 }));
    fails(/no data set 'nowhere'/, 'train', '--config', p('nowhere.json'), '--out', p('nowhere-run'));
  });

  const children: ReturnType<typeof spawn>[] = [];
  afterAll(() => children.forEach((c) => c.kill('SIGTERM')));

  it('serve starts the server, and refuses a bad port', async () => {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--workspace', tempDir()], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    const line = await new Promise<string>((resolve, reject) => {
      let text = '';
      const timer = setTimeout(() => reject(new Error(`no start line: ${text}`)), 20_000);
      child.stdout?.on('data', (d: Buffer) => {
        text += d.toString();
        if (text.includes('Open http')) {
          clearTimeout(timer);
          resolve(text);
        }
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${text}`)));
    });
    expect(line).toMatch(/Diffusion Studio .* is running\. Open http:\/\/127\.0\.0\.1:\d+/);
    child.kill('SIGTERM');
    fails(/--port must be an integer/, 'serve', '--port', '99999');
  });
});
