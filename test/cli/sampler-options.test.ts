// The sample command walked over the sampler registry: every option of every sampler has its flag, its value reaches the run, and a value out of range is refused naming the option.
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../src-main/cli/run-cli';
import { optionFlag } from '../../src-main/cli/sampler-flags';
import { sampleCommand } from '../../src-main/cli/commands/sample';
import { samplers } from '../../src-core/sampling';
import type { SamplerOptionSpec } from '../../src-core/sampling/types';
import { tempDir } from '../sampling/fixtures';

const dir = tempDir('studio-cli-options-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;

/** Runs `sample` on the oracle of a built-in mixture; its exit code, stdout lines, stderr lines and the samples' bytes. */
async function sample(sampler: string, ...more: string[]): Promise<{ code: number; out: string[]; err: string[]; bytes: Buffer | null }> {
  const out: string[] = [];
  const err: string[] = [];
  const file = join(dir, `s${files++}.npy`);
  const args = ['sample', '--model', 'oracle:eight-gaussians', '--schedule', 'vp-linear', '--sampler', sampler, '--steps', '4', '--t-max', '0.99', '--n', '6', '--seed', '3', '--out', file, ...more];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  let bytes: Buffer | null = null;
  try {
    bytes = readFileSync(file);
  } catch {
    // nothing written: the run was refused or failed
  }
  return { code, out, err, bytes };
}

/** A value in range other than the default: the lower end, or a step above it when the default sits there. */
function otherValue(o: SamplerOptionSpec): number {
  if (o.default !== o.min) return o.min;
  return o.integer ? o.min + 1 : (o.min + o.max) / 2;
}

/** A value past the top of the range. */
const tooBig = (o: SamplerOptionSpec) => (o.integer ? o.max + 1 : o.max * 2);

const walk = samplers.names().flatMap((name) => samplers.get(name).options.map((o) => [name, `--${optionFlag(o.name)}`, o] as const));

describe('sample: a flag for every sampler option', () => {
  it('lists each option once as a --kebab-case flag with its range and default per sampler, apart from the command\'s own flags', () => {
    expect(walk.length).toBeGreaterThan(0);
    const usage = sampleCommand.usage;
    for (const [sampler, , o] of walk) {
      const flag = optionFlag(o.name);
      expect(flag).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(sampleCommand.flags[flag], flag).toBe('string');
      const line = usage.split('\n').find((l) => l.startsWith(`  --${flag} `));
      expect(line, flag).toBeDefined();
      expect(line).toContain(`${sampler} ${+o.min.toPrecision(6)}..${+o.max.toPrecision(6)} (default ${+o.default.toPrecision(6)})`);
    }
    expect(optionFlag('correctorSteps')).toBe('corrector-steps');
    // no option's flag stands in for one the command reads itself
    const own = ['model', 'sampler', 'steps', 'grid', 'n', 'seed', 'noise', 'labels', 'guidance', 'out', 'trajectory', 'record', 'schedule', 'parameterisation', 't-min', 't-max', 'denoise-last', 'run', 'workspace'];
    for (const f of own) expect(walk.map(([, flag]) => flag)).not.toContain(`--${f}`);
  });

  it.each(walk)('%s %s: its value reaches the run, and one out of range is refused naming it', async (sampler, flag, o) => {
    const base = await sample(sampler);
    expect(base.code, base.err.join('\n')).toBe(0);
    // the default given by its flag runs as the default left out
    const asDefault = await sample(sampler, flag, String(o.default));
    expect(asDefault.code, asDefault.err.join('\n')).toBe(0);
    expect(asDefault.bytes?.equals(base.bytes!)).toBe(true);
    expect(JSON.parse(asDefault.out[0]).nfe).toBe(JSON.parse(base.out[0]).nfe);
    // another value changes the samples, their NFE, or (a smaller budget) the outcome
    const other = await sample(sampler, flag, String(otherValue(o)));
    const changed = other.code !== base.code || JSON.parse(other.out[0] ?? '{}').nfe !== JSON.parse(base.out[0]).nfe || !other.bytes?.equals(base.bytes!);
    expect(changed, `${flag} ${otherValue(o)} left the run as it was`).toBe(true);
    const refused = await sample(sampler, flag, String(tooBig(o)));
    expect(refused.code).toBe(1);
    expect(refused.err).toHaveLength(1);
    expect(refused.err[0]).toContain(`${o.name}: must be at most ${+o.max.toPrecision(6)}, got ${+tooBig(o).toPrecision(6)} (sampler '${sampler}')`);
    expect(refused.bytes).toBeNull();
  });

  it('counts corrector steps in the NFE of pc and annealed Langevin', async () => {
    // pc: one predictor and k corrector evaluations per step; annealed Langevin: k per level
    for (const [sampler, k, perStep] of [['pc', 3, 4], ['pc', 0, 1], ['annealed-langevin', 2, 2]] as const) {
      const r = await sample(sampler, '--corrector-steps', String(k));
      expect(r.code, r.err.join('\n')).toBe(0);
      expect(JSON.parse(r.out[0]).nfe, `${sampler} k = ${k}`).toBe(4 * perStep);
    }
  });

  it('refuses an option the sampler does not take, naming it and what it takes, and a value that is not a number', async () => {
    const r = await sample('euler', '--corrector-steps', '2');
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(/correctorSteps: the sampler 'euler' does not take 'correctorSteps' \(it takes no options\)/);
    const nan = await sample('pc', '--snr', 'high');
    expect(nan.code).toBe(1);
    expect(nan.err[0]).toMatch(/--snr must be a number, got 'high'/);
  });
});
