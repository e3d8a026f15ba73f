import { sigmoid, sigmoidPrime, softplus, softplusDiff } from "../core/special.js";
import type { ScalarFamily } from "./types.js";

/**
 * Logistic loss in the paper's form l(z, y) = h(z) − y·z with h = softplus (docs/theory.md §2.2, table):
 * h' = σ, h'' = σ(1 − σ), labels y ∈ [0, 1] (hard labels {0, 1}, soft labels from mixing in between).
 */

/**
 * l(z, y) = (1 − y)·softplus(z) + y·softplus(−z).
 *
 * Algebraically softplus(z) − y·z (since softplus(z) − z = softplus(−z)), but for y ∈ [0, 1] both terms
 * are non-negative, so the sum never cancels: at z = 1e300, y = 1 the naive form gives 1e300 − 1e300 = 0
 * by luck and at z = 30, y = 1 it keeps only 3 digits; this form is accurate to a few ulps everywhere and
 * finite for every finite z.
 */
export function logisticLoss(z: number, y: number): number {
  // The hard-label branches avoid 0·∞ = NaN when z = ±∞ (a saturated score is still a valid input).
  if (y === 0) return softplus(z);
  if (y === 1) return softplus(-z);
  // = log1p(e^{−|z|}) + (1−y)·max(z,0) + y·max(−z,0): the same non-negative terms with one exp and one
  // log1p instead of two of each (the Mixup pair loop evaluates this hundreds of millions of times)
  const t = Math.log1p(Math.exp(-Math.abs(z)));
  return z > 0 ? t + (1 - y) * z : t - y * z;
}

/** ∂l/∂z = σ(z) − y. */
export function logisticDloss(z: number, y: number): number {
  return sigmoid(z) - y;
}

/** Labels must lie in [0, 1] (NaN fails the comparison and is rejected too). */
export function logisticLabelError(y: number): string | null {
  return y >= 0 && y <= 1 ? null : "outside [0, 1]";
}

export const logistic: ScalarFamily = {
  name: "logistic",
  vector: false,
  h: softplus,
  h1: sigmoid,
  h2: sigmoidPrime,
  hDiff: softplusDiff,
  loss: logisticLoss,
  dloss: logisticDloss,
  labelError: logisticLabelError,
  note: "logistic loss softplus(f) − y·f = (1−y)·softplus(f) + y·softplus(−f), labels in [0, 1]",
};
