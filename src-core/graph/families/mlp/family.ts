// The MLP as a model family: its form fields, graph, words and suggested network for points and tables.
import type { ModelFamily } from '../family';
import { buildMlp, ACTIVATIONS } from './graph';
import { mlpSchema } from './schema';

/** The MLP family (vectors: points and tables). */
export const mlpFamily: ModelFamily<typeof mlpSchema> = {
  name: 'mlp',
  label: 'MLP',
  summary: 'for points and tables',
  takes: 'vectors',
  schema: mlpSchema,
  fields: {
    hidden: { kind: 'integers', label: 'Hidden widths', help: 'layers x -> h1 -> h2 -> ... -> output, comma-separated widths', min: 1, noun: 'widths', example: '128, 128' },
    residual: { kind: 'check', label: 'Residual', help: 'h <- h + layer(h): needs equal hidden widths' },
    activation: { kind: 'select', label: 'Activation', help: 'the nonlinearity between layers', choices: ACTIVATIONS },
  },
  build: (m, itemShape, shared) => buildMlp({ dataDim: itemShape[0], hidden: m.hidden, residual: m.residual, activation: m.activation, ...shared }),
  describe: (m) => `MLP ${m.hidden.join('×')}`,
  check: (m) => (m.residual && new Set(m.hidden).size > 1 ? [{ path: ['hidden'], message: `residual blocks need equal hidden widths, got [${m.hidden.join(', ')}]` }] : []),
  // measured on two moons as src-core/training/defaults.ts says (sliced W2 over the data's floor, 4,000 steps)
  suggest: () => ({
    family: 'mlp',
    // three layers: 0.96-1.05 at 4,000 steps where two (128, 128) gave 1.23-1.26 at lr 5e-3
    hidden: [128, 128, 128],
    // sinusoidal 32: Fourier features gave 3.2 where it gave 2.1 (two layers, lr 2e-3); dim 64 no better (1.05 vs 1.08)
    timeEmbedding: { kind: 'sinusoidal', dim: 32 },
    residual: false,
    activation: 'silu',
  }),
};
