// A run trained into a folder outside its workspace carries where its data set lives: resume, export and sample find it there.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDirectClient } from '../../src-core/api/direct-client';
import { generateDataset } from '../../src-core/data';
import { readNpy } from '../../src-core/io/npy';
import { describeModel } from '../../src-core/onnx/studio-format';
import { signalProcess } from '../../src-main/process';
import { readRunRecord } from '../../src-main/runs';
import { createStudioHost } from '../../src-main/services/studio-host';
import { DATA_WORKSPACE_FILE } from '../../src-main/training/run-folder';
import { built, have } from '../prerequisites';
import { tempDir } from '../sampling/fixtures';
import { smallConfig, until } from '../training/helpers';

const CLI = resolve('out/main/cli.js');

function cli(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const MOONS = { id: 'two-moons', count: 2000, noise: 0.05, seed: 3 };
const moons = generateDataset(MOONS.id, { count: MOONS.count, noise: MOONS.noise, seed: MOONS.seed });

/** Mean and standard deviation of coordinate k of a flat [n, 2] array. */
function moments(a: Float32Array, k: number): { mean: number; std: number } {
  const n = a.length / 2;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += a[2 * i + k] / n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (a[2 * i + k] - mean) ** 2 / n;
  return { mean, std: Math.sqrt(v) };
}

/** Saves a set of two moons into a workspace through the API, as the Data section does; returns its id. */
async function savedMoons(workspace: string): Promise<string> {
  const studio = createStudioHost({ workspace, version: '0.0.0-test', host: 'direct' });
  try {
    const api = createDirectClient(studio.dispatch, studio.events);
    return (await api.call('datasets.save', { name: 'moons', source: MOONS })).id;
  } finally {
    await studio.close();
  }
}

describe.runIf(have(built(CLI)))('a run folder outside the workspace', () => {
  it('is resumed, exported and sampled without naming the workspace again', async () => {
    const workspace = tempDir('studio-ws-');
    const elsewhere = tempDir('studio-elsewhere-');
    const setId = await savedMoons(workspace);
    const configPath = join(elsewhere, 'config.json');
    writeFileSync(configPath, JSON.stringify(smallConfig({ data: { source: 'workspace', id: setId, normalise: 'standardise' }, steps: 8000, checkpointEvery: 5000 })));
    const out = join(elsewhere, 'far-run');

    // train with --workspace, paused by Ctrl-C (the whole process group, as a terminal sends it)
    const child = spawn(process.execPath, [CLI, 'train', '--config', configPath, '--out', out, '--workspace', workspace, '--every', '100'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const done = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    await until(() => /step \d+\/8000 .*steps\/s/.test(err), 30_000, 'a progress line');
    signalProcess(child.pid ?? -1, 'SIGINT', { group: true });
    expect(await done, err).toBe(130);
    expect(JSON.parse(readFileSync(join(out, DATA_WORKSPACE_FILE), 'utf8'))).toEqual({ workspace });
    const paused = await readRunRecord(out);
    expect(paused.status).toBe('paused');

    // resume, export and sample with no --workspace: the run folder says where its data set lives
    const resumed = cli('train', '--resume', '--out', out, '--every', '5000');
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.err).toMatch(new RegExp(`from step ${paused.lastStep} of 8000`));
    const model = join(elsewhere, 'far.onnx');
    const exported = cli('export', '--run', out, '--out', model);
    expect(exported.code, exported.err).toBe(0);
    expect(JSON.parse(exported.out)).toMatchObject({ step: 8000, runId: 'far-run', dataShape: [2] });
    const meta = describeModel(new Uint8Array(readFileSync(model))).meta;
    expect(meta.normalisation?.mean).toHaveLength(2); // standardised with the saved set's statistics
    for (const [args, file] of [[['--model', model], 'from-file.npy'], [['--run', out], 'from-run.npy']] as const) {
      const sampled = cli('sample', ...args, '--sampler', 'heun', '--steps', '20', '--n', '500', '--seed', '1', '--out', join(elsewhere, file));
      expect(sampled.code, sampled.err).toBe(0);
      const x = readNpy(new Uint8Array(readFileSync(join(elsewhere, file))));
      expect(x.shape).toEqual([500, 2]);
      // in data units: each coordinate's mean and spread match the saved set's (the standardisation was undone)
      const data = x.data as Float32Array;
      for (let k = 0; k < 2; k++) {
        const s = moments(data, k);
        const d = moments(moons.data, k);
        expect(Math.abs(s.mean - d.mean), `${file} mean ${k}`).toBeLessThan(0.15 * d.std);
        expect(s.std / d.std, `${file} std ${k}`).toBeGreaterThan(0.8);
        expect(s.std / d.std, `${file} std ${k}`).toBeLessThan(1.2);
      }
    }
    expect(existsSync(join(out, '.live'))).toBe(true); // sampling a run reads its latest checkpoint through a live model file

    // a run that records no workspace (made before runs recorded it) is exported with --workspace, and refused without
    rmSync(join(out, DATA_WORKSPACE_FILE));
    const refused = cli('export', '--run', out, '--out', join(elsewhere, 'x.onnx'));
    expect(refused.code).toBe(1);
    expect(refused.err.trim().split('\n')).toHaveLength(1);
    expect(refused.err).toMatch(new RegExp(`the run's data set '${setId}' cannot be read`));
    const named = cli('export', '--run', out, '--out', join(elsewhere, 'named.onnx'), '--workspace', workspace);
    expect(named.code, named.err).toBe(0);
  }, 120_000);
});
