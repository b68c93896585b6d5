// A run's config in a few words (its data, model and objective), so runs tell themselves apart in a list.
import { datasetRegistry } from '../data';
import { modelFamilies } from '../graph/families/registry';
import type { DataRef, TrainingConfig } from './config';

/** What a run trains on, with what, towards what: one short line each. */
interface RunDescription {
  readonly data: string;
  readonly model: string;
  readonly objective: string;
}

/** The names of the saved sets a config refers to, where known (a set may have been deleted since). */
export interface SavedNames {
  readonly data?: string | null;
  readonly source?: string | null;
}

function dataWords(ref: DataRef, savedName: string | null | undefined): string {
  if (ref.source === 'workspace') return savedName ? `saved set “${savedName}”` : `saved set ${ref.id}`;
  const label = datasetRegistry.has(ref.id) ? datasetRegistry.get(ref.id).label : ref.id;
  const count = typeof ref.params.count === 'number' ? `, ${ref.params.count.toLocaleString('en-US')} points` : '';
  return `${label}${count}`;
}

/** The three lines describing a validated config; saved sets go by their names where given. */
export function describeConfig(c: TrainingConfig, names: SavedNames = {}): RunDescription {
  const m = c.model;
  const shape = modelFamilies.get(m.family).describe(m);
  const classes = m.classes !== null ? `, ${m.classes} classes` : '';
  const cp = c.coupling;
  const coupling = cp === 'independent' ? '' : 'ot' in cp ? ' · exact OT' : 'sinkhorn' in cp ? ` · Sinkhorn ε ${cp.sinkhorn}` : ` · bridge s ${cp.schrodinger}`;
  return {
    data: c.source ? `${dataWords(c.source, names.source)} → ${dataWords(c.data, names.data)}` : dataWords(c.data, names.data),
    model: `${shape}${classes}`,
    objective: `${c.objective.parameterisation} · ${c.objective.schedule.name}${coupling}`,
  };
}
