// `export`: a trained run's latest checkpoint (EMA weights) to an ONNX model in the studio's format, or to a Triton model repository, through the studio's API.
import { resolve } from 'node:path';
import type { Params } from '../../../src-core/api/contract';
import { SAMPLER_GRAPH_SAMPLERS } from '../../../src-core/onnx/sampler-graph';
import { StudioError } from '../../../src-core/errors';
import type { Command, CommandIo } from '../command';
import { optionalInteger, optionalNumber, optionalString, requiredString, type FlagValues } from '../flags';
import { openStudio } from '../studio-client';

type SamplerGraph = NonNullable<Params<'models.exportFile'>['samplerGraph']>;

/** --sampler-graph [--sampler euler|heun] [--steps n] [--grid name], or undefined. */
function samplerGraphOf(flags: FlagValues): SamplerGraph | undefined {
  if (!flags['sampler-graph']) {
    for (const f of ['sampler', 'steps', 'grid']) if (flags[f] !== undefined) throw new StudioError('invalid-argument', `--${f} needs --sampler-graph`);
    return undefined;
  }
  const sampler = optionalString(flags, 'sampler') ?? 'heun';
  const known = SAMPLER_GRAPH_SAMPLERS as readonly string[];
  if (!known.includes(sampler)) throw new StudioError('invalid-argument', `--sampler for a sampler graph must be ${known.join(' or ')}, got '${sampler}'`);
  return { sampler: sampler as SamplerGraph['sampler'], steps: optionalInteger(flags, 'steps', 1) ?? 32, grid: optionalString(flags, 'grid') ?? 'uniform' };
}

/** --triton <repo> [--model-name name] [--max-batch n], or undefined (then --out names the file, and the Triton flags are refused). */
function tritonOf(flags: FlagValues): Params<'models.exportFile'>['triton'] {
  if (flags.triton === undefined) {
    for (const f of ['model-name', 'max-batch']) if (flags[f] !== undefined) throw new StudioError('invalid-argument', `--${f} needs --triton`);
    return undefined;
  }
  if (flags.out !== undefined) throw new StudioError('invalid-argument', '--triton names a repository folder in place of --out: give one of them');
  const model = optionalString(flags, 'model-name');
  const maxBatchSize = optionalInteger(flags, 'max-batch', 1);
  return { ...(model !== undefined ? { model } : {}), ...(maxBatchSize !== undefined ? { maxBatchSize } : {}) };
}

/** --web <folder>: the folder of a web page (given without --out or --triton), or undefined. */
function webFolderOf(flags: FlagValues): string | undefined {
  const folder = optionalString(flags, 'web');
  if (folder === undefined) return undefined;
  if (flags.out !== undefined || flags.triton !== undefined) throw new StudioError('invalid-argument', '--web names a page folder in place of --out or --triton: give one of them');
  return resolve(folder);
}

/** The export command. */
export const exportCommand: Command = {
  name: 'export',
  summary: 'export a trained run to an ONNX model carrying its sampling recipe, or to a Triton model repository',
  usage: [
    'diffusion-studio export --run <run dir> --out <model.onnx> [--guidance w] [--raw-weights] [--sampler-graph [--sampler euler|heun] [--steps 32] [--grid uniform]]',
    '         --triton <repo folder> in place of --out: a Triton model repository, the network as model <run id> (--model-name name)',
    '         with dynamic batching up to --max-batch (256), and with --sampler-graph also the sampler graph as <name>-sampler',
    '         --web <folder> in place of --out: a web page that samples in any browser (ONNX Runtime Web), served as static files;',
    '         it unrolls --sampler (heun) over --steps (32) on --grid (uniform)',
    '         [--workspace <folder>] (where the run\'s saved data set lives, when not where the run records it)',
  ].join('\n'),
  flags: {
    run: 'string', out: 'string', guidance: 'string', 'raw-weights': 'boolean', 'sampler-graph': 'boolean', sampler: 'string', steps: 'string', grid: 'string', workspace: 'string',
    triton: 'string', 'model-name': 'string', 'max-batch': 'string', web: 'string',
  },
  async run(flags, io) {
    const runDir = resolve(requiredString(flags, 'run'));
    const web = webFolderOf(flags);
    if (web !== undefined) return exportWebPage(runDir, web, flags, io);
    const triton = tritonOf(flags);
    const out = resolve(triton ? requiredString(flags, 'triton') : requiredString(flags, 'out'));
    const guidance = optionalNumber(flags, 'guidance');
    const samplerGraph = samplerGraphOf(flags);
    const workspace = optionalString(flags, 'workspace');
    const studio = await openStudio({ runDir, ...(workspace !== undefined ? { workspace } : {}) });
    try {
      const { run } = await studio.api.call('training.open', { dir: runDir });
      const r = await studio.api.call('models.exportFile', {
        runId: run.id, path: out, ...(guidance !== undefined ? { guidance } : {}), rawWeights: flags['raw-weights'] === true, ...(samplerGraph ? { samplerGraph } : {}), ...(triton ? { triton } : {}),
      });
      for (const w of r.warnings) io.err(`warning: ${w}`);
      io.out(JSON.stringify({ out: r.path, bytes: r.bytes, step: r.step, runId: r.meta.runId, parameterisation: r.meta.parameterisation, schedule: r.meta.schedule, dataShape: r.meta.dataShape, ...(samplerGraph ? { samplerGraph } : {}), ...(r.files ? { files: r.files } : {}) }));
    } finally {
      await studio.close();
    }
  },
};

/** export --web: the run as a web page folder, through models.exportWebFolder; a page always holds a sampler graph. */
async function exportWebPage(runDir: string, folder: string, flags: FlagValues, io: CommandIo): Promise<void> {
  const guidance = optionalNumber(flags, 'guidance');
  const samplerGraph = samplerGraphOf({ ...flags, 'sampler-graph': true });
  const workspace = optionalString(flags, 'workspace');
  const studio = await openStudio({ runDir, ...(workspace !== undefined ? { workspace } : {}) });
  try {
    const { run } = await studio.api.call('training.open', { dir: runDir });
    const r = await studio.api.call('models.exportWebFolder', { runId: run.id, path: folder, ...(guidance !== undefined ? { guidance } : {}), rawWeights: flags['raw-weights'] === true, samplerGraph });
    for (const w of r.warnings) io.err(`warning: ${w}`);
    io.err(`serve ${r.path} with any static web server (e.g. python3 -m http.server inside it) and open it in a browser`);
    io.out(JSON.stringify({ out: r.path, bytes: r.bytes, step: r.step, runId: run.id, samplerGraph, files: r.files }));
  } finally {
    await studio.close();
  }
}
