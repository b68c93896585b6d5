// Time features of a model family: t itself ('raw'), sinusoidal (fixed frequencies) or random Fourier (frozen parameter).
import { StudioError, checkFinite, checkInteger } from '../../errors';
import { int } from '../attrs';
import type { GraphBuilder } from '../builder';
import { floatTensor, int64Tensor } from '../tensor';

/** How t [N] becomes features [N, dim]; a model config's time embedding (config.json's names) is one as it stands. */
export type TimeEmbedding =
  | { readonly kind: 'raw' }
  | { readonly kind: 'sinusoidal'; readonly dim: number; readonly maxPeriod?: number; readonly scale?: number }
  | { readonly kind: 'fourier'; readonly dim: number; readonly scale: number };

/** Number of features the embedding produces. */
export function timeEmbeddingDim(e: TimeEmbedding): number {
  return e.kind === 'raw' ? 1 : e.dim;
}

function checkEvenDim(dim: number): void {
  checkInteger(dim, 'time embedding dim', 2);
  if (dim % 2 !== 0) throw new StudioError('invalid-argument', `time embedding dim must be even (sin and cos halves), got ${dim}`);
}

/**
 * Emits the embedding of input t [N] into b and returns the [N, dim] value.
 * Sinusoidal: [sin(s t f_i), cos(s t f_i)] with f_i = maxPeriod^(-i / half), as in transformer position codes.
 * Fourier: [sin(t B), cos(t B)] with B ~ N(0, (2 pi scale)^2) a frozen parameter, so checkpoints hold it.
 */
export function emitTimeEmbedding(b: GraphBuilder, t: string, e: TimeEmbedding): string {
  const axes = b.constant('time.axes', int64Tensor([1], [1]));
  const column = b.node('Unsqueeze', [t, axes], { name: 'time.column' });
  if (e.kind === 'raw') return column;
  checkEvenDim(e.dim);
  const half = e.dim / 2;
  let freqs: string;
  if (e.kind === 'sinusoidal') {
    const maxPeriod = e.maxPeriod ?? 10000;
    const scale = e.scale ?? 1;
    checkFinite(maxPeriod, 'maxPeriod');
    checkFinite(scale, 'time scale');
    if (maxPeriod <= 0) throw new StudioError('invalid-argument', `maxPeriod must be positive, got ${maxPeriod}`);
    const f = new Float32Array(half);
    for (let i = 0; i < half; i++) f[i] = scale * Math.exp((-Math.log(maxPeriod) * i) / half);
    freqs = b.constant('time.frequencies', floatTensor(f, [1, half]));
  } else {
    checkFinite(e.scale, 'Fourier scale');
    freqs = b.param('time.fourier', [1, half], { kind: 'normal', std: 2 * Math.PI * e.scale }, false);
  }
  const arg = b.node('Mul', [column, freqs], { name: 'time.arg' });
  const sin = b.node('Sin', [arg], { name: 'time.sin' });
  const cos = b.node('Cos', [arg], { name: 'time.cos' });
  return b.node('Concat', [sin, cos], { name: 'time.embedding', attrs: { axis: int(1) } });
}
