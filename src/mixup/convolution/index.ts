/**
 * The O(n) exact paths of the Mixup loss for linear models with a scalar loss (issue 6; docs/numerics.md,
 * "The O(n) paths for linear GLMs"):
 *  - `closedFormMixupLoss`: squared loss, the whole L_mix in moments (method "exact-closed-form");
 *  - `convolutionMixupLoss`: logistic, Poisson (and squared), per-λ pair sums by grid convolution and an
 *    adaptive Gauss–Jacobi quadrature in λ (method "exact-convolution").
 */
import type { Dataset } from "../../core/dataset.js";
import { InputError, OverflowError } from "../../core/errors.js";
import type { Family } from "../../losses/types.js";
import { predict } from "../../models/index.js";
import type { Model } from "../../models/types.js";
import type { MixupForm } from "../components.js";
import type { PairsMode } from "../pairProblem.js";
import { integrateLambda, type LambdaComponent } from "./lambda.js";
import { chooseDelta, ConvolutionPairSums, type LabelMode, type ScalarName } from "./pairSums.js";

export { ConvolutionPairSums, allPairsNodeSum, chooseDelta, type NodeSum, type LabelMode, type ScalarName } from "./pairSums.js";
export { integrateLambda, type LambdaComponent, type LambdaResult } from "./lambda.js";

const EPS = 2.220446049250313e-16;

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
}

export type FastPath = "convolution" | "closed-form";

/** The fastest exact path for a model and family, or null when only the all-pairs quadrature applies. */
export function fastPathFor(model: Model, family: Family): FastPath | null {
  if (model.kind !== "linear" || model.K !== 1 || family.vector) return null;
  return family.name === "squared" ? "closed-form" : "convolution";
}

