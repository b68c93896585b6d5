// `sample`: any sampler of the engine, through the studio's API, on an ONNX model in the studio's format, a run folder or the exact oracle of a mixture; samples to .npy.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Params } from '../../../src-core/api/contract';
import type { SamplingModel } from '../../../src-core/api/methods/sampling';
import { datasetMixture, datasetRegistry } from '../../../src-core/data';
import { StudioError } from '../../../src-core/errors';
import { npyToFloat32, npyToInt64 } from '../../../src-core/io/npy';
import { PARAMETERISATIONS, type Parameterisation } from '../../../src-core/model';
import { samplers } from '../../../src-core/sampling';
import type { Command } from '../command';
import { optionalInteger, optionalNumber, optionalString, requiredInteger, requiredString, type FlagValues } from '../flags';
import { readNpyFile, writeNpyFile } from '../npy-files';
import { SAMPLER_OPTION_FLAGS, samplerOptionUsage, samplerOptionValues } from '../sampler-flags';
import { openStudio } from '../studio-client';

async function readJson(text: string, what: string): Promise<unknown> {
  const source = text.trim().startsWith('{') ? text : await readFile(resolve(text), 'utf8').catch((err: Error) => {
    throw new StudioError('not-found', `${what} ${text}: ${err.message}`);
  });
  try {
    return JSON.parse(source) as unknown;
  } catch {
    throw new StudioError('invalid-argument', `${what} ${text.slice(0, 80)} is not valid JSON`);
  }
}

/** What to sample: a model the API takes as it is, or a run folder (opened by path, then sampled by its id). */
type ModelChoice = SamplingModel | { readonly kind: 'run-folder'; readonly dir: string };

/** The model flag (a model file, or oracle:<mixture.json | built-in mixture data set> with --schedule and --parameterisation), or --run. */
async function modelOf(flags: FlagValues): Promise<ModelChoice> {
  const scheduleFlag = optionalString(flags, 'schedule');
  const paramFlag = optionalString(flags, 'parameterisation');
  const run = optionalString(flags, 'run');
  if (run !== undefined) {
    if (flags.model !== undefined) throw new StudioError('invalid-argument', '--model and --run each name a model: give one of them');
    if (scheduleFlag !== undefined || paramFlag !== undefined) throw new StudioError('invalid-argument', '--schedule and --parameterisation are for oracle models; a run carries its own');
    return { kind: 'run-folder', dir: resolve(run) };
  }
  const spec = requiredString(flags, 'model');
  if (!spec.startsWith('oracle:')) {
    if (scheduleFlag !== undefined || paramFlag !== undefined) throw new StudioError('invalid-argument', '--schedule and --parameterisation are for oracle models; a model file carries its own');
    return { kind: 'onnx', path: resolve(spec) };
  }
  const source = spec.slice('oracle:'.length);
  let mixture: unknown;
  if (!existsSync(source) && datasetRegistry.has(source)) {
    mixture = datasetMixture(source) ?? (() => {
      throw new StudioError('invalid-argument', `data set '${source}' is not a Gaussian mixture: it has no exact oracle`);
    })();
  } else mixture = await readJson(source, '--model oracle:');
  const schedule = scheduleFlag === undefined ? { name: 'linear' } : scheduleFlag.trim().startsWith('{') ? await readJson(scheduleFlag, '--schedule') : { name: scheduleFlag };
  if (typeof schedule !== 'object' || schedule === null || Array.isArray(schedule)) throw new StudioError('invalid-argument', '--schedule must be a preset name or a JSON object');
  const parameterisation = (paramFlag ?? 'velocity') as Parameterisation;
  if (!PARAMETERISATIONS.includes(parameterisation)) throw new StudioError('invalid-argument', `--parameterisation must be one of ${PARAMETERISATIONS.join(', ')}`);
  return { kind: 'oracle', mixture, schedule: schedule as Record<string, unknown>, parameterisation };
}

/** --labels: one label for every sample, a comma list of n labels, or an .npy file of n integers. */
async function labelsOf(text: string | undefined, n: number): Promise<Int32Array<ArrayBuffer> | undefined> {
  if (text === undefined) return undefined;
  let values: number[];
  if (/^-?\d+(,-?\d+)*$/.test(text.trim())) values = text.split(',').map(Number);
  else values = Array.from(npyToInt64(await readNpyFile(resolve(text), 'labels')), Number);
  if (values.length === 1) return new Int32Array(n).fill(values[0]);
  if (values.length !== n) throw new StudioError('invalid-shape', `--labels gives ${values.length} labels for ${n} samples`);
  return Int32Array.from(values);
}

