// The digit bench's judge: a classifier trained with the studio's compiled ONNX step (weighted MSE of the logits to one-hot labels).
//
// The compiled step's loss is the studio's weighted MSE; regressing logits onto one-hot targets trains a classifier as
// well as cross-entropy does on MNIST (and needs nothing new in the step compiler). The network ignores its t input:
// the step's signature is a diffusion model's (x, t) -> prediction.
import { performance } from 'node:perf_hooks';
import { GraphBuilder, initParams, ints, int64Tensor, type BuiltGraph } from '../../src-core/graph';
import { writeOnnx } from '../../src-core/onnx';
import { Rng } from '../../src-core/rng';
import type { OptimiserSettings } from '../../src-core/training/backend';
import { STEP_IO, compileTrainingStep } from '../../src-core/training-graph';
import { learningRate } from '../../src-core/training/trainer';
import { createSession, type Session, type SessionTensor } from '../../src-main/ort/ort-session';
import { AREA, CLASSES, randomShift, shiftInto, type Digits } from './mnist-data';

/** The classifier's network. */
export type ClassifierArch = 'mlp' | 'cnn';

/** How the classifier trains. */
interface ClassifierOptions {
  readonly arch: ClassifierArch;
  readonly epochs: number;
  readonly batch: number;
  readonly lr: number;
  /** Largest random shift of a training image, in pixels (0: none). */
  readonly shift: number;
  readonly seed: number;
  readonly threads: number;
}

/** A trained classifier. */
interface Classifier {
  readonly arch: ClassifierArch;
  readonly params: number;
  readonly steps: number;
  readonly trainSeconds: number;
  /** Class of each image ([n, 784] in [0, 1]). */
  classify(images: Float32Array): Promise<Int32Array>;
  release(): Promise<void>;
}

const ADAM: OptimiserSettings = { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, gradClip: null, emaDecay: 0.999 };

function dense(b: GraphBuilder, h: string, fanIn: number, fanOut: number, prefix: string, relu: boolean): string {
  const w = b.param(`${prefix}.weight`, [fanIn, fanOut], relu ? { kind: 'he-normal', fanIn } : { kind: 'xavier-uniform', fanIn, fanOut });
  const out = b.node('Gemm', [h, w, b.param(`${prefix}.bias`, [fanOut], { kind: 'zeros' })], { name: relu ? `${prefix}.gemm` : 'logits' });
  return relu ? b.node('Relu', [out], { name: `${prefix}.relu` }) : out;
}

function conv(b: GraphBuilder, h: string, cin: number, cout: number, stride: number, prefix: string): string {
  const w = b.param(`${prefix}.weight`, [cout, cin, 3, 3], { kind: 'he-normal', fanIn: cin * 9 });
  const attrs = { pads: ints([1, 1, 1, 1]), ...(stride !== 1 ? { strides: ints([stride, stride]) } : {}) };
  const out = b.node('Conv', [h, w, b.param(`${prefix}.bias`, [cout], { kind: 'zeros' })], { attrs, name: `${prefix}.conv` });
  return b.node('Relu', [out], { name: `${prefix}.relu` });
}

/** mlp: 784 -> 256 -> 10 (ReLU); cnn: three 3x3 convs (16, 32 stride 2, 32 stride 2) -> 128 -> 10. Input x [N, 1, 28, 28], t [N]. */
function classifierGraph(arch: ClassifierArch): BuiltGraph {
  const b = new GraphBuilder(`mnist-${arch}`);
  const x = b.input('x', 'float32', ['N', 1, 28, 28]);
  b.input('t', 'float32', ['N']);
  let h: string;
  let width: number;
  if (arch === 'mlp') {
    h = b.node('Reshape', [x, b.constant('flat', int64Tensor([-1, AREA], [2]))], { name: 'flatten' });
    width = AREA;
  } else {
    h = conv(b, conv(b, conv(b, x, 1, 16, 1, 'c1'), 16, 32, 2, 'c2'), 32, 32, 2, 'c3');
    width = 32 * 7 * 7;
    h = b.node('Reshape', [h, b.constant('flat', int64Tensor([-1, width], [2]))], { name: 'flatten' });
  }
  h = dense(b, h, width, arch === 'mlp' ? 256 : 128, 'fc1', true);
  b.output(dense(b, h, arch === 'mlp' ? 256 : 128, CLASSES, 'out', false));
  return b.build();
}

const f32 = (data: Float32Array, dims: readonly number[]): SessionTensor => ({ type: 'float32', data, dims });

