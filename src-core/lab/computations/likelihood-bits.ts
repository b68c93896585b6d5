// Lab computation 'likelihoodBits': bits per dimension of held-out MNIST digits under a workspace run trained on MNIST, through the
// probability-flow ODE with Hutchinson's divergence on the run's EMA network in tfjs (an exact VJP), with uniform dequantisation.
import { z } from 'zod';
import { StudioError } from '../../errors';
import { logLikelihood } from '../../likelihood';
import { logDensityInDataUnits, toModelUnits } from '../../likelihood/data-units';
import { Rng } from '../../rng';
import { createSchedule } from '../../schedules';
import { buildModel } from '../../training/model-from-config';
import { defineComputation } from '../computation';
import { dequantise, dequantisedBits, pixelLevels } from '../dequantise';
import { tfjsNet, velocityField } from '../tfjs-velocity';

const f64 = z.instanceof(Float64Array);

/** Bits per dimension (MATH.md §9) of digits the run did not train on, each with its own dequantisation noise and probes. */
export const likelihoodBitsComputation = defineComputation({
  name: 'likelihoodBits',
  title: 'Bits per dimension of held-out MNIST digits under a run trained on MNIST',
  params: z.strictObject({
    runId: z.string().min(1).max(200),
    images: z.number().int().min(2).max(256).default(16),
    /** Rademacher probes per image for Hutchinson's divergence. */
    probes: z.number().int().min(1).max(16).default(1),
    /** RK4 steps from the schedule's tMin to 1. */
    steps: z.number().int().min(2).max(200).default(12),
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(0),
  }),
  result: z.object({
    run: z.object({ id: z.string(), name: z.string(), step: z.number().int() }),
    /** Bits per dimension of each image, their mean and its standard error over images (dequantisation and probes included). */
    bits: f64,
    bpd: z.number(),
    standardError: z.number(),
    /** The mean NLL of the dequantised images in the data's own units (nats per image), and the item's size. */
    nats: z.number(),
    dim: z.number().int(),
    nfe: z.number().int(),
    tensors: z.string(),
  }),
  async run(p, ctx) {
    const run = await ctx.host.openRun(p.runId);
    if (run.data.kind !== 'mnist') {
      throw new StudioError('invalid-argument', `run '${run.name}' was not trained on MNIST digits: add MNIST in the Data section, train a run on it in the Train section, then pick that run here`);
    }
    const tensors = await ctx.host.tensors();
    const d = run.itemShape.reduce((a, b) => a * b, 1);
    const n = p.images;
    // the digits after those the run trained on (the same round-robin order), so none of them was seen in training
    const drawn = await ctx.host.mnist(run.data.digits, run.data.count + n);
    if (drawn.data.length < (run.data.count + n) * d) throw new StudioError('not-found', `MNIST has too few digits ${run.data.digits.join(', ')} for ${n} held-out images`);
    const rng = new Rng(p.seed);
    const y = dequantise(pixelLevels(drawn.data.subarray(run.data.count * d, (run.data.count + n) * d)), rng);
    const x = toModelUnits(y, run.normalisation, d, new Float32Array(y.length));

    const built = buildModel(run.config.model, run.itemShape);
    const schedule = createSchedule(run.config.objective.schedule);
    const net = tfjsNet(built.graph, built.nullClass);
    let field: ReturnType<typeof velocityField> | null = null;
    let calls = 0;
    const total = 4 * p.steps * p.probes;
    try {
      field = velocityField(net, run.weights, run.config.objective.parameterisation, schedule);
      const vjp = field.vjp;
      const r = await logLikelihood(field.model, { data: x, shape: [n, ...run.itemShape] }, {
        solver: 'rk4', steps: p.steps, divergence: 'hutchinson', probes: p.probes, rng, cancel: ctx.signal,
        gradient: async (xs, t, v) => {
          await ctx.progress(calls++, total);
          return vjp(xs, t, v);
        },
      });
      const logp = logDensityInDataUnits(r.logp, run.normalisation, d);
      const bits = logp.map((v) => dequantisedBits(v, d));
      let bpd = 0;
      for (const b of bits) bpd += b / n;
      let sq = 0;
      for (const b of bits) sq += (b - bpd) ** 2;
      const nats = -logp.reduce((a, b) => a + b, 0) / n;
      return {
        run: { id: run.id, name: run.name, step: run.step }, bits, bpd, standardError: Math.sqrt(sq / (n - 1) / n), nats, dim: d, nfe: r.nfe, tensors: `${tensors.name} on ${tensors.device}`,
      };
    } finally {
      field?.dispose();
      net.dispose();
    }
  },
});
