// A self-contained sampler graph: standard-normal noise (and labels) in, samples in data units out; Euler or Heun unrolled over a fixed grid.
//
// The network is inlined once per evaluation, every copy reading the same initialisers, so the file is barely larger
// than the network's. Each step's conversion to velocity (MATH.md §2) and update are affine with coefficients fixed
// at export time, computed by the engine's own conversion, so the graph follows the step-by-step loop.
import { StudioError } from '../errors';
import { int } from '../graph/attrs';
import { inferGraph } from '../graph/infer';
import { floatTensor, int64Tensor } from '../graph/tensor';
import type { Graph, GraphConstant, GraphNode } from '../graph/types';
import { conversionCoefficients } from '../parameterisation';
import { pathCoefficients } from '../parameterisation/rules';
import { makeGrid } from '../sampling';
import { createSchedule } from '../schedules';
import { SAMPLER_GRAPH_KIND, STUDIO_KEYS, studioMetadata, type StudioModelMeta } from './studio-format';

/** The samplers a sampler graph can unroll (fixed steps, no noise: one graph of plain ONNX ops). */
export const SAMPLER_GRAPH_SAMPLERS = ['euler', 'heun'] as const;

/** What to unroll: sampler, step count and grid (times from 1 to the schedule's tMin, as the studio samples). */
export interface SamplerGraphOptions {
  readonly sampler: (typeof SAMPLER_GRAPH_SAMPLERS)[number];
  readonly steps: number;
  readonly grid?: string;
}

/** Most network evaluations one graph may inline. */
const MAX_EVALUATIONS = 1024;

/** Wraps a network graph (x, t[, y] -> prediction) into noise[, y] -> samples; the result shares the network's parameter layout. */
export function buildSamplerGraph(net: Graph, meta: StudioModelMeta, options: SamplerGraphOptions): Graph {
  if (!SAMPLER_GRAPH_SAMPLERS.includes(options.sampler)) {
    throw new StudioError('invalid-argument', `a sampler graph holds ${SAMPLER_GRAPH_SAMPLERS.join(' or ')}, not '${options.sampler}'`);
  }
  const perStep = options.sampler === 'heun' ? 2 : 1;
  if (!Number.isInteger(options.steps) || options.steps < 1 || options.steps * perStep > MAX_EVALUATIONS) {
    throw new StudioError('invalid-argument', `sampler graph steps must be an integer from 1 to ${MAX_EVALUATIONS / perStep}, got ${options.steps}`);
  }
  const schedule = createSchedule(meta.schedule);
  const times = makeGrid(options.grid ?? 'uniform', schedule, options.steps, 1, schedule.tMin);
  const nodes: GraphNode[] = [];
  const constants: GraphConstant[] = [...net.constants];
  let counter = 0;
  const scalar = (v: number): string => {
    const name = `sampler.c${constants.length}`;
    constants.push({ name, tensor: floatTensor([v], [1]) });
    return name;
  };
  const op = (type: string, inputs: string[], attrs: GraphNode['attrs'] = {}, name = `sampler.v${counter++}`): string => {
    nodes.push({ name, op: type, inputs, outputs: [name], attrs });
    return name;
  };
  const conditional = net.inputs.some((v) => v.name === 'y');
  const itemShape = meta.dataShape;

  // t as a [N] vector: the first coordinate of the noise times 0, plus the time
  constants.push({ name: 'sampler.index0', tensor: int64Tensor([0], []) });
  // Vector items are already [N, d]; only image items need flattening (an unused constant would make ORT warn).
  if (itemShape.length > 1) constants.push({ name: 'sampler.flat', tensor: int64Tensor([0, -1], [2]) });
  const flat = itemShape.length === 1 ? 'noise' : op('Reshape', ['noise', 'sampler.flat']);
  const zeros = op('Mul', [op('Gather', [flat, 'sampler.index0'], { axis: int(1) }), scalar(0)]);

  let evaluation = 0;
  const predict = (x: string, t: number): string => {
    const prefix = `e${evaluation++}.`;
    const rename = new Map<string, string>([['x', x], ['t', op('Add', [zeros, scalar(t)])], ['y', 'y']]);
    for (const n of net.nodes) {
      const outputs = n.outputs.map((o) => {
        rename.set(o, prefix + o);
        return prefix + o;
      });
      nodes.push({ ...n, name: prefix + n.name, inputs: n.inputs.map((i) => rename.get(i) ?? i), outputs });
    }
    return rename.get('prediction') ?? '';
  };
  // u = a x + b prediction, with the engine's conversion coefficients at t
  const velocity = (x: string, t: number): string => {
    const [a, b] = conversionCoefficients(meta.parameterisation, 'velocity', pathCoefficients(schedule, t));
    const pred = predict(x, t);
    const bp = b === 1 ? pred : op('Mul', [pred, scalar(b)]);
    return a === 0 ? bp : op('Add', [op('Mul', [x, scalar(a)]), bp]);
  };

  let x = op('Mul', ['noise', scalar(schedule.sigma(times[0]))]);
  for (let i = 0; i + 1 < times.length; i++) {
    const h = times[i + 1] - times[i];
    const k1 = velocity(x, times[i]);
    if (options.sampler === 'euler') x = op('Add', [x, op('Mul', [k1, scalar(h)])]);
    else {
      const k2 = velocity(op('Add', [x, op('Mul', [k1, scalar(h)])]), times[i + 1]);
      x = op('Add', [x, op('Mul', [op('Add', [k1, k2]), scalar(h / 2)])]);
    }
  }
  const norm = meta.normalisation;
  if (norm) {
    const shaped = (v: readonly number[]) => floatTensor([...v], v.length === 1 ? [1] : [...itemShape]);
    constants.push({ name: 'sampler.scale', tensor: shaped(norm.scale) }, { name: 'sampler.mean', tensor: shaped(norm.mean) });
    x = op('Add', [op('Mul', [x, 'sampler.scale']), 'sampler.mean']);
  }
  // the last node's output (read by no other node) becomes the graph's output
  const last = nodes.length - 1;
  if (nodes[last].outputs[0] !== x) throw new StudioError('internal', 'sampler graph: the last node is not the final state');
  nodes[last] = { ...nodes[last], name: 'samples', outputs: ['samples'] };
  const graph: Graph = {
    name: `${net.name}-${options.sampler}-${options.steps}`,
    inputs: [{ name: 'noise', dtype: 'float32', shape: ['N', ...itemShape] }, ...(conditional ? [{ name: 'y', dtype: 'int64' as const, shape: ['N'] }] : [])],
    outputs: [{ name: 'samples', dtype: 'float32', shape: ['N', ...itemShape] }],
    params: net.params,
    paramSize: net.paramSize,
    constants,
    nodes,
  };
  inferGraph(graph);
  return graph;
}

/** metadata_props of a sampler graph: the network's, less the format key (it is not a network itself), with what it unrolls. */
export function samplerGraphMetadata(meta: StudioModelMeta, options: SamplerGraphOptions): Record<string, string> {
  const md = studioMetadata(meta);
  delete md['studio.format'];
  return { ...md, [STUDIO_KEYS.kind]: SAMPLER_GRAPH_KIND, 'studio.sampler': options.sampler, 'studio.steps': String(options.steps), 'studio.grid': options.grid ?? 'uniform' };
}
