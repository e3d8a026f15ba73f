/**
 * The θ-gradient of the exact Mixup loss of a linear GLM in O(n) (issue 6; docs/numerics.md, "The O(n)
 * paths for linear GLMs"). With z = Xθ + b the loss depends on θ only through z, so
 *   ∇_θ L_mix = Σ_k (∂L_mix/∂z_k)·x_k,   ∂L_mix/∂b = Σ_k ∂L_mix/∂z_k,
 * and ∂L_mix/∂z_k = (1/n²)·∫[λ·F_B(λz_k) + (1−λ)·F_A((1−λ)z_k)] dμ − (1/n)·(label part of k):
 *   labelled:   label part = (1 − 2m₂)·y_k + 2m₂·ȳ,   m₂ = E[λ(1−λ)] = αβ/((α+β)(α+β+1));
 *   label-free: label part = E_D̃[λ]·y_k + (1 − E_D̃[λ])·ȳ
 * (∂l/∂w = h'(w) − ỹ for every scalar family; pointSums.ts computes the h' part). Distinct pairs:
 * ∂L/∂z_k = (n²·∂L_all/∂z_k − l_w(z_k, y_k))/(n(n − 1)).
 */
import type { Dataset } from "../../core/dataset.js";
import { checkTol } from "../../core/constants.js";
import { Neumaier } from "../../core/sum.js";
import type { Family } from "../../losses/types.js";
import type { Model } from "../../models/types.js";
import { LEBESGUE } from "./spread.js";
import { EPS, requireLinearScalar, scores } from "./common.js";
import type { FastExactResult, FastOptions } from "./index.js";
import { closedFormMixupLoss } from "./index.js";
import { interpolatePoints } from "./pointSums.js";
import { convolutionValue, runConvolution } from "./run.js";

export interface FastGradResult extends FastExactResult {
  /** ∇_θ L_mix in getParams order: θ (d), then the bias when the model has one */
  grad: Float64Array;
  /** a bound on max_c |error of grad_c| (quadrature + spreading + FFT + rounding) */
  gradErrorEstimate: number;
  /**
   * the scale the gradient's tolerance is relative to (as meanAbsLoss for the value): max_c Σ_k |x_kc|·
   * (|h' part of ∂L/∂z_k| + |label part|), the size of the terms before they cancel
   */
  gradScale: number;
}

/** ∂l/∂w at (z_k, y_k): h'(z) − y, with the family's own dloss. */
function dlossAt(family: Family, z: number, y: number): number {
  if (family.vector) throw new RangeError("scalar family expected");
  return family.dloss(z, y);
}

/**
 * ∇_θ from ∂L/∂z (dz), a per-point absolute error bound of dz (dzErr) and the per-point size of its terms
 * (dzAbs): Neumaier sums over the rows. Returns the gradient, max_c Σ_k |x_kc|·dzErr_k (+ rounding) and
 * max_c Σ_k |x_kc|·dzAbs_k.
 */
function chainToParams(ds: Dataset, model: Model, dz: Float64Array, dzErr: Float64Array, dzAbs: Float64Array): { grad: Float64Array; err: number; scale: number } {
  if (model.kind !== "linear") throw new RangeError("linear model expected");
  const { n, d, X } = ds;
  const P = d + (model.bias !== null ? 1 : 0);
  const s = new Float64Array(P), c = new Float64Array(P), e = new Float64Array(P), a = new Float64Array(P), sc = new Float64Array(P);
  // a plain loop per row (no closure, no allocation): Neumaier sums of dz_k·x_kc, and the bound and scale sums
  for (let k = 0; k < n; k++) {
    const g = dz[k], ge = dzErr[k], ga = dzAbs[k];
    const o = k * d;
    for (let q = 0; q < P; q++) {
      const x = q < d ? X[o + q] : 1;
      const v = g * x;
      const sq = s[q];
      const t = sq + v;
      c[q] += Math.abs(sq) >= Math.abs(v) ? sq - t + v : v - t + sq;
      s[q] = t;
      const ax = Math.abs(x);
      e[q] += ax * ge;
      a[q] += Math.abs(v);
      sc[q] += ax * ga;
    }
  }
  const grad = new Float64Array(P);
  let err = 0, scale = 0;
  for (let q = 0; q < P; q++) {
    grad[q] = s[q] + c[q];
    err = Math.max(err, e[q] + 4 * EPS * a[q]);
    scale = Math.max(scale, sc[q]);
  }
  return { grad, err, scale };
}

/** The distinct-pairs form of dz from the all-pairs one (in place), and the factor of its error. */
function toDistinct(family: Family, z: Float64Array, y: Float64Array, dz: Float64Array, dzErr: Float64Array, dzAbs: Float64Array): void {
  const n = z.length;
  const n2 = n * n, f = 1 / (n * (n - 1));
  for (let k = 0; k < n; k++) {
    const lw = dlossAt(family, z[k], y[k]);
    const all = n2 * dz[k];
    dz[k] = (all - lw) * f;
    dzErr[k] = n2 * f * dzErr[k] + 4 * EPS * (Math.abs(all) + Math.abs(lw)) * f;
    dzAbs[k] = (n2 * dzAbs[k] + Math.abs(lw)) * f;
  }
}

/**
 * The exact Mixup loss and its θ-gradient, linear model with a scalar loss, in O(n·p + nodes·G log G)
 * ("exact-convolution"): the loss as convolutionMixupLoss, the per-point sums integrated over λ as one
 * vector on the score grid (same adaptive pieces, accepted only when both are resolved), then one
 * interpolation back to the points and one pass over X.
 */
