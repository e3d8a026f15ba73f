/**
 * The O(n) exact paths of the Mixup loss for linear models with a scalar loss (issue 6; docs/numerics.md,
 * "The O(n) paths for linear GLMs"):
 *  - `closedFormMixupLoss`: squared loss, the whole L_mix in moments (method "exact-closed-form");
 *  - `convolutionMixupLoss`: logistic, Poisson (and squared), per-λ pair sums by grid convolution and an
 *    adaptive Gauss–Jacobi quadrature in λ (method "exact-convolution").
 */
import type { Dataset } from "../../core/dataset.js";
import { checkTol } from "../../core/constants.js";
import { OverflowError } from "../../core/errors.js";
import type { Family } from "../../losses/types.js";
import type { Model } from "../../models/types.js";
import type { MixupForm } from "../components.js";
import type { PairsMode } from "../pairs/problem.js";
import { diagonal, EPS, requireLinearScalar, rowOfMaxAbs, scores, type FastPath } from "./common.js";
import { convolutionValue, runConvolution } from "./run.js";

export { ConvolutionPairSums, allPairsNodeSum, addPairRows, pairSumValue, type PairSumState, chooseDelta, type NodeSum, type LabelMode, type ScalarName } from "./pairSums.js";
export { integrateLambda, integrateLambdaVector, type LambdaComponent, type LambdaResult } from "./lambda.js";
export { MAX_GRID_BINS, type FastPath } from "./common.js";

/** The result of a fast exact path: the fields of ExactResult, with its own method name. */
export interface FastExactResult {
  value: number;
  method: "exact-convolution" | "exact-closed-form";
  /** absolute error estimate (quadrature + spreading + FFT + rounding; closed form: rounding) */
  errorEstimate: number;
  /** λ nodes evaluated (closed form: 0) */
  nodes: number;
  /**
   * the scale the tolerance is relative to: logistic, (1/#pairs) Σ E|l| (every term is ≥ 0);
   * Poisson, the mean of E[h] plus |the label part|; squared closed form, (1−2m₂)·mean|l_i| + m₂·|z̄(z̄ − 2ȳ)|
   */
  meanAbsLoss: number;
  unresolved: number;
  pairs: PairsMode;
  form: MixupForm;
  tol: number;
  /** convolution only: grid step Δ, spreading order p, bins of the score grid */
  grid?: { delta: number; p: number; bins: number };
}

export interface FastOptions {
  tol?: number;
  pairs?: PairsMode;
  form?: MixupForm;
  /** spreading order (default 12) */
  p?: number;
  /** grid step; default from tol (chooseDelta), refined once more if the a-posteriori bound asks for it */
  delta?: number;
  /** Gauss rule size per λ piece (default 8, compared with 2N) */
  N?: number;
  /**
   * Progress as the fraction of the λ domain ([0, 1/2] labelled, [0, 1] label-free) covered by accepted
   * pieces: onProgress(fraction, 1), increasing, below 1 until the end, then (1, 1) once. A rare grid
   * refinement re-runs the λ quadrature without moving it back. The closed form reports (1, 1) once. Never changes the result.
   */
  onProgress?: (done: number, total: number) => void;
  /** the scores Xθ + b when the caller has them already (length n); computed otherwise */
  scores?: Float64Array;
}

/** The fastest exact path for a model and family, or null when only the all-pairs quadrature applies. */
export function fastPathFor(model: Model, family: Family): FastPath | null {
  if (model.kind !== "linear" || model.K !== 1 || family.vector) return null;
  return family.name === "squared" ? "closed-form" : "convolution";
}

/**
 * Squared loss, linear model: with c = m₂ = αβ/((α+β)(α+β+1)) = E[λ(1−λ)] (= E_D̃[(1−λ)²]),
 *   L_all = (1 − 2c)·(1/n)Σ l(z_i, y_i) + c·z̄(z̄ − 2ȳ),
 * the same for the label-free form (its moments give the same two coefficients); distinct pairs
 * (n·L_all − (1/n)Σ l_i)/(n − 1). Rounding only: errorEstimate is a bound on it.
 */
