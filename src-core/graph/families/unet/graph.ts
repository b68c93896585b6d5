// The U-Net family, written once: residual conv blocks with group norm and time embedding, optional self-attention, skips by Concat.
import { StudioError, checkInteger } from '../../../errors';
import { float, int, ints, str } from '../../attrs';
import { GraphBuilder, type BuiltGraph } from '../../builder';
import { floatTensor, int64Tensor } from '../../tensor';
import { emitTimeEmbedding, timeEmbeddingDim, type TimeEmbedding } from '../time-embedding';

/** Options of buildUnet. */
export interface UnetOptions {
  /** One item's shape [C, H, W]; H and W must be divisible by 2^(levels - 1). */
  readonly imageShape: readonly [number, number, number];
  /** Channels at each resolution level (level 0 is full resolution); each must divide into `groups`. */
  readonly channels: readonly number[];
  /** Residual blocks per level on the way down (the way up has one more, for the extra skip). Default 1. */
  readonly resBlocksPerLevel?: number;
  /** Levels that get a self-attention block after each residual block; the lowest one also puts one in the middle. */
  readonly attentionLevels?: readonly number[];
  /** Groups of every group norm. */
  readonly groups: number;
  readonly timeEmbedding: TimeEmbedding;
  /** Number of classes; adds input y int64 [N] with values 0..classes, where `classes` is the null (unconditional) label. */
  readonly classes?: number;
  readonly name?: string;
}

/** A built U-Net: graph, flat layout, the options it came from, and the null label when class-conditioned. */
export interface UnetModel extends BuiltGraph {
  readonly options: UnetOptions;
  readonly nullClass: number | undefined;
}

/** A value of the network with its channel count and spatial size. */
interface Feature {
  readonly name: string;
  readonly c: number;
  readonly h: number;
  readonly w: number;
}

const GROUP_NORM_EPS = 1e-5;

/** Emits the U-Net's blocks into one builder; constants are shared between uses. */
class UnetWriter {
  private readonly shared = new Map<string, string>();
  /** SiLU of the time (and label) embedding, which every residual block projects. */
  temb = '';

  constructor(
    readonly b: GraphBuilder,
    private readonly groups: number,
    readonly tdim: number,
  ) {}

  ints(values: readonly number[]): string {
    const key = `i:${values.join(',')}`;
    let name = this.shared.get(key);
    if (!name) {
      name = this.b.constant(`const.shape${this.shared.size}`, int64Tensor(values, [values.length]));
      this.shared.set(key, name);
    }
    return name;
  }

  scalar(value: number): string {
    const key = `f:${value}`;
    let name = this.shared.get(key);
    if (!name) {
      name = this.b.constant(`const.scalar${this.shared.size}`, floatTensor([value], []));
      this.shared.set(key, name);
    }
    return name;
  }

  silu(h: string, prefix: string): string {
    return this.b.node('Mul', [h, this.b.node('Sigmoid', [h], { name: `${prefix}.sigmoid` })], { name: `${prefix}.silu` });
  }

  /** A k x k convolution with bias; stride 2 halves the size ('same' padding). */
  conv(f: Feature, cout: number, k: number, prefix: string, stride = 1, outName?: string, last = false): Feature {
    const fanIn = f.c * k * k;
    const init = last ? ({ kind: 'xavier-uniform', fanIn, fanOut: cout * k * k } as const) : ({ kind: 'he-normal', fanIn } as const);
    const w = this.b.param(`${prefix}.weight`, [cout, f.c, k, k], init);
    const bias = this.b.param(`${prefix}.bias`, [cout], { kind: 'zeros' });
    const p = (k - 1) / 2;
    const attrs = { pads: ints([p, p, p, p]), ...(stride !== 1 ? { strides: ints([stride, stride]) } : {}) };
    const name = this.b.node('Conv', [f.name, w, bias], { attrs, name: outName ?? `${prefix}.conv` });
    return { name, c: cout, h: f.h / stride, w: f.w / stride };
  }

  /** A float32 constant of `length` copies of `value`, shared between uses. */
  filled(value: number, length: number): string {
    const key = `v:${value}x${length}`;
    let name = this.shared.get(key);
    if (!name) {
      name = this.b.constant(`const.filled${this.shared.size}`, floatTensor(new Array<number>(length).fill(value), [length]));
      this.shared.set(key, name);
    }
    return name;
  }

