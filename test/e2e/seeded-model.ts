// A network in the studio's format with seeded weights (a two-dimensional velocity model), as a file a person would open.
import { buildMlp, initParams } from '../../src-core/graph';
import { studioMetadata } from '../../src-core/onnx/studio-format';
import { writeOnnx } from '../../src-core/onnx/writer';
import { Rng } from '../../src-core/rng';

/** The model's ONNX bytes: the same for the same seed. */
export function seededModelBytes(seed = 3): Uint8Array {
  const mlp = buildMlp({ dataDim: 2, hidden: [16], timeEmbedding: { kind: 'raw' } });
  const meta = { parameterisation: 'velocity', schedule: { name: 'linear', sigmaMin: 0 }, dataShape: [2], normalisation: null, classes: null, runId: null, seed, studioVersion: null } as const;
  return writeOnnx(mlp.graph, initParams(mlp.layout, new Rng(seed)), { metadata: studioMetadata(meta) });
}
