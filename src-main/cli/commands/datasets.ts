// `datasets`: the built-in data sets with their parameters, as the studio's API lists them (datasets.list).
import { datasetRequest, type DatasetInfo } from '../../../src-core/api/methods/datasets';
import type { Command } from '../command';
import { openStudio } from '../studio-client';

/** The set's own parameters: those a request carries under params, not beside id (count, noise, seed). */
function ownParams(d: DatasetInfo): DatasetInfo['params'] {
  return d.params.filter((p) => !Object.hasOwn(datasetRequest.shape, p.name));
}

/** The datasets command. */
export const datasetsCommand: Command = {
  name: 'datasets',
  summary: 'list the built-in data sets',
  usage: 'diffusion-studio datasets [--json]',
  flags: { json: 'boolean' },
  async run(flags, io) {
    const studio = await openStudio();
    let sets: DatasetInfo[];
    try {
      sets = await studio.api.call('datasets.list', {});
    } finally {
      await studio.close();
    }
    if (flags.json) {
      io.out(JSON.stringify(sets.map((d) => ({ id: d.id, label: d.label, description: d.description, exactMixture: d.hasMixture, params: ownParams(d).map((p) => p.name) }))));
      return;
    }
    const width = Math.max(...sets.map((d) => d.id.length));
    for (const d of sets) {
      const own = ownParams(d);
      const params = own.length ? `  [${own.map((p) => `--${p.name}`).join(' ')}]` : '';
      io.out(`${d.id.padEnd(width)}  ${d.description}${d.hasMixture ? ' (exact oracle: oracle:' + d.id + ')' : ''}${params}`);
    }
  },
};