export function convolutionMixupGrad(ds: Dataset, model: Model, family: Family, alpha: number, beta: number, opts: FastOptions = {}): FastGradResult {
  const pairs = opts.pairs ?? "all";
  const form = opts.form ?? "labelled";
  const tol = checkTol(opts.tol);
  const n = ds.n;
  const run = runConvolution(ds, model, family, alpha, beta, { tol, form, pairs, p: opts.p ?? 12, delta: opts.delta, N: opts.N ?? 8, grad: true, scores: opts.scores });
  const { z, res } = run;
  const pts = run.points!;
  const y = ds.y;
  // the h' part at the points: (1/n²)·Σ over λ of φ interpolated at z_k (Poisson: times e^{shift})
  const hz = new Float64Array(n);
  interpolatePoints(z, pts.grid, pts.L, res.vec, hz);
  const scale = run.name === "poisson" ? Math.exp(pts.shift) : 1;
  const n2 = n * n;
  let ybar = 0;
  for (let k = 0; k < n; k++) ybar += y[k];
  ybar /= n;
  // label coefficients: dz_k = h_k − (cy·y_k + cbar·ȳ)/n
  let cy: number;
  if (form === "labelled") cy = 1 - 2 * ((alpha / (alpha + beta)) * (beta / (alpha + beta + 1)));
  else {
    const s = alpha + beta;
    cy = (alpha / s) * ((alpha + 1) / (s + 1)) + (beta / s) * ((beta + 1) / (s + 1));
  }
  const cbar = 1 - cy;
  // per-point error: the bins' quadrature errors interpolated with |weights| (each point sees only its
  // stencil), the FFT bound through the stage-1 weights (Lebesgue Λ), and the spreading
  const qz = new Float64Array(n);
  interpolatePoints(z, pts.grid, pts.L, res.vecQuadErr, qz, true);
  const Lam = LEBESGUE[pts.p];
  const fftPart = (Lam * res.vecNodeErr * scale) / n2;
  const sb = pts.spreadingBound();
  const dz = new Float64Array(n), dzErr = new Float64Array(n), dzAbs = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const h = (hz[k] * scale) / n2;
    const lab = (cy * y[k] + cbar * ybar) / n;
    dz[k] = h - lab;
    dzAbs[k] = Math.abs(h) + Math.abs(lab);
    // logistic: n partners, each within sb (∫(λ + 1 − λ)dμ = 1); Poisson: relative to the h' sums themselves
    const spread = run.name === "logistic" ? sb / n : sb * Math.abs(h) * (1 + Lam);
    dzErr[k] = (qz[k] * scale) / n2 + fftPart + spread + 4 * EPS * dzAbs[k];
  }
  const loss = convolutionValue(family, z, y, res, pairs);
  if (pairs === "distinct") toDistinct(family, z, y, dz, dzErr, dzAbs);
  const { grad, err, scale: gradScale } = chainToParams(ds, model, dz, dzErr, dzAbs);
  return {
    ...loss,
    method: "exact-convolution",
    nodes: res.evals,
    unresolved: res.unresolved,
    pairs,
    form,
    tol,
    grid: { delta: run.delta, p: pts.p, bins: run.sums.gridSize },
    grad,
    gradErrorEstimate: err,
    gradScale,
  };
}

/**
 * Squared loss, linear model: from L_all = (1 − 2c)·(1/n)Σ l(z_i, y_i) + c·z̄(z̄ − 2ȳ) (closedFormMixupLoss),
 *   ∂L_all/∂z_k = ((1 − 2c)·(z_k − y_k) + 2c·(z̄ − ȳ))/n.
 * Rounding only.
 */
export function closedFormMixupGrad(ds: Dataset, model: Model, family: Family, alpha: number, beta: number, opts: FastOptions = {}): FastGradResult {
  requireLinearScalar(model, family, "closed-form");
  checkTol(opts.tol);
  const z = scores(ds, model, opts.scores);
  const loss = closedFormMixupLoss(ds, model, family, alpha, beta, { ...opts, scores: z });
  const n = ds.n;
  const y = ds.y;
  const c = (alpha / (alpha + beta)) * (beta / (alpha + beta + 1));
  const sz = new Neumaier(), sy = new Neumaier();
  let az = 0, ay = 0;
  for (let k = 0; k < n; k++) {
    sz.add(z[k]);
    sy.add(y[k]);
    az += Math.abs(z[k]);
    ay += Math.abs(y[k]);
  }
  const mz = sz.value / n, my = sy.value / n;
  const dz = new Float64Array(n), dzErr = new Float64Array(n), dzAbs = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const a = (1 - 2 * c) * (z[k] - y[k]), b = 2 * c * (mz - my);
    dz[k] = (a + b) / n;
    dzAbs[k] = ((1 - 2 * c) * (Math.abs(z[k]) + Math.abs(y[k])) + 2 * c * (Math.abs(mz) + Math.abs(my))) / n;
    // compensated means to 2ε of the mean absolute sizes, the products and sums a few ε more
    dzErr[k] = (8 * EPS * (Math.abs(a) + Math.abs(b)) + 2 * c * 4 * EPS * (az + ay) / n) / n;
  }
  if (loss.pairs === "distinct") toDistinct(family, z, y, dz, dzErr, dzAbs);
  const { grad, err, scale } = chainToParams(ds, model, dz, dzErr, dzAbs);
  return { ...loss, grad, gradErrorEstimate: err, gradScale: scale };
}
