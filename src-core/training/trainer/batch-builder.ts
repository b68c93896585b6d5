// Builds each step's TrainBatch: data rows, noise (or a source set), times, coupling and label dropout, then x_t, target and weight.
import { batch as asBatch } from '../../batch';
import { otPair } from '../../coupling/ot-pair';
import type { EntropicPlanCounts } from '../../coupling/plan-counts';
import { StudioError } from '../../errors';
import { lossWeight, parameterisationRule, pathCoefficients } from '../../parameterisation';
import type { Rng } from '../../rng';
import type { Schedule } from '../../schedules/schedule';
import type { TrainBatch } from '../backend';
import type { TrainingConfig } from '../config';
import { drawRows, type DataRows, type DataSource } from './data-source';
import type { RngStreams } from './rng-streams';

/** Times of the Schrödinger-bridge coupling stay this far from 0 and 1, where its target's (1 - 2t) / (2 sqrt(t(1-t))) factor diverges. */
const BRIDGE_T_EDGE = 1e-3;

/** A preallocated batch whose buffers are refilled every step (so the backend may keep references between steps). */
interface MutableTrainBatch extends TrainBatch {
  readonly xt: Float32Array;
  readonly t: Float32Array;
  readonly y?: BigInt64Array;
  readonly target: Float32Array;
  readonly weight: Float32Array;
}

/** What the builder draws from. */
export interface BatchSources {
  readonly data: DataSource;
  /** The distribution at t = 1 for data-to-data runs; absent means N(0, I) noise. */
  readonly source?: DataRows;
  readonly streams: RngStreams;
  readonly schedule: Schedule;
  /** The label the network reads as 'no class' (classes), when the model is class-conditional. */
  readonly nullClass?: number;
  /**
   * Draws n rows already paired (x0 the t = 0 end, x1 the t = 1 end) in place of data, noise or source and the
   * coupling's re-pairing: a coupling fixed in advance, as reflow's pairs or pairs drawn up front from one large plan.
   * The config's coupling then only chooses the path (the bridge's noise for a Schrödinger coupling).
   */
  readonly pairs?: (n: number, x0: Float64Array, x1: Float64Array, rng: Rng) => void;
}

/** Fills the same TrainBatch every step from the run's config and random streams. */
export class BatchBuilder {
  readonly batch: MutableTrainBatch;
  private readonly d: number;
  private readonly x0: Float64Array;
  private readonly eps: Float64Array;
  private readonly z: Float64Array;
  private readonly times: Float64Array;
  private readonly labels: Int32Array;
  /** Batches of an entropic coupling so far by the plan drawn from (the entropic plan, or the OT assignment it was certified close to) and those whose solve stopped unconverged. */
  private readonly plans: { -readonly [K in keyof EntropicPlanCounts]: number } = { entropic: 0, ot: 0, unconverged: 0 };

  /** Allocates every buffer once for config.batchSize rows. */
  constructor(
    private readonly config: TrainingConfig,
    private readonly src: BatchSources,
  ) {
    const n = config.batchSize;
    this.d = src.data.rows.rowSize;
    if (src.source && src.source.rowSize !== this.d) {
      throw new StudioError('invalid-shape', `the source set has rows of ${src.source.rowSize} numbers, the data ${this.d}`);
    }
    this.x0 = new Float64Array(n * this.d);
    this.eps = new Float64Array(n * this.d);
    this.z = new Float64Array(n * this.d);
    this.times = new Float64Array(n);
    this.labels = new Int32Array(n);
    const conditional = config.model.classes !== null;
    this.batch = {
      n,
      xt: new Float32Array(n * this.d),
      t: new Float32Array(n),
      target: new Float32Array(n * this.d),
      weight: new Float32Array(n),
      ...(conditional ? { y: new BigInt64Array(n) } : {}),
    };
  }

  /** How this builder's entropic couplings were drawn so far: counts of batches (all zero for other couplings). */
  entropicPlans(): EntropicPlanCounts {
    return { ...this.plans };
  }

  /** Draws the next batch into `batch` and returns it. */
  next(): MutableTrainBatch {
    const { config, src } = this;
    const n = config.batchSize;
    const { streams } = src;
    if (src.pairs) src.pairs(n, this.x0, this.eps, streams.coupling);
    else {
      src.data.next(n, this.x0, this.labels);
      if (src.source) drawRows(src.source, streams.source, n, this.eps);
      else for (let i = 0; i < this.eps.length; i++) this.eps[i] = streams.noise.normal();
    }
    this.drawTimes();
    if (!src.pairs) this.couple();
    this.dropLabels();
    const coupling = config.coupling;
    if (typeof coupling === 'object' && 'schrodinger' in coupling) this.fillBridge(coupling.schrodinger);
    else this.fillPath();
    return this.batch;
  }