/** The sample command. */
export const sampleCommand: Command = {
  name: 'sample',
  summary: 'sample from an ONNX model, a run folder or the exact oracle of a Gaussian mixture into an .npy file',
  usage: [
    'diffusion-studio sample --model <model.onnx | oracle:<mixture.json | data set>> --sampler <name> --steps <n>',
    '         [--grid uniform|log-snr|karras] [--<sampler option> value ...] --n <count> [--seed s] [--noise <noise.npy>]',
    '         [--labels <k | k1,k2,... | labels.npy> --guidance w] --out <samples.npy> [--trajectory <traj.npy> [--record k]]',
    '         oracle only: [--schedule <preset name | JSON>] (default linear) [--parameterisation velocity]',
    '         or, instead of --model, a run folder\'s latest checkpoint: --run <run folder> [--workspace <folder>] (where its saved data set lives, when not where the run records it)',
    `  samplers: ${samplers.names().join(', ')}`,
    '  sampler options (each sampler takes only its own; the range and default are per sampler):',
    ...samplerOptionUsage(),
  ].join('\n'),
  flags: {
    model: 'string', sampler: 'string', steps: 'string', grid: 'string', n: 'string', seed: 'string', noise: 'string',
    labels: 'string', guidance: 'string', out: 'string', trajectory: 'string', record: 'string', schedule: 'string', parameterisation: 'string',
    't-min': 'string', 't-max': 'string', 'denoise-last': 'boolean', run: 'string', workspace: 'string', ...SAMPLER_OPTION_FLAGS,
  },
  async run(flags, io) {
    const out = resolve(requiredString(flags, 'out'));
    const sampler = requiredString(flags, 'sampler');
    samplers.get(sampler); // an unknown sampler is named before any file is read
    const steps = requiredInteger(flags, 'steps', 1);
    const model = await modelOf(flags);
    const noisePath = optionalString(flags, 'noise');
    let n = optionalInteger(flags, 'n', 1);
    let noise: Float32Array<ArrayBuffer> | undefined;
    if (noisePath !== undefined) {
      const a = await readNpyFile(resolve(noisePath), 'noise');
      if (a.shape.length < 2) throw new StudioError('invalid-shape', `--noise must have shape [n, ...data shape], got [${a.shape.join(', ')}]`);
      if (n !== undefined && n !== a.shape[0]) throw new StudioError('invalid-shape', `--n ${n} but --noise holds ${a.shape[0]} samples`);
      n = a.shape[0];
      noise = Float32Array.from(npyToFloat32(a));
    }
    if (n === undefined) throw new StudioError('invalid-argument', 'missing --n (or --noise)');
    const trajectory = optionalString(flags, 'trajectory');
    const record = trajectory === undefined ? undefined : optionalInteger(flags, 'record', 1) ?? n;
    const num = (name: string) => optionalNumber(flags, name);
    const request: Omit<Params<'sampling.run'>, 'model'> = {
      id: 'command-line', sampler, steps, n,
      grid: optionalString(flags, 'grid') ?? 'uniform',
      seed: optionalInteger(flags, 'seed') ?? 0,
      denoiseLast: flags['denoise-last'] === true,
      ...(noise ? { noise } : {}),
      ...(record !== undefined ? { record } : {}),
      ...samplerOptionValues(flags),
      ...Object.fromEntries(([['guidance', 'guidance'], ['tMin', 't-min'], ['tMax', 't-max']] as const).flatMap(([k, f]) => (num(f) === undefined ? [] : [[k, num(f)]]))),
    };
    const labels = await labelsOf(optionalString(flags, 'labels'), n);
    if (labels) request.labels = labels;
    const workspace = optionalString(flags, 'workspace');
    const studio = await openStudio({ ...(model.kind === 'run-folder' ? { runDir: model.dir } : {}), ...(workspace !== undefined ? { workspace } : {}) });
    const tty = process.stderr.isTTY === true;
    const off = studio.api.on('sampling.progress', (s) => {
      if (s.id === request.id && tty && (s.step === s.total || s.step % 10 === 0)) process.stderr.write(`\rstep ${s.step}/${s.total ?? '?'}  t = ${s.t.toFixed(4)}  nfe ${s.nfe}`);
    });
    try {
      // a run folder is opened by path, then sampled from its latest checkpoint (EMA weights) by id
      const sampled: SamplingModel = model.kind === 'run-folder' ? { kind: 'run', runId: (await studio.api.call('training.open', { dir: model.dir })).run.id } : model;
      const r = await studio.api.call('sampling.run', { ...request, model: sampled });
      if (tty) process.stderr.write('\n');
      await writeNpyFile(out, { dtype: 'float32', shape: r.shape, data: r.samples });
      if (trajectory !== undefined && r.trajectory) await writeNpyFile(resolve(trajectory), { dtype: 'float32', shape: r.trajectory.shape, data: r.trajectory.x });
      io.out(JSON.stringify({ out, shape: r.shape, nfe: r.nfe, seconds: r.seconds, ...(r.trajectory ? { trajectory: resolve(trajectory ?? ''), trajectoryShape: r.trajectory.shape } : {}) }));
    } finally {
      off();
      await studio.close();
    }
  },
};
