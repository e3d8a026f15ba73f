/** Pieces shared by the O(n) loss and gradient paths of linear GLMs (index.ts, grad.ts). */
import { checkAlphaBeta } from "../../core/constants.js";
import type { Dataset } from "../../core/dataset.js";
import { InputError } from "../../core/errors.js";
import type { Family } from "../../losses/types.js";
import { predict } from "../../models/index.js";
import type { Model } from "../../models/types.js";
import type { MixupForm } from "../components.js";
import type { LambdaComponent } from "./lambda.js";
import type { LabelMode, ScalarName } from "./pairSums.js";
import { EPS } from "../../core/constants.js";

export { EPS };

export type FastPath = "convolution" | "closed-form";

/**
 * Largest number of score-grid bins the convolution accepts ((max z − min z)/Δ): 2^17 is a score range of
 * ~18,000 at tol 1e-10. Wide ranges also need many λ nodes (~1,500 at a range of 1,000), so beyond this the
 * all-pairs quadrature is the better exact method (`auto` falls back to it).
 */
export const MAX_GRID_BINS = 1 << 17;

export function requireLinearScalar(model: Model, family: Family, method: FastPath): ScalarName {
  const what = method === "closed-form" ? "closed-form applies to a linear model with the squared loss" : "convolution applies to a linear model with a scalar loss (logistic, squared, Poisson)";
  if (model.kind !== "linear" || model.K !== 1 || family.vector) {
    const m = model.kind === "linear" ? `a linear model with K = ${model.K} outputs` : `a two-layer ${model.activation} net`;
    throw new InputError("--method", `--method ${method}: ${what}; this is ${m}${family.vector ? " with the softmax loss" : ""} (use --method pairs or auto)`);
  }
  if (method === "closed-form" && family.name !== "squared") {
    throw new InputError("--method", `--method closed-form: ${what}; the loss is ${family.name} (use --method convolution or auto)`);
  }
  return family.name;
}

/** The scores z = Xθ + b, or `given` when a caller already has them (checked for length). */
export function scores(ds: Dataset, model: Model, given?: Float64Array): Float64Array {
  if (given === undefined) return predict(model, ds.X, ds.n);
  if (given.length !== ds.n) throw new RangeError(`scores: ${given.length} given for ${ds.n} rows`);
  return given;
}

/** Neumaier sum of l(z_i, y_i) and of |l(z_i, y_i)|. */
export function diagonal(family: Family, z: Float64Array, y: Float64Array): { sum: number; abs: number } {
  if (family.vector) throw new RangeError("scalar family expected");
  let s = 0, c = 0, a = 0;
  for (let i = 0; i < z.length; i++) {
    const v = family.loss(z[i], y[i]);
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
    a += Math.abs(v);
  }
  return { sum: s + c, abs: a };
}

/**
 * Bins of a score grid of step Δ over [lo, hi]: (hi − lo)/Δ, formed as 2·(hi/2 − lo/2)/Δ so that scores of
 * opposite sign near 1.8e308 do not overflow the span (∞ only when the count itself is beyond float64).
 */
export function gridBins(lo: number, hi: number, delta: number): number {
  return (2 * (hi / 2 - lo / 2)) / delta;
}

/** A bin count for a message: the integer below 1e15, else 4 digits, and "more than 1.8e308" for ∞. */
export function binsText(bins: number): string {
  if (!Number.isFinite(bins)) return "more than 1.8e308";
  return bins < 1e15 ? String(Math.ceil(bins)) : bins.toPrecision(4);
}

export function rowOfMaxAbs(z: Float64Array): number {
  let k = 0;
  for (let i = 1; i < z.length; i++) if (Math.abs(z[i]) > Math.abs(z[k])) k = i;
  return k + 1;
}

/** The λ measure and label mode of a form (labelled: folded onto [0, 1/2] by the λ ↔ 1−λ symmetry). */
export function lambdaSetup(alpha: number, beta: number, form: MixupForm): { comps: LambdaComponent[]; domainHi: 0.5 | 1; mode: LabelMode } {
  checkAlphaBeta(alpha, beta);
  if (form === "labelled") {
    // T(λ) = Σ_ij l(λz_i + (1−λ)z_j, λy_i + (1−λ)y_j) is symmetric under λ ↔ 1−λ (swap i and j), so
    // ∫_0^1 T dBeta(α,β) = ∫_0^{1/2} T d[Beta(α,β) + Beta(β,α)]
    const comps = alpha === beta ? [{ a: alpha, b: beta, c: 2 }] : [{ a: alpha, b: beta, c: 1 }, { a: beta, b: alpha, c: 1 }];
    return { comps, domainHi: 0.5, mode: "labelled" };
  }
  if (form === "label-free") {
    const s = alpha + beta;
    return { comps: [{ a: alpha + 1, b: beta, c: alpha / s }, { a: beta + 1, b: alpha, c: beta / s }], domainHi: 1, mode: "label-i" };
  }
  throw new InputError("form", `form "${form}" has no convolution path`);
}