export function closedFormMixupLoss(ds: Dataset, model: Model, family: Family, alpha: number, beta: number, opts: FastOptions = {}): FastExactResult {
  requireLinearScalar(model, family, "closed-form");
  const tol = checkTol(opts.tol);
  const pairs = opts.pairs ?? "all";
  const n = ds.n;
  if (pairs === "distinct" && n < 2) throw new RangeError("distinct pairs need n ≥ 2");
  const z = scores(ds, model, opts.scores);
  const y = ds.y;
  const c = (alpha / (alpha + beta)) * (beta / (alpha + beta + 1));
  const d = diagonal(family, z, y);
  let sz = 0, cz = 0, sy = 0, cy = 0, az = 0, ay = 0;
  for (let i = 0; i < n; i++) {
    let t = sz + z[i];
    cz += Math.abs(sz) >= Math.abs(z[i]) ? sz - t + z[i] : z[i] - t + sz;
    sz = t;
    t = sy + y[i];
    cy += Math.abs(sy) >= Math.abs(y[i]) ? sy - t + y[i] : y[i] - t + sy;
    sy = t;
    az += Math.abs(z[i]);
    ay += Math.abs(y[i]);
  }
  const mz = (sz + cz) / n, my = (sy + cy) / n, mAz = az / n, mAy = ay / n;
  const mL = d.sum / n, mAL = d.abs / n;
  const all = (1 - 2 * c) * mL + c * (mz * (mz - 2 * my));
  if (!Number.isFinite(all)) {
    const r = rowOfMaxAbs(z);
    throw new OverflowError(r, `squared loss overflows at row ${r}`);
  }
  // rounding: each l_i to 2ε, compensated means to 2ε of their absolute sums, c and 1 − 2c to 3ε,
  // the products and the final sum a few ε more: 8ε times the absolute size of every term
  const err = 8 * EPS * ((1 - 2 * c) * mAL + Math.abs(all) + c * (mAz + Math.abs(mz)) * (mAz + 2 * mAy + Math.abs(mz - 2 * my)));
  const scale = (1 - 2 * c) * mAL + c * Math.abs(mz * (mz - 2 * my));
  const value = pairs === "all" ? all : (n * all - mL) / (n - 1);
  const f = pairs === "all" ? 1 : n / (n - 1);
  opts.onProgress?.(1, 1);
  return {
    value,
    method: "exact-closed-form",
    errorEstimate: f * err + (pairs === "all" ? 0 : 4 * EPS * Math.abs(value)),
    nodes: 0,
    meanAbsLoss: f * scale,
    unresolved: 0,
    pairs,
    form: opts.form ?? "labelled",
    tol,
  };
}

/**
 * The exact Mixup loss of a linear model with a scalar loss, in O(n·p + nodes·G log G): per λ node the
 * n² pair sum by convolution of spread grids (pairSums.ts), integrated over λ adaptively (lambda.ts).
 * Accuracy: |error| ≤ errorEstimate, which is ≤ tol·meanAbsLoss unless the grid's FFT rounding says
 * otherwise (extremely wide score ranges with tiny losses; the estimate reports it).
 */
export function convolutionMixupLoss(ds: Dataset, model: Model, family: Family, alpha: number, beta: number, opts: FastOptions = {}): FastExactResult {
  const pairs = opts.pairs ?? "all";
  const form = opts.form ?? "labelled";
  const tol = checkTol(opts.tol);
  const run = runConvolution(ds, model, family, alpha, beta, { tol, form, pairs, p: opts.p ?? 12, delta: opts.delta, N: opts.N ?? 8, grad: false, onProgress: opts.onProgress, scores: opts.scores });
  return {
    ...convolutionValue(family, run.z, ds.y, run.res, pairs),
    method: "exact-convolution",
    nodes: run.res.evals,
    unresolved: run.res.unresolved,
    pairs,
    form,
    tol,
    grid: { delta: run.delta, p: run.sums.p, bins: run.sums.gridSize },
  };
}
