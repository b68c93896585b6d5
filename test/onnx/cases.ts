// The MLP variants the ONNX tests export: with and without class conditioning, residual or not, each time embedding.
import { buildMlp, initParams, floatTensor, int64Tensor, type MlpModel, type MlpOptions, type Tensor } from '../../src-core/graph';
import { Rng } from '../../src-core/rng';

/** One exported variant: its name and the options of buildMlp. */
interface MlpCase {
  readonly name: string;
  readonly options: MlpOptions;
}

/** The variants under test; the first is the reference MLP 3->256->256->256->2 of the speed issue. */
export const MLP_CASES: readonly MlpCase[] = [
  { name: 'reference', options: { dataDim: 2, hidden: [256, 256, 256], timeEmbedding: { kind: 'raw' } } },
  { name: 'residual-sinusoidal', options: { dataDim: 2, hidden: [128, 128, 128], timeEmbedding: { kind: 'sinusoidal', dim: 64, scale: 1000 }, residual: true } },
  { name: 'classes-fourier', options: { dataDim: 3, hidden: [64, 64], timeEmbedding: { kind: 'fourier', dim: 32, scale: 4 }, classes: 10 } },
  { name: 'classes-residual', options: { dataDim: 2, hidden: [96, 96, 96], timeEmbedding: { kind: 'sinusoidal', dim: 16 }, residual: true, classes: 4, labelEmbeddingDim: 8 } },
];

/** Builds the variant and its seeded parameters. */
export function buildCase(c: MlpCase, seed: number): { model: MlpModel; params: Float32Array } {
  const model = buildMlp(c.options);
  return { model, params: initParams(model.layout, new Rng(seed)) };
}

/** Random inputs for batch size n: x ~ N(0, 1), t ~ U(0, 1), labels uniform over the classes plus the null label. */
export function randomInputs(model: MlpModel, n: number, seed: number): Record<string, Tensor> {
  const rng = new Rng(seed);
  const d = model.options.dataDim;
  const feeds: Record<string, Tensor> = {
    x: floatTensor(rng.fillNormal(new Float32Array(n * d)), [n, d]),
    t: floatTensor(rng.fillUniform(new Float32Array(n)), [n]),
  };
  if (model.nullClass !== undefined) {
    const k = model.nullClass + 1;
    feeds.y = int64Tensor(Array.from({ length: n }, () => rng.int(k)), [n]);
  }
  return feeds;
}