  /**
   * Group norm: InstanceNormalization over the [N, groups, rest] reshape normalises each group's channels and pixels
   * together (ONNX Runtime's one kernel, and a closed-form gradient), then a per-channel (1 + scale) and shift.
   */
  groupNorm(f: Feature, prefix: string): Feature {
    const b = this.b;
    const grouped = b.node('Reshape', [f.name, this.ints([-1, this.groups, (f.c / this.groups) * f.h * f.w])], { name: `${prefix}.grouped` });
    const stats = [this.filled(1, this.groups), this.filled(0, this.groups)];
    const normed = b.node('InstanceNormalization', [grouped, ...stats], { attrs: { epsilon: float(GROUP_NORM_EPS) }, name: `${prefix}.normed` });
    const image = b.node('Reshape', [normed, this.ints([-1, f.c, f.h, f.w])], { name: `${prefix}.ungrouped` });
    // the scale is stored as an offset from 1 so that zeros (the only constant initialiser) start it at identity
    const scale = b.node('Add', [b.param(`${prefix}.scale`, [f.c, 1, 1], { kind: 'zeros' }), this.scalar(1)], { name: `${prefix}.gain` });
    const shift = b.param(`${prefix}.shift`, [f.c, 1, 1], { kind: 'zeros' });
    return { ...f, name: b.node('Add', [b.node('Mul', [image, scale], { name: `${prefix}.scaled` }), shift], { name: `${prefix}.out` }) };
  }

  /** norm -> SiLU -> conv, twice, with the time embedding projected and added in between; a 1x1 conv matches the skip's channels. */
  resBlock(f: Feature, cout: number, prefix: string): Feature {
    const b = this.b;
    let a = this.conv({ ...f, name: this.silu(this.groupNorm(f, `${prefix}.norm1`).name, `${prefix}.act1`) }, cout, 3, `${prefix}.conv1`);
    const tw = b.param(`${prefix}.time.weight`, [this.tdim, cout], { kind: 'he-normal', fanIn: this.tdim });
    const tb = b.param(`${prefix}.time.bias`, [cout], { kind: 'zeros' });
    const t = b.node('Reshape', [b.node('Gemm', [this.temb, tw, tb], { name: `${prefix}.time.gemm` }), this.ints([-1, cout, 1, 1])], { name: `${prefix}.time` });
    a = { ...a, name: b.node('Add', [a.name, t], { name: `${prefix}.with_time` }) };
    a = this.conv({ ...a, name: this.silu(this.groupNorm(a, `${prefix}.norm2`).name, `${prefix}.act2`) }, cout, 3, `${prefix}.conv2`);
    const skip = f.c === cout ? f : this.conv(f, cout, 1, `${prefix}.skip`);
    return { ...a, name: b.node('Add', [skip.name, a.name], { name: `${prefix}.out` }) };
  }

  /** Single-head self-attention over the H*W positions: 1x1 convs for q, k, v and the output, Einsum and Softmax between. */
  attention(f: Feature, prefix: string): Feature {
    const b = this.b;
    const n = this.groupNorm(f, `${prefix}.norm`);
    const flat = (g: Feature, what: string) => b.node('Reshape', [g.name, this.ints([-1, f.c, f.h * f.w])], { name: `${prefix}.${what}.flat` });
    const q = b.node('Mul', [flat(this.conv(n, f.c, 1, `${prefix}.q`), 'q'), this.scalar(1 / Math.sqrt(f.c))], { name: `${prefix}.q.scaled` });
    const k = flat(this.conv(n, f.c, 1, `${prefix}.k`), 'k');
    const v = flat(this.conv(n, f.c, 1, `${prefix}.v`), 'v');
    const scores = b.node('Einsum', [q, k], { attrs: { equation: str('bci,bcj->bij') }, name: `${prefix}.scores` });
    const weights = b.node('Softmax', [scores], { attrs: { axis: int(-1) }, name: `${prefix}.weights` });
    const mixed = b.node('Einsum', [weights, v], { attrs: { equation: str('bij,bcj->bci') }, name: `${prefix}.mixed` });
    const image = b.node('Reshape', [mixed, this.ints([-1, f.c, f.h, f.w])], { name: `${prefix}.mixed.image` });
    const o = this.conv({ ...f, name: image }, f.c, 1, `${prefix}.proj`);
    return { ...f, name: b.node('Add', [f.name, o.name], { name: `${prefix}.out` }) };
  }

  /**
   * Nearest-neighbour 2x upsampling, then a 3x3 conv. Columns are doubled by a MatMul with a 0/1 matrix (exact: one
   * product by 1 per output, the rest add zeros) and rows by Expand over whole rows: an Expand that repeats single
   * elements (the innermost axis) ran at a fraction of memory speed in ONNX Runtime.
   */
  upsample(f: Feature, prefix: string): Feature {
    const b = this.b;
    const spread = new Float32Array(f.w * 2 * f.w);
    for (let x = 0; x < f.w; x++) spread[x * 2 * f.w + 2 * x] = spread[x * 2 * f.w + 2 * x + 1] = 1;
    const doubler = b.constant(`${prefix}.columns`, floatTensor(spread, [f.w, 2 * f.w]));
    const wide = b.node('MatMul', [f.name, doubler], { name: `${prefix}.wide` });
    const split = b.node('Reshape', [wide, this.ints([-1, f.c, f.h, 1, 2 * f.w])], { name: `${prefix}.split` });
    const copies = b.node('Expand', [split, this.ints([1, 1, 1, 2, 1])], { name: `${prefix}.copies` });
    const up = b.node('Reshape', [copies, this.ints([-1, f.c, 2 * f.h, 2 * f.w])], { name: `${prefix}.nearest` });
    return this.conv({ name: up, c: f.c, h: 2 * f.h, w: 2 * f.w }, f.c, 3, `${prefix}`);
  }
}