  private drawTimes(): void {
    const { timeSampling, tMin } = this.config.objective;
    const rng = this.src.streams.time;
    const bridge = typeof this.config.coupling === 'object' && 'schrodinger' in this.config.coupling;
    const lo = bridge ? Math.max(tMin, BRIDGE_T_EDGE) : tMin;
    const hi = bridge ? 1 - BRIDGE_T_EDGE : 1;
    for (let r = 0; r < this.times.length; r++) {
      // logit-normal times (as in rectified-flow image models) squeezed into [lo, hi]
      const u = timeSampling === 'uniform' ? rng.uniform() : 1 / (1 + Math.exp(-(timeSampling.logNormal.mean + timeSampling.logNormal.std * rng.normal())));
      this.times[r] = lo + (hi - lo) * u;
    }
  }

  /** Re-pairs noise (or source) rows with data rows by minibatch OT; labels follow their data rows. */
  private couple(): void {
    const c = this.config.coupling;
    if (c === 'independent') return;
    const n = this.config.batchSize;
    const shape = [n, this.d];
    const method = 'ot' in c ? 'exact' : 'sinkhorn';
    const epsilon = 'sinkhorn' in c ? c.sinkhorn : 'schrodinger' in c ? 2 * c.schrodinger * c.schrodinger : undefined;
    const pairing = otPair(asBatch(this.eps, shape), asBatch(this.x0, shape), {
      method,
      // pair draws need little precision: a looser marginal tolerance than the solver's default halves the sweeps
      ...(epsilon !== undefined ? { epsilon, rng: this.src.streams.coupling, tolerance: 1e-3 } : {}),
    });
    this.x0.set(pairing.target.data);
    if (pairing.solve) {
      this.plans[pairing.solve.plan]++;
      if (!pairing.solve.converged) this.plans.unconverged++;
    }
    if (this.batch.y) {
      const old = this.labels.slice();
      for (let k = 0; k < n; k++) this.labels[k] = old[pairing.cols[k]];
    }
  }

  private dropLabels(): void {
    const y = this.batch.y;
    if (!y) return;
    const p = this.config.model.labelDropout;
    const nullClass = this.src.nullClass ?? this.config.model.classes ?? 0;
    const rng = this.src.streams.dropout;
    for (let r = 0; r < y.length; r++) {
      const drop = p > 0 && rng.uniform() < p;
      y[r] = BigInt(drop ? nullClass : this.labels[r]);
    }
  }

  /** x_t = alpha x0 + sigma eps and the parameterisation's target, in float64, stored float32. */
  private fillPath(): void {
    const { parameterisation, weighting } = this.config.objective;
    const { schedule } = this.src;
    const rule = parameterisationRule(parameterisation);
    const { xt, target, weight, t } = this.batch;
    const d = this.d;
    for (let r = 0; r < this.times.length; r++) {
      const tr = this.times[r];
      const c = pathCoefficients(schedule, tr);
      const [a, b] = rule.fromX0Eps(c);
      if (!Number.isFinite(a) || !Number.isFinite(b)) {
        throw new StudioError('not-finite', `the ${parameterisation} target is not finite at t = ${tr} (sigma = ${c.sigma}): raise objective.tMin`);
      }
      t[r] = tr;
      weight[r] = lossWeight(weighting, parameterisation, tr, schedule);
      for (let i = r * d; i < (r + 1) * d; i++) {
        xt[i] = c.alpha * this.x0[i] + c.sigma * this.eps[i];
        target[i] = a * this.x0[i] + b * this.eps[i];
      }
    }
  }

  /** Schrödinger-bridge CFM (MATH.md §4): x_t = mu_t + s sqrt(t(1-t)) z, u = x_B - x_A + (1-2t)/(2t(1-t)) (x_t - mu_t). */
  private fillBridge(s: number): void {
    const { weighting } = this.config.objective;
    const { schedule } = this.src;
    const { xt, target, weight, t } = this.batch;
    const d = this.d;
    for (let i = 0; i < this.z.length; i++) this.z[i] = this.src.streams.noise.normal();
    for (let r = 0; r < this.times.length; r++) {
      const tr = this.times[r];
      const spread = s * Math.sqrt(tr * (1 - tr));
      // (1-2t)/(2t(1-t)) * spread z simplifies to (1-2t) s z / (2 sqrt(t(1-t)))
      const pull = ((1 - 2 * tr) * s) / (2 * Math.sqrt(tr * (1 - tr)));
      t[r] = tr;
      weight[r] = lossWeight(weighting, 'velocity', tr, schedule);
      for (let i = r * d; i < (r + 1) * d; i++) {
        const xA = this.x0[i];
        const xB = this.eps[i];
        xt[i] = (1 - tr) * xA + tr * xB + spread * this.z[i];
        target[i] = xB - xA + pull * this.z[i];
      }
    }
  }
}
