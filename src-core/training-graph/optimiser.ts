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
  /** The flat gradient [P] (zeros on frozen parameters). */
  readonly grad: string;
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
 * Emits one optimiser step in PyTorch's order: norm of the raw gradient, clip (coef = min(1, c / (norm + 1e-6))),
 * L2 added to the gradient (Adam) or decoupled decay p *= 1 - lr wd (AdamW), moments, bias-corrected update, EMA.
 */
export function emitOptimiser(e: Emitter, s: OptimiserSettings, x: OptimiserInputs, out: OptimiserOutputs): void {
  const mul = (a: string, b: string) => e.op('Mul', [a, b]);
  const add = (a: string, b: string) => e.op('Add', [a, b]);
  const norm = e.op('Sqrt', [e.op('ReduceSumSquare', [x.grad], { keepdims: int(0) })], {}, out.gradNorm);
  let g = x.grad;
  if (s.gradClip !== null) {
    const coef = e.op('Min', [e.op('Div', [e.scalar(s.gradClip), add(norm, e.scalar(1e-6))]), e.scalar(1)]);
    g = mul(g, coef);
  }
  const decayed = (): string => (x.mask ? mul(x.params, x.mask) : x.params);
  if (s.kind === 'adam' && s.weightDecay !== 0) g = add(g, mul(decayed(), e.scalar(s.weightDecay)));
  const m = e.op('Add', [mul(x.m, e.scalar(s.beta1)), mul(g, e.scalar(1 - s.beta1))], {}, out.m);
  const v = e.op('Add', [mul(x.v, e.scalar(s.beta2)), mul(mul(g, g), e.scalar(1 - s.beta2))], {}, out.v);
  // p -= (lr / bc1) m / (sqrt(v / bc2) + eps): the scalar factors are folded before touching [P] vectors
  const denom = add(e.op('Sqrt', [e.op('Div', [v, x.bc2])]), e.scalar(s.eps));
  let update = mul(e.op('Div', [m, denom]), e.op('Div', [x.lr, x.bc1]));
  // a frozen entry's moments may be non-zero (state from elsewhere); the mask keeps it fixed regardless
  if (x.mask) update = mul(update, x.mask);
  let p = x.params;
  if (s.kind === 'adamw' && s.weightDecay !== 0) p = e.op('Sub', [p, mul(decayed(), mul(x.lr, e.scalar(s.weightDecay)))]);
  const next = e.op('Sub', [p, update], {}, out.params);
  e.op('Add', [mul(x.ema, e.scalar(s.emaDecay)), mul(next, e.scalar(1 - s.emaDecay))], {}, out.ema);
}
