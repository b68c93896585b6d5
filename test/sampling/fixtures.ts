// Shared fixtures of the export and sampling tests: a run made on disk with a checkpoint, a Model on the reference evaluator, a one-Gaussian velocity graph.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initParams, evaluateGraph, floatTensor, int64Tensor, type Graph, type Tensor } from '../../src-core/graph';
import { GraphBuilder } from '../../src-core/graph/builder';
import type { Model, Parameterisation } from '../../src-core/model';
import { Rng } from '../../src-core/rng';
import type { Schedule } from '../../src-core/schedules';
import { parseTrainingConfig, type TrainingConfigInput } from '../../src-core/training/config';
import { buildModel } from '../../src-core/training/model-from-config';
import { configHash, createRun, writeCheckpoint } from '../../src-main/runs';

/** A fresh temporary folder. */
export function tempDir(prefix = 'studio-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Creates a run in a new workspace and writes one checkpoint whose EMA weights differ from its raw weights. */
export async function makeRun(config: TrainingConfigInput, step = 40): Promise<{ dir: string; id: string; ema: Float32Array; weights: Float32Array }> {
  const workspace = tempDir('studio-ws-');
  const { id, dir } = await createRun(workspace, parseTrainingConfig(config), 'test run');
  const valid = parseTrainingConfig(config);
  const model = buildModel(valid.model, [2]);
  const weights = initParams(model.layout, new Rng(3));
  const ema = initParams(model.layout, new Rng(4));
  const zeros = new Float32Array(weights.length);
  await writeCheckpoint(dir, {
    step, weights, ema, optimiser: { step, m: zeros, v: zeros }, rng: {}, dataCursor: { epoch: 0, position: 0, permutationSeed: 1 },
    configHash: configHash(valid), backend: 'cpu',
  });
  return { dir, id, ema, weights };
}

/** A Model whose predictions come from the reference evaluator on a graph (labels fixed per row when given). */
export function graphModel(graph: Graph, params: Float32Array, schedule: Schedule, parameterisation: Parameterisation, labels?: readonly number[]): Model {
  return {
    schedule,
    parameterisation,
    predict(x, t) {
      const n = x.shape[0];
      const feeds: Record<string, Tensor> = {
        x: floatTensor(Float32Array.from(x.data), x.shape),
        t: floatTensor(new Float32Array(n).fill(t), [n]),
      };
      if (labels) feeds.y = int64Tensor(labels, [n]);
      return (evaluateGraph(graph, params, feeds).prediction.data as Float32Array).slice();
    },
  };
}

/**
 * The exact probability-flow velocity of data N(mu, s^2 I) under the linear schedule, as an ONNX graph with no parameters:
 * u = -mu + a(t) (x - (1 - t) mu), a(t) = (t - (1 - t) s^2) / ((1 - t)^2 s^2 + t^2).
 */
export function gaussianVelocityGraph(mu: readonly number[], s: number): Graph {
  const b = new GraphBuilder('gaussian-velocity');
  const d = mu.length;
  const x = b.input('x', 'float32', ['N', d]);
  const t = b.input('t', 'float32', ['N']);
  const c = (name: string, v: number[] | number, shape: number[]) => b.constant(name, floatTensor(typeof v === 'number' ? [v] : v, shape));
  const axes = b.constant('axes', int64Tensor([1], [1]));
  const tc = b.node('Unsqueeze', [t, axes]); // [N, 1]
  const one = c('one', 1, [1]);
  const s2 = c('s2', s * s, [1]);
  const muT = c('mu', [...mu], [1, d]);
  const alpha = b.node('Sub', [one, tc]);
  const num = b.node('Sub', [tc, b.node('Mul', [alpha, s2])]);
  const den = b.node('Add', [b.node('Mul', [b.node('Mul', [alpha, alpha]), s2]), b.node('Mul', [tc, tc])]);
  const a = b.node('Div', [num, den]);
  const centred = b.node('Sub', [x, b.node('Mul', [alpha, muT])]);
  b.output(b.node('Sub', [b.node('Mul', [a, centred]), muT], { name: 'prediction' }));
  return b.build().graph;
}
