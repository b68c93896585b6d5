// The schedule contract: a Gaussian path x_t = alpha_t x0 + sigma_t eps with t = 0 data, t = 1 noise.

/** A noise schedule in closed form with its derivatives (MATH.md §1). */
export interface Schedule {
  /** The registered preset name ('vp-linear', 'linear', 'custom', ...). */
  readonly name: string;
  /** Smallest time used for training and as the default end of sampling. */
  readonly tMin: number;
  /** alpha_t. */
  alpha(t: number): number;
  /** sigma_t. */
  sigma(t: number): number;
  /** d alpha / dt. */
  dAlpha(t: number): number;
  /** d sigma / dt. */
  dSigma(t: number): number;
  /** log-SNR lambda_t = log(alpha^2 / sigma^2), decreasing in t. */
  logSnr(t: number): number;
  /** Drift coefficient f_t = alpha' / alpha of the forward SDE dx = f x dt + g dW. */
  f(t: number): number;
  /** Squared diffusion g_t^2 = 2 sigma sigma' - 2 f sigma^2. */
  g2(t: number): number;
  /** The JSON spec this schedule was built from; createSchedule(toJSON()) rebuilds it. */
  toJSON(): ScheduleSpec;
}

/** A schedule's JSON form: the preset name and its parameters. */
export interface ScheduleSpec {
  readonly name: string;
  readonly [param: string]: unknown;
}
