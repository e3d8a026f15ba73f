import type { Dataset } from "../core/dataset.js";
import type { Rng } from "../core/rng.js";
import type { Family } from "../losses/types.js";
import { sampleBeta } from "../mixing/beta.js";
import { sampleDTilde } from "../mixing/dtilde.js";
import type { Model } from "../models/types.js";
import { MixedLoss } from "./mixedLoss.js";
import type { PairsMode } from "./pairs/problem.js";

export interface MonteCarloResult {
  value: number;
  method: "monte-carlo";
  /**
   * normal-approximation 95% interval: mean ± 1.96·s/√N; null (with ci95Reason) when an end of it is
   * beyond float64 (losses near 1.8e308 with a spread to match)
   */
  ci95: [number, number] | null;
  ci95Reason?: string;
  samples: number;
  /** s/√N; null (with stdErrorReason) when it is beyond float64 */
  stdError: number | null;
  stdErrorReason?: string;
}

/** The largest power of two, 2^1023: the accumulator's scale never exceeds it (2^1024 is not a double). */
const TOP_SCALE = 2 ** 1023;

/**
 * Welford's running mean and sum of squared deviations, kept in units of a power-of-two scale that grows
 * with the largest |value| seen (scaled values stay in [−2, 2]). Scaling by a power of two is exact, so for
 * values of ordinary size (all |l| ≤ 1: the scale stays 1) the bytes are those of plain Welford; for
 * losses near 1e304 the squared deviations (1e608) no longer overflow (item: Poisson at score 700 gave
 * "95% CI [−Infinity, Infinity]").
 */
export class ScaledWelford {
  private scale = 1;
  private mean = 0;
  private m2 = 0;
  private count = 0;

  add(x: number): void {
    const a = Math.abs(x);
    if (a > this.scale && this.scale < TOP_SCALE) {
      let s = this.scale;
      while (s < a && s < TOP_SCALE) s *= 2;
      const r = this.scale / s; // a power of two: the rescaling is exact (short of underflow)
      this.mean *= r;
      this.m2 *= r * r;
      this.scale = s;
    }
    const v = x / this.scale;
    this.count++;
    const delta = v - this.mean;
    this.mean += delta / this.count;
    this.m2 += delta * (v - this.mean);
  }

  /** The mean (always finite for finite values: it is at most the largest |value|). */
  get value(): number {
    return this.scale * this.mean;
  }

  /** s/√N with s² = Σ(x − mean)²/(N − 1), formed in scaled units (∞ only when the true value is beyond float64). */
  stdError(): number {
    const N = this.count;
    // the order of the plain formula (s, then s/√N), so ordinary inputs keep their bytes
    return this.scale * (Math.sqrt(this.m2 / (N - 1)) / Math.sqrt(N));
  }
}

/** 97.5% standard normal quantile. */
export const Z975 = 1.959963984540054;

/**
 * Monte Carlo estimate of the Mixup loss: N independent draws of a pair (i, j) (uniform over the n²
 * ordered pairs, or the n(n−1) distinct ones) and λ ~ Beta(α, β), all from `rng`. Unbiased for the
 * same quantity as the exact pair sum; use it when n² pairs are too many to integrate, and read the
 * interval, not the digits.
 */
export interface MonteCarloOptions {
  samples: number;
  rng: Rng;
  pairs?: PairsMode;
  form?: "labelled" | "label-free";
  /** draws done of `samples`, every MC_CHUNK draws and at the end (never changes the result) */
  onProgress?: (done: number, total: number) => void;
}

/** Draws between progress reports (and, in the async variant, chances for the caller's event loop). */
export const MC_CHUNK = 1 << 14;

export function monteCarloMixupLoss(
  ds: Dataset,
  model: Model,
  family: Family,
  alpha: number,
  beta: number,
  opts: MonteCarloOptions,
): MonteCarloResult {
  const run = draws(ds, model, family, alpha, beta, opts);
  for (let r = run.next(); ; r = run.next()) {
    if (r.done) return r.value;
    opts.onProgress?.(r.value, opts.samples);
  }
}

/**
 * The same estimate (the same draws, the same bytes), awaiting `pause()` between chunks of MC_CHUNK draws,
 * so that a caller's event loop can run during a long estimate (the CLI's progress line and Ctrl-C).
 */
export async function monteCarloMixupLossAsync(
  ds: Dataset,
  model: Model,
  family: Family,
  alpha: number,
  beta: number,
  opts: MonteCarloOptions & { pause?: () => Promise<void> | undefined },
): Promise<MonteCarloResult> {
  const run = draws(ds, model, family, alpha, beta, opts);
  for (let r = run.next(); ; r = run.next()) {
    if (r.done) return r.value;
    opts.onProgress?.(r.value, opts.samples);
    await opts.pause?.();
  }
}

/** The draws of the estimate, yielding the number done after each chunk; returns the result. */
function* draws(
  ds: Dataset,
  model: Model,
  family: Family,
  alpha: number,
  beta: number,
  opts: MonteCarloOptions,
): Generator<number, MonteCarloResult> {
  const labelFree = opts.form === "label-free";
  const { n } = ds;
  const N = opts.samples;
  if (!(N >= 2)) throw new RangeError("Monte Carlo needs at least 2 samples");
  const distinct = opts.pairs === "distinct";
  if (distinct && n < 2) throw new RangeError("distinct pairs need n ≥ 2");
  const loss = new MixedLoss(ds, model, family);
  const rng = opts.rng;
  const acc = new ScaledWelford();
  for (let s = 0; s < N; s++) {
    if (s > 0 && s % MC_CHUNK === 0) yield s;
    const i = rng.int(n);
    let j: number;
    if (distinct) {
      j = rng.int(n - 1);
      if (j >= i) j++;
    } else j = rng.int(n);
    // label-free form (docs/theory.md §2.5): λ ~ D̃ and the label of x_i alone
    const lam = labelFree ? sampleDTilde(rng, alpha, beta) : sampleBeta(rng, alpha, beta);
    const lamY = labelFree ? 1 : lam;
    acc.add(loss.at(i, j, lam, lamY));
  }
  yield N;
  return monteCarloResult(acc.value, acc.stdError(), N);
}

/**
 * The result from the mean and standard error: the interval, or null with a reason when it is not
 * representable. The mean itself is always finite (a mean of finite losses).
 */
export function monteCarloResult(mean: number, se: number, samples: number): MonteCarloResult {
  const r: MonteCarloResult = { value: mean, method: "monte-carlo", ci95: null, samples, stdError: null };
  if (Number.isFinite(se)) r.stdError = se;
  else r.stdErrorReason = `the standard error of losses this large (mean ${mean.toPrecision(4)}) is beyond float64`;
  const lo = mean - Z975 * se;
  const hi = mean + Z975 * se;
  if (Number.isFinite(lo) && Number.isFinite(hi)) r.ci95 = [lo, hi];
  else {
    r.ci95Reason = `the 95% interval mean ± 1.96·stdError (mean ${mean.toPrecision(4)}, stdError ${se.toPrecision(4)}) reaches beyond float64`;
  }
  return r;
}

/** Monte Carlo estimate of the label-free form (λ ~ D̃, label y_i): the same loss, other draws. */
export function monteCarloLabelFree(
  ds: Dataset,
  model: Model,
  family: Family,
  alpha: number,
  beta: number,
  opts: { samples: number; rng: Rng; pairs?: PairsMode },
): MonteCarloResult {
  return monteCarloMixupLoss(ds, model, family, alpha, beta, { ...opts, form: "label-free" });
}
