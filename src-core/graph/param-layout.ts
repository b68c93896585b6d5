// The flat parameter layout (named views into one Float32Array) and its seeded initialisation.
import { StudioError } from '../errors';
import type { Rng } from '../rng';
import { sizeOf } from './tensor';
import type { ParamView } from './types';

/** How a parameter starts: He (for layers followed by SiLU/ReLU), Xavier, zeros, or a fixed normal. */
export type ParamInit =
  | { readonly kind: 'he-normal'; readonly fanIn: number }
  | { readonly kind: 'xavier-uniform'; readonly fanIn: number; readonly fanOut: number }
  | { readonly kind: 'normal'; readonly std: number }
  | { readonly kind: 'zeros' };

/** One parameter of the layout: a view into the flat buffer, its initialiser, and whether training updates it. */
export interface ParamEntry extends ParamView {
  readonly init: ParamInit;
  readonly trainable: boolean;
}

/** The flat layout a checkpoint stores: entries in buffer order and the total size. */
export interface ParamLayout {
  readonly size: number;
  readonly entries: readonly ParamEntry[];
}

/** A fresh parameter buffer drawn from the layout's initialisers with a seeded generator. */
export function initParams(layout: ParamLayout, rng: Rng): Float32Array {
  const out = new Float32Array(layout.size);
  for (const e of layout.entries) {
    const view = out.subarray(e.offset, e.offset + sizeOf(e.shape));
    const init = e.init;
    switch (init.kind) {
      case 'zeros':
        break;
      case 'normal':
        for (let i = 0; i < view.length; i++) view[i] = init.std * rng.normal();
        break;
      case 'he-normal': {
        const std = Math.sqrt(2 / init.fanIn);
        for (let i = 0; i < view.length; i++) view[i] = std * rng.normal();
        break;
      }
      case 'xavier-uniform': {
        const limit = Math.sqrt(6 / (init.fanIn + init.fanOut));
        rng.fillUniform(view, -limit, limit);
        break;
      }
    }
  }
  return out;
}

/** The view of one named parameter inside a flat buffer (shares memory). */
export function paramSlice(layout: ParamLayout, params: Float32Array, name: string): Float32Array {
  const e = layout.entries.find((x) => x.name === name);
  if (!e) throw new StudioError('unknown-name', `no parameter '${name}'; known: ${layout.entries.map((x) => x.name).join(', ')}`);
  if (params.length !== layout.size) throw new StudioError('invalid-shape', `parameter buffer has ${params.length} values, layout needs ${layout.size}`);
  return params.subarray(e.offset, e.offset + sizeOf(e.shape));
}
