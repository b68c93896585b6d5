// The MLP family, written once: [x, time features, label embedding] -> hidden SiLU layers (optionally residual) -> prediction.
import { StudioError, checkInteger } from '../../../errors';
import { int } from '../../attrs';
import { GraphBuilder, type BuiltGraph } from '../../builder';
import { emitTimeEmbedding, timeEmbeddingDim, type TimeEmbedding } from '../time-embedding';

/** Hidden-layer nonlinearities; SiLU is written as x * sigmoid(x) (ONNX has no SiLU op at opset 17). */
export const ACTIVATIONS = ['silu', 'relu', 'tanh'] as const;
type Activation = (typeof ACTIVATIONS)[number];

/** Options of buildMlp. */
export interface MlpOptions {
  readonly dataDim: number;
  /** Widths of the hidden layers, e.g. [256, 256, 256]. */
  readonly hidden: readonly number[];
  readonly timeEmbedding: TimeEmbedding;
  /** Adds h to a hidden layer's output when its width equals its input's (every layer after the first). */
  readonly residual?: boolean;
  readonly activation?: Activation;
  /** Number of classes; adds input y int64 [N] with values 0..classes, where `classes` is the null (unconditional) label. */
  readonly classes?: number;
  /** Width of the label embedding (default 32). */
  readonly labelEmbeddingDim?: number;
  readonly name?: string;
}

/** A built MLP: graph, flat layout, the options it came from, and the null label when class-conditioned. */
export interface MlpModel extends BuiltGraph {
  readonly options: MlpOptions;
  readonly nullClass: number | undefined;
}

function activate(b: GraphBuilder, h: string, a: Activation, prefix: string): string {
  if (a === 'relu') return b.node('Relu', [h], { name: `${prefix}.relu` });
  if (a === 'tanh') return b.node('Tanh', [h], { name: `${prefix}.tanh` });
  const s = b.node('Sigmoid', [h], { name: `${prefix}.sigmoid` });
  return b.node('Mul', [h, s], { name: `${prefix}.silu` });
}

function dense(b: GraphBuilder, h: string, fanIn: number, fanOut: number, prefix: string, last: boolean, outName?: string): string {
  // weight stored [in, out] (x @ W), the layout tfjs dense kernels use; He init before SiLU, Xavier on the output layer
  const w = b.param(`${prefix}.weight`, [fanIn, fanOut], last ? { kind: 'xavier-uniform', fanIn, fanOut } : { kind: 'he-normal', fanIn });
  const bias = b.param(`${prefix}.bias`, [fanOut], { kind: 'zeros' });
  return b.node('Gemm', [h, w, bias], { name: outName ?? `${prefix}.gemm` });
}

/** Builds the MLP graph: inputs x float32 [N, dataDim], t float32 [N], optional y int64 [N]; output prediction [N, dataDim]. */
export function buildMlp(options: MlpOptions): MlpModel {
  const { dataDim, hidden, timeEmbedding } = options;
  checkInteger(dataDim, 'dataDim', 1);
  if (hidden.length === 0) throw new StudioError('invalid-argument', 'an MLP needs at least one hidden layer');
  hidden.forEach((h) => checkInteger(h, 'hidden width', 1));
  const act = options.activation ?? 'silu';
  const b = new GraphBuilder(options.name ?? 'mlp');
  const x = b.input('x', 'float32', ['N', dataDim]);
  const t = b.input('t', 'float32', ['N']);
  const features = [x, emitTimeEmbedding(b, t, timeEmbedding)];
  let width = dataDim + timeEmbeddingDim(timeEmbedding);
  let nullClass: number | undefined;
  if (options.classes !== undefined) {
    checkInteger(options.classes, 'classes', 1);
    const dim = options.labelEmbeddingDim ?? 32;
    checkInteger(dim, 'labelEmbeddingDim', 1);
    nullClass = options.classes;
    const y = b.input('y', 'int64', ['N']);
    const table = b.param('label.table', [options.classes + 1, dim], { kind: 'normal', std: 1 });
    features.push(b.node('Gather', [table, y], { name: 'label.embedding', attrs: { axis: int(0) } }));
    width += dim;
  }
  let h = b.node('Concat', features, { name: 'input', attrs: { axis: int(1) } });
  hidden.forEach((w, i) => {
    const z = activate(b, dense(b, h, width, w, `layer${i}`, false), act, `layer${i}`);
    h = options.residual && i > 0 && w === width ? b.node('Add', [h, z], { name: `layer${i}.residual` }) : z;
    width = w;
  });
  const prediction = dense(b, h, width, dataDim, 'out', true, 'prediction');
  b.output(prediction);
  return { ...b.build(), options, nullClass };
}
