import type { Dataset } from "../core/dataset.js";
import { standardLoss } from "../losses/standard.js";
import type { Family } from "../losses/types.js";
import { m1 as m1Of, m2 as m2Of } from "../mixing/dtilde.js";
import type { Model } from "../models/types.js";
import { taylorSums, type TaylorSums } from "./sums.js";

/**
 * The regularisers of Lemma 3.1 (docs/theory.md §3.1, exact):
 *   R1 = (m1/n) Σ_i (h'(f_i) − y_i) ∇f_iᵀ (x̄ − x_i)
 *   R2 = (m2/(2n)) Σ_i h''(f_i) ∇f_iᵀ (Σ_c + (x̄ − x_i)(x̄ − x_i)ᵀ) ∇f_i
 *   R3 = (m2/(2n)) Σ_i (h'(f_i) − y_i) E_r[(r − x_i)ᵀ ∇²f_i (r − x_i)]
 * with m1, m2 the D̃ moments (not the Beta(α, β) ones), and approx = L_std + R1 + R2 + R3, the paper's
 * "approximate Mixup loss" (its eq. (3)). Softmax uses the vector form (docs/theory.md §3.1, [beyond]).
 */
export interface TaylorTerms {
  alpha: number;
  beta: number;
  m1: number;
  m2: number;
  standardLoss: number;
  R1: number;
  R2: number;
  R3: number;
  /** L_std + R1 + R2 + R3 */
  approx: number;
}

/**
 * Lemma 3.1's terms in O(n·p·d + n·p²) (p the first-layer width) via the covariance form (sums.ts). Throws
 * OverflowError (from the standard loss) when a loss value is not finite.
 */
export function taylorTerms(ds: Dataset, model: Model, family: Family, alpha: number, beta: number): TaylorTerms {
  return { alpha, beta, ...taylorTermsWithMoments(ds, model, family, m1Of(alpha, beta), m2Of(alpha, beta)) };
}

/**
 * The same terms with the moments given: m1 = E[1−λ], m2 = E[(1−λ)²] of any law. Lemma 3.1 holds with
 * the D̃ moments only; other moments serve the negative controls (Beta(α, β) moments must miss).
 */
export function taylorTermsWithMoments(
  ds: Dataset,
  model: Model,
  family: Family,
  m1: number,
  m2: number,
): Omit<TaylorTerms, "alpha" | "beta"> {
  return termsFromSums(ds, family, taylorSums(ds, model, family), m1, m2);
}

/** The terms from the sums (sums.ts) and the moments: shared by taylorTerms and taylorTermsParallel. */
export function termsFromSums(ds: Dataset, family: Family, sums: TaylorSums, m1: number, m2: number): Omit<TaylorTerms, "alpha" | "beta"> {
  const { S1, S2, S3, scores } = sums;
  const n = ds.n;
  const lstd = standardLoss(family, scores, ds.y, n, ds.K);
  const R1 = (m1 * S1) / n;
  const R2 = (m2 * S2) / (2 * n);
  const R3 = (m2 * S3) / (2 * n);
  return { m1, m2, standardLoss: lstd, R1, R2, R3, approx: lstd + R1 + R2 + R3 };
}

/** The paper's approximate Mixup loss, eq. (3): L_std + R1 + R2 + R3. */
export function approximateMixupLoss(ds: Dataset, model: Model, family: Family, alpha: number, beta: number): number {
  return taylorTerms(ds, model, family, alpha, beta).approx;
}

/**
 * R1 alone (docs/theory.md §3.1). On centered data it equals −m1·θᵀ∇_θL_std for a linear model without bias and
 * −(m1/2)·pᵀ∇_pL_std for a bias-free ReLU net (check lemma-3.1-r1-identity).
 */
export function R1(ds: Dataset, model: Model, family: Family, alpha: number, beta: number): number {
  return taylorTerms(ds, model, family, alpha, beta).R1;
}

/** R2 alone (docs/theory.md §3.1); ≥ 0 whenever h'' is positive semi-definite. */
export function R2(ds: Dataset, model: Model, family: Family, alpha: number, beta: number): number {
  return taylorTerms(ds, model, family, alpha, beta).R2;
}

/** R3 alone (docs/theory.md §3.1): zero for linear models and ReLU nets, non-zero for softplus / tanh nets. */
export function R3(ds: Dataset, model: Model, family: Family, alpha: number, beta: number): number {
  return taylorTerms(ds, model, family, alpha, beta).R3;
}