function requireLinearScalar(model: Model, family: Family, method: FastPath): ScalarName {
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

function scores(ds: Dataset, model: Model): Float64Array {
  return predict(model, ds.X, ds.n);
}

/** Neumaier sum of l(z_i, y_i) and of |l(z_i, y_i)|. */
function diagonal(family: Family, z: Float64Array, y: Float64Array): { sum: number; abs: number } {
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

function rowOfMaxAbs(z: Float64Array): number {
  let k = 0;
  for (let i = 1; i < z.length; i++) if (Math.abs(z[i]) > Math.abs(z[k])) k = i;
  return k + 1;
}

/**
 * Squared loss, linear model: with c = m₂ = αβ/((α+β)(α+β+1)) = E[λ(1−λ)] (= E_D̃[(1−λ)²]),
 *   L_all = (1 − 2c)·(1/n)Σ l(z_i, y_i) + c·z̄(z̄ − 2ȳ),
 * the same for the label-free form (its moments give the same two coefficients); distinct pairs
 * (n·L_all − (1/n)Σ l_i)/(n − 1). Rounding only: errorEstimate is a bound on it.
 */
export function closedFormMixupLoss(ds: Dataset, model: Model, family: Family, alpha: number, beta: number, opts: FastOptions = {}): FastExactResult {
  requireLinearScalar(model, family, "closed-form");
  const pairs = opts.pairs ?? "all";
  const n = ds.n;
  if (pairs === "distinct" && n < 2) throw new RangeError("distinct pairs need n ≥ 2");
  const z = scores(ds, model);
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
    tol: opts.tol ?? 1e-10,
  };
}

/**
 * Largest number of score-grid bins the convolution accepts ((max z − min z)/Δ): 2^17 is a score range of
 * ~18,000 at tol 1e-10. Wide ranges also need many λ nodes (~1,500 at a range of 1,000), so beyond this the
 * all-pairs quadrature is the better exact method (`auto` falls back to it).
 */
export const MAX_GRID_BINS = 1 << 17;

/** The λ measure and label mode of a form (labelled: folded onto [0, 1/2] by the λ ↔ 1−λ symmetry). */
function lambdaSetup(alpha: number, beta: number, form: MixupForm): { comps: LambdaComponent[]; domainHi: 0.5 | 1; mode: LabelMode } {
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

/**
 * The exact Mixup loss of a linear model with a scalar loss, in O(n·p + nodes·G log G): per λ node the
 * n² pair sum by convolution of spread grids (pairSums.ts), integrated over λ adaptively (lambda.ts).
 * Accuracy: |error| ≤ errorEstimate, which is ≤ tol·meanAbsLoss unless the grid's FFT rounding says
 * otherwise (extremely wide score ranges with tiny losses; the estimate reports it).
 */
export function convolutionMixupLoss(ds: Dataset, model: Model, family: Family, alpha: number, beta: number, opts: FastOptions = {}): FastExactResult {
  const name = requireLinearScalar(model, family, "convolution");
  const pairs = opts.pairs ?? "all";
  const form = opts.form ?? "labelled";
  const tol = opts.tol ?? 1e-10;
  const p = opts.p ?? 12;
  const n = ds.n;
  if (pairs === "distinct" && n < 2) throw new RangeError("distinct pairs need n ≥ 2");
  const z = scores(ds, model);
  const y = ds.y;
  let zmin = Infinity, zmax = -Infinity;
  for (let i = 0; i < n; i++) {
    if (z[i] < zmin) zmin = z[i];
    if (z[i] > zmax) zmax = z[i];
  }
  if (name === "poisson" && Math.exp(zmax) === Infinity) {
    const r = rowOfMaxAbs(z);
    throw new OverflowError(r, `Poisson loss overflows: e^z at row ${r} is beyond the float64 range`);
  }
  const range = zmax - zmin;
  // spreading target: tol/32 per unit pair weight (logistic: absolute; Poisson: relative to e^w)
  let delta = opts.delta ?? chooseDelta(name, p, tol / 32, range);
  const setup = lambdaSetup(alpha, beta, form);
  let res;
  let sums: ConvolutionPairSums;
  let reached = 0;
  const onPiece =
    opts.onProgress === undefined
      ? undefined
      : (covered: number, hi: number) => {
          const f = covered / hi;
          if (f > reached && f < 1) {
            reached = f;
            opts.onProgress!(f, 1);
          }
        };
  for (let attempt = 0; ; attempt++) {
    if (range / delta > MAX_GRID_BINS) {
      throw new InputError("--method", `--method convolution: the scores span ${range.toPrecision(4)}, ${Math.ceil(range / delta)} grid bins at step ${delta.toPrecision(3)} (limit ${MAX_GRID_BINS}); use --method pairs`);
    }
    sums = new ConvolutionPairSums(z, y, name, { delta, p });
    const s = sums;
    res = integrateLambda((lam, om) => s.at(lam, om, setup.mode), setup.comps, setup.domainHi, tol, opts.N ?? 8, onPiece);
    // a posteriori: the local bound over the actual pairs; refine the grid once or twice if it is above tol/8
    if (opts.delta !== undefined || attempt >= 2 || res.nodeErr <= (tol / 8) * res.abs || !(res.abs > 0)) break;
    const shrink = Math.pow(Math.max((tol / 32) * res.abs / res.nodeErr, 1e-6), 1 / p);
    if (!(shrink < 0.999)) break;
    delta *= shrink;
  }
  opts.onProgress?.(1, 1); // only now: a refinement may follow a fully covered domain
  let value = res.value;
  let err = res.quadErr + res.nodeErr + 4 * EPS * res.abs;
  let abs = res.abs;
  if (pairs === "distinct") {
    // the n diagonal pairs are l(z_i, y_i) exactly (λz_i + (1−λ)z_i = z_i, label y_i in both forms)
    const d = diagonal(family, z, y);
    const f = n / (n - 1);
    value = f * value - d.sum / (n * (n - 1));
    err = f * err + 4 * EPS * Math.abs(value);
    abs = f * abs;
  }
  return {
    value,
    method: "exact-convolution",
    errorEstimate: err,
    nodes: res.evals,
    meanAbsLoss: abs,
    unresolved: res.unresolved,
    pairs,
    form,
    tol,
    grid: { delta, p, bins: sums!.gridSize },
  };
}
