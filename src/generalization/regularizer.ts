import type { Dataset } from "../core/dataset.js";
import { checkAlphaBeta } from "../core/constants.js";
import { standardLoss } from "../losses/standard.js";
import type { ScalarFamily } from "../losses/types.js";
import { logBetaAccurate } from "../mixing/lbeta.js";
import { tanhSinh } from "../mixing/tanhSinh.js";
import { mixupLoss } from "../mixup/index.js";
import { predict } from "../models/index.js";
import type { Model } from "../models/types.js";
import { taylorTerms } from "../taylor/terms.js";

/**
 * E_D̃[(1−λ)²/λ²] = [B(α−1, β+2) + B(α+2, β−1)]/B(α, β) [exact] (docs/theory.md §4.1): finite only for α > 1
 * and β > 1 (the integrand behaves like λ^{α−3}·… at 0 under D̃'s Beta(α+1, β) component). The Beta ratios are
 * rational: = [β(β+1)/(α−1) + α(α+1)/(β−1)]/(α+β), formed as products of bounded ratios (no overflow before
 * the value itself does); α − 1 is exact for α ≤ 2 (Sterbenz), so a few roundings in all (log-Beta differences
 * lost ~4e-15 at shapes of 1e4).
 */
export function dTildeInverseRatioMoment(alpha: number, beta: number): { value: number | null; reason?: string } {
  checkAlphaBeta(alpha, beta);
  if (!(alpha > 1 && beta > 1)) return { value: null, reason: "infinite for α ≤ 1 or β ≤ 1" };
  const s = alpha + beta;
  return { value: (beta / (alpha - 1)) * ((beta + 1) / s) + (alpha / (beta - 1)) * ((alpha + 1) / s) };
}

/** log of the Beta(a, b) density at λ, with 1 − λ passed separately (no cancellation near 1). */
function logBetaPdf(a: number, b: number, lam: number, oneMinus: number): number {
  return (a - 1) * Math.log(lam) + (b - 1) * Math.log(oneMinus) - logBetaAccurate(a, b);
}

/**
 * E[(1−λ)²/λ²] by tanh-sinh quadrature (mixing/tanhSinh.ts) under D̃'s density λ·(p_{α,β}(λ) + p_{β,α}(λ))
 * (docs/theory.md §2.5), or under Beta(α, β) (`law: "beta"`, a wrong law for negative controls): the independent
 * reference for `dTildeInverseRatioMoment` (which is rational; the quadrature normalises by log B(α, β)). Accurate to ~1e-12
 * relative for α, β ≥ 1.05; near α = 1 the singularity λ^{α−2} is cut off at λ ≈ 1e-275 (tanhSinh's note).
 */
export function inverseRatioQuadrature(alpha: number, beta: number, law: "dtilde" | "beta" = "dtilde"): number {
  // in log space: (1−λ)²/λ² overflows where the density underflows, and their product is what counts
  return tanhSinh((l, o) => {
    const lg = 2 * Math.log(o) - 2 * Math.log(l);
    if (law === "beta") return Math.exp(lg + logBetaPdf(alpha, beta, l, o));
    return Math.exp(lg + Math.log(l) + logBetaPdf(alpha, beta, l, o)) + Math.exp(lg + Math.log(l) + logBetaPdf(beta, alpha, l, o));
  });
}

/** The linear weights θ and the scores of a linear model (Section 4 is about linear GLMs). */
function linearParts(model: Model): Float64Array {
  if (model.kind !== "linear" || model.K !== 1) throw new RangeError("Section 4's regularizer forms are for linear models with one output");
  return model.theta;
}

/**
 * The paper's simplified regularizer (1/(2n))·[Σ_i A''(f_i)]·E_D̃[(1−λ)²/λ²]·θᵀΣ̂θ [reconstructed], Σ̂ = (1/n)Σ x_ix_iᵀ,
 * f_i the model's scores; null with the factor's reason where the factor is infinite.
 */
export function simplifiedRegularizer(ds: Dataset, model: Model, family: ScalarFamily, alpha: number, beta: number): { value: number | null; reason?: string } {
  const theta = linearParts(model);
  const factor = dTildeInverseRatioMoment(alpha, beta);
  if (factor.value === null) return factor;
  const f = predict(model, ds.X, ds.n);
  let curv = 0;
  let q = 0;
  for (let i = 0; i < ds.n; i++) {
    curv += family.h2(f[i]);
    let z = 0;
    for (let k = 0; k < ds.d; k++) z += theta[k] * ds.X[i * ds.d + k];
    q += z * z;
  }
  return { value: (curv / (2 * ds.n)) * factor.value * (q / ds.n) };
}

export interface RegularizerForms {
  /** L_mix − L_std, with L_mix exact (mixupLoss, method auto, tol) */
  exactGap: number;
  /** Lemma 3.1's second-order term (taylorTerms) */
  R2: number;
  simplified: number | null;
  factor: number | null;
  factorReason?: string;
}

/** The three forms side by side (docs/theory.md §4.1): the comparison is a finding, not a pass/fail. */
export async function regularizerForms(ds: Dataset, model: Model, family: ScalarFamily, alpha: number, beta: number, opts: { tol?: number; workers?: number } = {}): Promise<RegularizerForms> {
  const mix = await mixupLoss(ds, model, family, alpha, beta, { method: "auto", tol: opts.tol, workers: opts.workers });
  const Lstd = standardLoss(family, predict(model, ds.X, ds.n), ds.y, ds.n, 1);
  const t = taylorTerms(ds, model, family, alpha, beta);
  const factor = dTildeInverseRatioMoment(alpha, beta);
  const simplified = simplifiedRegularizer(ds, model, family, alpha, beta);
  return {
    exactGap: mix.value - Lstd,
    R2: t.R2,
    simplified: simplified.value,
    factor: factor.value,
    ...(factor.reason ? { factorReason: factor.reason } : {}),
  };
}