function checkOptions(o: UnetOptions): void {
  const [c, h, w] = o.imageShape;
  [c, h, w].forEach((d) => checkInteger(d, 'image dimension', 1));
  if (o.channels.length === 0) throw new StudioError('invalid-argument', 'a U-Net needs at least one level');
  checkInteger(o.groups, 'groups', 1);
  o.channels.forEach((ch) => {
    checkInteger(ch, 'channels', 1);
    if (ch % o.groups !== 0) throw new StudioError('invalid-argument', `${ch} channels do not split into ${o.groups} groups`);
  });
  const f = 2 ** (o.channels.length - 1);
  if (h % f !== 0 || w % f !== 0) throw new StudioError('invalid-shape', `${o.channels.length} levels halve the image ${o.channels.length - 1} times: ${h}x${w} must be divisible by ${f}`);
  checkInteger(o.resBlocksPerLevel ?? 1, 'resBlocksPerLevel', 1);
  for (const l of o.attentionLevels ?? []) {
    if (!Number.isInteger(l) || l < 0 || l >= o.channels.length) throw new StudioError('invalid-argument', `attention level ${l} does not exist (the U-Net has ${o.channels.length} levels)`);
  }
}

/** Builds the U-Net graph: inputs x float32 [N, C, H, W], t float32 [N], optional y int64 [N]; output prediction [N, C, H, W]. */
export function buildUnet(options: UnetOptions): UnetModel {
  checkOptions(options);
  const { channels, imageShape } = options;
  const levels = channels.length;
  const blocks = options.resBlocksPerLevel ?? 1;
  const attn = new Set(options.attentionLevels ?? []);
  const b = new GraphBuilder(options.name ?? 'unet');
  const x = b.input('x', 'float32', ['N', ...imageShape]);
  const t = b.input('t', 'float32', ['N']);
  const tdim = 4 * channels[0];
  const u = new UnetWriter(b, options.groups, tdim);
  const features = timeEmbeddingDim(options.timeEmbedding);
  const dense = (h: string, fanIn: number, prefix: string) =>
    b.node('Gemm', [h, b.param(`${prefix}.weight`, [fanIn, tdim], { kind: 'he-normal', fanIn }), b.param(`${prefix}.bias`, [tdim], { kind: 'zeros' })], { name: `${prefix}.gemm` });
  let temb = dense(u.silu(dense(emitTimeEmbedding(b, t, options.timeEmbedding), features, 'time.dense0'), 'time.act'), tdim, 'time.dense1');
  let nullClass: number | undefined;
  if (options.classes !== undefined) {
    checkInteger(options.classes, 'classes', 1);
    nullClass = options.classes;
    const y = b.input('y', 'int64', ['N']);
    const table = b.param('label.table', [options.classes + 1, tdim], { kind: 'normal', std: 1 });
    temb = b.node('Add', [temb, b.node('Gather', [table, y], { name: 'label.embedding', attrs: { axis: int(0) } })], { name: 'time.with_label' });
  }
  u.temb = u.silu(temb, 'time.out');

  let h = u.conv({ name: x, c: imageShape[0], h: imageShape[1], w: imageShape[2] }, channels[0], 3, 'in');
  const skips: Feature[] = [h];
  channels.forEach((ch, l) => {
    for (let r = 0; r < blocks; r++) {
      h = u.resBlock(h, ch, `down${l}.res${r}`);
      if (attn.has(l)) h = u.attention(h, `down${l}.attn${r}`);
      skips.push(h);
    }
    if (l < levels - 1) {
      h = u.conv(h, ch, 3, `down${l}.downsample`, 2);
      skips.push(h);
    }
  });
  h = u.resBlock(h, h.c, 'mid.res0');
  if (attn.has(levels - 1)) h = u.attention(h, 'mid.attn');
  h = u.resBlock(h, h.c, 'mid.res1');
  for (let l = levels - 1; l >= 0; l--) {
    for (let r = 0; r <= blocks; r++) {
      const s = skips.pop() as Feature;
      const joined = b.node('Concat', [h.name, s.name], { attrs: { axis: int(1) }, name: `up${l}.join${r}` });
      h = u.resBlock({ ...h, name: joined, c: h.c + s.c }, channels[l], `up${l}.res${r}`);
      if (attn.has(l)) h = u.attention(h, `up${l}.attn${r}`);
    }
    if (l > 0) h = u.upsample(h, `up${l}.upsample`);
  }
  const act = u.silu(u.groupNorm(h, 'out.norm').name, 'out.act');
  const prediction = u.conv({ ...h, name: act }, imageShape[0], 3, 'out', 1, 'prediction', true);
  b.output(prediction.name);
  return { ...b.build(), options, nullClass };
}
