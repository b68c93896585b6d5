// A run's config in a few words (its data, model and objective), so runs tell themselves apart in a list.
import { datasetRegistry } from '../data';
import type { DataRef, TrainingConfig } from './config';

/** What a run trains on, with what, towards what: one short line each. */
export interface RunDescription {
  readonly data: string;
  readonly model: string;
  readonly objective: string;
}

function dataWords(ref: DataRef): string {
  if (ref.source === 'workspace') return `saved set ${ref.id}`;
  const label = datasetRegistry.has(ref.id) ? datasetRegistry.get(ref.id).label : ref.id;
  const count = typeof ref.params.count === 'number' ? `, ${ref.params.count.toLocaleString('en-US')} points` : '';
  return `${label}${count}`;
}

/** The three lines describing a validated config. */
export function describeConfig(c: TrainingConfig): RunDescription {
  const m = c.model;
  const shape = m.family === 'mlp' ? `MLP ${m.hidden.join('×')}` : `U-Net ${m.channels.join('·')}${m.attentionLevels.length ? ' + attention' : ''}`;
  const classes = m.classes !== null ? `, ${m.classes} classes` : '';
  const cp = c.coupling;
  const coupling = cp === 'independent' ? '' : 'ot' in cp ? ' · exact OT' : 'sinkhorn' in cp ? ` · Sinkhorn ε ${cp.sinkhorn}` : ` · bridge s ${cp.schrodinger}`;
  return {
    data: c.source ? `${dataWords(c.source)} → ${dataWords(c.data)}` : dataWords(c.data),
    model: `${shape}${classes}`,
    objective: `${c.objective.parameterisation} · ${c.objective.schedule.name}${coupling}`,
  };
}
