// Global-norm clipping, Adam/AdamW with bias correction fed as scalars, and the EMA update, on flat vectors.
import { int } from '../graph/attrs';
import type { OptimiserSettings } from '../training/backend';
import type { Emitter } from './emitter';

/** Names of the optimiser's inputs in the step graph. */
interface OptimiserInputs {
  readonly params: string;
  readonly m: string;
  readonly v: string;
  readonly ema: string;
  readonly lr: string;
  readonly bc1: string;
  readonly bc2: string;
  /** The flat gradient [P] times gradScale (zeros on frozen parameters). */
  readonly grad: string;
  /** The factor the gradient arrives multiplied by (see optimiserGradScale). */
  readonly gradScale: number;
  /** 1 on trainable entries, 0 on frozen ones (absent when every parameter trains): frozen entries never move. */
  readonly mask?: string;
}

/** Names the outputs will carry. */
interface OptimiserOutputs {
  readonly params: string;
  readonly m: string;
  readonly v: string;
  readonly ema: string;
  readonly gradNorm: string;
}

/**
 * The factor the optimiser wants the gradient multiplied by before it arrives: sqrt(1 - beta2), so the second moment
 * needs no factor of its own, v' = beta2 v + (sqrt(1 - beta2) g)^2 (one pass over the flat vector fewer).
 */
export function optimiserGradScale(s: OptimiserSettings): number {
  return s.beta2 < 1 ? Math.sqrt(1 - s.beta2) : 1;
}

/**
 * Emits one optimiser step in PyTorch's order: norm of the raw gradient, clip (coef = min(1, c / (norm + 1e-6))),
 * L2 added to the gradient (Adam) or decoupled decay p *= 1 - lr wd (AdamW), moments, bias-corrected update, EMA.
 * Constant factors are folded where they cost nothing: the gradient's scale k into the scalar factors (m' = beta1 m +
 * ((1 - beta1) / k) (k g)), and bc2 into the scalars of the update, (lr / bc1) m / (sqrt(v / bc2) + eps) =
 * (lr sqrt(bc2) / bc1) m / (sqrt(v) + eps sqrt(bc2)), so no pass divides v.
 */
export function emitOptimiser(e: Emitter, s: OptimiserSettings, x: OptimiserInputs, out: OptimiserOutputs): void {
  const mul = (a: string, b: string) => e.op('Mul', [a, b]);
  const add = (a: string, b: string) => e.op('Add', [a, b]);
  const k = x.gradScale;
  const norm = e.op('Mul', [e.op('Sqrt', [e.op('ReduceSumSquare', [x.grad], { keepdims: int(0) })]), e.scalar(1 / k)], {}, out.gradNorm);
  let g = x.grad;
  if (s.gradClip !== null) {
    const coef = e.op('Min', [e.op('Div', [e.scalar(s.gradClip), add(norm, e.scalar(1e-6))]), e.scalar(1)]);
    g = mul(g, coef);
  }
  const decayed = (): string => (x.mask ? mul(x.params, x.mask) : x.params);
  if (s.kind === 'adam' && s.weightDecay !== 0) g = add(g, mul(decayed(), e.scalar(k * s.weightDecay)));
  const m = e.op('Add', [mul(x.m, e.scalar(s.beta1)), mul(g, e.scalar((1 - s.beta1) / k))], {}, out.m);
  // a factor that rounds to 1 in float32 changes nothing: its pass is left out
  const vFactor = Math.fround((1 - s.beta2) / (k * k));
  const gg = mul(g, g);
  const v = e.op('Add', [mul(x.v, e.scalar(s.beta2)), vFactor === 1 ? gg : mul(gg, e.scalar(vFactor))], {}, out.v);
  const rootBc2 = e.op('Sqrt', [x.bc2]);
  const denom = add(e.op('Sqrt', [v]), mul(rootBc2, e.scalar(s.eps)));
  let update = mul(e.op('Div', [m, denom]), mul(e.op('Div', [x.lr, x.bc1]), rootBc2));
  // a frozen entry's moments may be non-zero (state from elsewhere); the mask keeps it fixed regardless
  if (x.mask) update = mul(update, x.mask);
  let p = x.params;
  if (s.kind === 'adamw' && s.weightDecay !== 0) p = e.op('Sub', [p, mul(decayed(), mul(x.lr, e.scalar(s.weightDecay)))]);
  const next = e.op('Sub', [p, update], {}, out.params);
  e.op('Add', [mul(x.ema, e.scalar(s.emaDecay)), mul(next, e.scalar(1 - s.emaDecay))], {}, out.ema);
}
