// `export`: a trained run's latest checkpoint (EMA weights) to an ONNX model in the studio's format.
import { resolve } from 'node:path';
import { StudioError } from '../../../src-core/errors';
import { exportRun } from '../../export/export-run';
import { SAMPLER_GRAPH_SAMPLERS } from '../../export/sampler-graph';
import type { Command } from '../command';
import { optionalInteger, optionalNumber, optionalString, requiredString, type FlagValues } from '../flags';
import type { ExportOptions } from '../../export/export-run';

/** --sampler-graph [--sampler euler|heun] [--steps n] [--grid name], or undefined. */
function samplerGraphOf(flags: FlagValues): ExportOptions['samplerGraph'] {
  if (!flags['sampler-graph']) {
    for (const f of ['sampler', 'steps', 'grid']) if (flags[f] !== undefined) throw new StudioError('invalid-argument', `--${f} needs --sampler-graph`);
    return undefined;
  }
  const sampler = optionalString(flags, 'sampler') ?? 'heun';
  const known = SAMPLER_GRAPH_SAMPLERS as readonly string[];
  if (!known.includes(sampler)) throw new StudioError('invalid-argument', `--sampler for a sampler graph must be ${known.join(' or ')}, got '${sampler}'`);
  return { sampler: sampler as (typeof SAMPLER_GRAPH_SAMPLERS)[number], steps: optionalInteger(flags, 'steps', 1) ?? 32, grid: optionalString(flags, 'grid') ?? 'uniform' };
}

/** The export command. */
export const exportCommand: Command = {
  name: 'export',
  summary: 'export a trained run to an ONNX model carrying its sampling recipe',
  usage: 'diffusion-studio export --run <run dir> --out <model.onnx> [--guidance w] [--raw-weights] [--sampler-graph [--sampler euler|heun] [--steps 32] [--grid uniform]]',
  flags: { run: 'string', out: 'string', guidance: 'string', 'raw-weights': 'boolean', 'sampler-graph': 'boolean', sampler: 'string', steps: 'string', grid: 'string' },
  async run(flags, io) {
    const runDir = resolve(requiredString(flags, 'run'));
    const out = resolve(requiredString(flags, 'out'));
    const guidance = optionalNumber(flags, 'guidance');
    const samplerGraph = samplerGraphOf(flags);
    const r = await exportRun(runDir, out, { ...(guidance !== undefined ? { guidance } : {}), rawWeights: flags['raw-weights'] === true, ...(samplerGraph ? { samplerGraph } : {}) });
    for (const w of r.warnings) io.err(`warning: ${w}`);
    io.out(JSON.stringify({ out: r.path, bytes: r.bytes, step: r.step, runId: r.meta.runId, parameterisation: r.meta.parameterisation, schedule: r.meta.schedule, dataShape: r.meta.dataShape, ...(samplerGraph ? { samplerGraph } : {}) }));
  },
};