/** Trains a classifier on the images (shifted at random each epoch) with Adam and a cosine learning rate; the EMA weights judge. */
export async function trainClassifier(train: Digits, o: ClassifierOptions): Promise<Classifier> {
  const model = classifierGraph(o.arch);
  const P = model.layout.size;
  const rng = new Rng(o.seed);
  let params: Float32Array = initParams(model.layout, rng);
  let m: Float32Array = new Float32Array(P);
  let v: Float32Array = new Float32Array(P);
  let ema: Float32Array = params.slice();
  const stepsPerEpoch = Math.floor(train.n / o.batch);
  const total = stepsPerEpoch * o.epochs;
  const emaDecay = 1 - Math.min(0.1, 10 / total);
  const step = await createSession(writeOnnx(compileTrainingStep(model.graph, model.layout, { optimiser: { ...ADAM, emaDecay }, hasLabels: false }), new Float32Array(0)), { threads: o.threads });
  const n = o.batch;
  const xt = new Float32Array(n * AREA);
  const target = new Float32Array(n * CLASSES);
  const t = new Float32Array(n);
  const weight = new Float32Array(n).fill(1);
  const started = performance.now();
  let k = 0;
  try {
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      const order = rng.permutation(train.n);
      for (let s = 0; s < stepsPerEpoch; s++, k++) {
        target.fill(0);
        for (let i = 0; i < n; i++) {
          const row = order[s * n + i];
          const [dx, dy] = o.shift > 0 ? randomShift(rng, o.shift) : [0, 0];
          shiftInto(train.data, row, xt, i, dx, dy);
          target[i * CLASSES + train.labels[row]] = 1;
        }
        const lr = learningRate({ lr: o.lr, warmupSteps: Math.min(100, Math.floor(total / 20)), decay: 'cosine', minLr: o.lr / 100 }, k, total);
        const out = await step.run({
          [STEP_IO.params]: f32(params, [P]), [STEP_IO.m]: f32(m, [P]), [STEP_IO.v]: f32(v, [P]), [STEP_IO.ema]: f32(ema, [P]),
          [STEP_IO.xt]: f32(xt, [n, 1, 28, 28]), [STEP_IO.t]: f32(t, [n]), [STEP_IO.target]: f32(target, [n, CLASSES]), [STEP_IO.weight]: f32(weight, [n]),
          [STEP_IO.lr]: f32(Float32Array.of(lr), []), [STEP_IO.bc1]: f32(Float32Array.of(1 - ADAM.beta1 ** (k + 1)), []), [STEP_IO.bc2]: f32(Float32Array.of(1 - ADAM.beta2 ** (k + 1)), []),
        });
        params = out[STEP_IO.paramsNext].data as Float32Array;
        m = out[STEP_IO.mNext].data as Float32Array;
        v = out[STEP_IO.vNext].data as Float32Array;
        ema = out[STEP_IO.emaNext].data as Float32Array;
      }
    }
  } finally {
    await step.release();
  }
  const trainSeconds = (performance.now() - started) / 1000;
  const forward: Session = await createSession(writeOnnx(model.graph, ema), { threads: o.threads });
  return {
    arch: o.arch,
    params: P,
    steps: k,
    trainSeconds,
    async classify(images) {
      const count = images.length / AREA;
      const out = new Int32Array(count);
      const chunk = 500;
      for (let at = 0; at < count; at += chunk) {
        const c = Math.min(chunk, count - at);
        const x = Float32Array.from(images.subarray(at * AREA, (at + c) * AREA), (p) => Math.min(1, Math.max(0, p)));
        const logits = (await forward.run({ x: f32(x, [c, 1, 28, 28]), t: f32(new Float32Array(c), [c]) }))[model.graph.outputs[0].name].data as Float32Array;
        for (let i = 0; i < c; i++) {
          let best = 0;
          for (let j = 1; j < CLASSES; j++) if (logits[i * CLASSES + j] > logits[i * CLASSES + best]) best = j;
          out[at + i] = best;
        }
      }
      return out;
    },
    release: () => forward.release(),
  };
}

/** Fraction of images whose predicted class equals their label, overall and per class. */
export function agreement(predicted: Int32Array, labels: Int32Array): { overall: number; perClass: number[] } {
  const hit = new Array<number>(CLASSES).fill(0);
  const count = new Array<number>(CLASSES).fill(0);
  for (let i = 0; i < labels.length; i++) {
    count[labels[i]]++;
    if (predicted[i] === labels[i]) hit[labels[i]]++;
  }
  return { overall: hit.reduce((a, b) => a + b, 0) / labels.length, perClass: hit.map((h, c) => (count[c] ? h / count[c] : Number.NaN)) };
}
