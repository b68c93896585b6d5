// `datasets`: the built-in data sets with their parameters.
import { DATASETS } from '../../../src-core/data';
import type { Command } from '../command';

/** The datasets command. */
export const datasetsCommand: Command = {
  name: 'datasets',
  summary: 'list the built-in data sets',
  usage: 'diffusion-studio datasets [--json]',
  flags: { json: 'boolean' },
  async run(flags, io) {
    if (flags.json) {
      io.out(JSON.stringify(DATASETS.map((d) => ({ id: d.id, label: d.label, description: d.description, exactMixture: d.hasMixture, params: d.params.map((p) => p.name) }))));
      return;
    }
    const width = Math.max(...DATASETS.map((d) => d.id.length));
    for (const d of DATASETS) {
      const params = d.params.length ? `  [${d.params.map((p) => `--${p.name}`).join(' ')}]` : '';
      io.out(`${d.id.padEnd(width)}  ${d.description}${d.hasMixture ? ' (exact oracle: oracle:' + d.id + ')' : ''}${params}`);
    }
  },
};
