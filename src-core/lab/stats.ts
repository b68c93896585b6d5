// Distribution checks the Lab's evidence lines use: the normal CDF, the Kolmogorov–Smirnov distance and its p-value, Poisson noise floors.
import { check } from '../errors';

/** Standard normal CDF, accurate to about 1e-14 (erfc by a continued fraction in the tails, its series near 0). */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z < -40) return 0;
  if (z > 40) return 1;
  const x = Math.abs(z) / Math.SQRT2;
  const tail = 0.5 * erfc(x);
  return z < 0 ? tail : 1 - tail;
}

/** Complementary error function for x >= 0. */
function erfc(x: number): number {
  if (x < 2) {
    // erf by its Taylor series: sum (-1)^n x^(2n+1) / (n! (2n+1)), converging fast below 2
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= (-x * x) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  // Lentz's continued fraction: erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
}

/** Kolmogorov–Smirnov distance sup |F_n - F| between a sample (sorted in place) and a continuous CDF. */
function ksDistance(sample: Float64Array, cdf: (x: number) => number): number {
  const n = sample.length;
  check(n > 0, 'the KS distance needs at least one point');
  sample.sort();
  let d = 0;
  for (let i = 0; i < n; i++) {
    const F = cdf(sample[i]);
    d = Math.max(d, (i + 1) / n - F, F - i / n);
  }
  return d;
}

/** KS distance of a sample from N(mean, std^2); std 0 is the point mass at mean (the share of the sample on either side of it). */
export function ksGaussian(sample: Float64Array, mean: number, std: number): number {
  if (std > 0) return ksDistance(sample, (x) => normalCdf((x - mean) / std));
  let below = 0;
  let above = 0;
  for (const x of sample) {
    if (x < mean) below++;
    else if (x > mean) above++;
  }
  return Math.max(below, above) / sample.length;
}

/** P(D_n >= d) for the KS distance of n points from the true law: Kolmogorov's limit with Stephens' small-n correction. */
export function ksPValue(d: number, n: number): number {
  const sn = Math.sqrt(n);
  const lambda = (sn + 0.12 + 0.11 / sn) * d;
  if (lambda < 0.2) return 1;
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    sum += (k % 2 ? 1 : -1) * term;
    if (term < 1e-16) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/** The KS distance above which a sample of n points is rejected at the 5% level (asymptotic 1.358 / sqrt n, corrected as ksPValue is). */
export function ksCritical5(n: number): number {
  const sn = Math.sqrt(n);
  return 1.3581 / (sn + 0.12 + 0.11 / sn);
}

const LOG_FACTORIALS = (() => {
  const t = new Float64Array(257);
  for (let k = 2; k <= 256; k++) t[k] = t[k - 1] + Math.log(k);
  return t;
})();

/** log k! (a table up to 256, Stirling's series beyond, accurate to rounding). */
export function logFactorial(k: number): number {
  if (k <= 256) return LOG_FACTORIALS[k];
  const x = k + 1;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x ** 3) + 1 / (1260 * x ** 5);
}

/** E|X - lambda| for X ~ Poisson(lambda): 2 e^{-lambda} lambda^{k+1} / k!, k = floor(lambda). */
export function poissonMeanAbsDeviation(lambda: number): number {
  if (!(lambda > 0)) return 0;
  const k = Math.floor(lambda);
  return 2 * Math.exp(-lambda + (k + 1) * Math.log(lambda) - logFactorial(k));
}
