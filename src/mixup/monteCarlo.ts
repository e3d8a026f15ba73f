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
  /** normal-approximation 95% interval: mean ± 1.96·s/√N */
  ci95: [number, number];
  samples: number;
  stdError: number;
}

/** 97.5% standard normal quantile. */
export const Z975 = 1.959963984540054;

/**
 * Monte Carlo estimate of the Mixup loss: N independent draws of a pair (i, j) (uniform over the n²
 * ordered pairs, or the n(n−1) distinct ones) and λ ~ Beta(α, β), all from `rng`. Unbiased for the
 * same quantity as the exact pair sum; use it when n² pairs are too many to integrate, and read the
 * interval, not the digits.
 */
export function monteCarloMixupLoss(
  ds: Dataset,
  model: Model,
  family: Family,
  alpha: number,
  beta: number,
  opts: { samples: number; rng: Rng; pairs?: PairsMode; form?: "labelled" | "label-free" },
): MonteCarloResult {
  const labelFree = opts.form === "label-free";
  const { n } = ds;
  const N = opts.samples;
  if (!(N >= 2)) throw new RangeError("Monte Carlo needs at least 2 samples");
  const distinct = opts.pairs === "distinct";
  if (distinct && n < 2) throw new RangeError("distinct pairs need n ≥ 2");
  const loss = new MixedLoss(ds, model, family);
  const rng = opts.rng;
  // Welford's running mean and sum of squared deviations
  let mean = 0;
  let m2 = 0;
  for (let s = 0; s < N; s++) {
    const i = rng.int(n);
    let j: number;
    if (distinct) {
      j = rng.int(n - 1);
      if (j >= i) j++;
    } else j = rng.int(n);
    // label-free form (paper.md §2): λ ~ D̃ and the label of x_i alone
    const lam = labelFree ? sampleDTilde(rng, alpha, beta) : sampleBeta(rng, alpha, beta);
    const lamY = labelFree ? 1 : lam;
    const l = loss.at(i, j, lam, lamY);
    const delta = l - mean;
    mean += delta / (s + 1);
    m2 += delta * (l - mean);
  }
  const sd = Math.sqrt(m2 / (N - 1));
  const se = sd / Math.sqrt(N);
  return { value: mean, method: "monte-carlo", ci95: [mean - Z975 * se, mean + Z975 * se], samples: N, stdError: se };
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
