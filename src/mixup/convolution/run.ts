/**
 * The core of the convolution path, shared by the loss and its θ-gradient: scores, grid step from tol,
 * the per-node pair sums (and, for the gradient, the per-point sums), the adaptive λ-quadrature, and the
 * a-posteriori grid refinement (docs/numerics.md, "The O(n) paths for linear GLMs").
 */
import type { Dataset } from "../../core/dataset.js";
import { InputError, OverflowError } from "../../core/errors.js";
import type { Family } from "../../losses/types.js";
import type { Model } from "../../models/types.js";
import type { MixupForm } from "../components.js";
import type { PairsMode } from "../pairs/problem.js";
import { binsText, diagonal, EPS, gridBins, lambdaSetup, MAX_GRID_BINS, requireLinearScalar, rowOfMaxAbs, scores } from "./common.js";
import { integrateLambdaVector, type LambdaVectorResult } from "./lambda.js";
import { chooseDelta, ConvolutionPairSums, spreadConstant, type LabelMode, type ScalarName } from "./pairSums.js";
import { ConvolutionPointSums, SIGMOID_MAX } from "./pointSums.js";

export interface RunOptions {
  tol: number;
  form: MixupForm;
  pairs: PairsMode;
  p: number;
  delta?: number;
  N: number;
  /** also integrate the per-point sums (the gradient) */
  grad: boolean;
  /**
   * progress as the covered fraction of the λ domain: (f, 1) increasing and below 1, then (1, 1) once at
   * the end (a grid refinement re-runs the quadrature without moving it back)
   */
  onProgress?: (done: number, total: number) => void;
  /** precomputed scores Xθ + b */
  scores?: Float64Array;
}

export interface ConvolutionRun {
  name: ScalarName;
  z: Float64Array;
  delta: number;
  mode: LabelMode;
  sums: ConvolutionPairSums;
  /** the per-point sums (grad only) */
  points: ConvolutionPointSums | null;
  res: LambdaVectorResult;
}

/** Grid step for the gradient's h' sums: K_p·Δ^p·max|σ^{(p)}| ≤ target (Poisson: h' = h; squared: any). */
function gradDelta(name: ScalarName, p: number, target: number, range: number): number {
  if (name !== "logistic") return chooseDelta(name, p, target, range);
  return Math.pow(target / (spreadConstant(p) * SIGMOID_MAX[p]), 1 / p);
}

export function runConvolution(ds: Dataset, model: Model, family: Family, alpha: number, beta: number, o: RunOptions): ConvolutionRun {
  const name = requireLinearScalar(model, family, "convolution");
  const { tol, p } = o;
  const n = ds.n;
  if (o.pairs === "distinct" && n < 2) throw new RangeError("distinct pairs need n ≥ 2");
  const z = scores(ds, model, o.scores);
  const y = ds.y;
  let zmin = Infinity, zmax = -Infinity, imin = 0, imax = 0;
  for (let i = 0; i < n; i++) {
    if (z[i] < zmin) (zmin = z[i]), (imin = i);
    if (z[i] > zmax) (zmax = z[i]), (imax = i);
  }
  // the span of the scores, formed without overflowing where it is representable (gridBins)
  const range = 2 * (zmax / 2 - zmin / 2);
  if (!Number.isFinite(range)) {
    const r = Math.abs(zmax) >= Math.abs(zmin) ? imax + 1 : imin + 1;
    throw new OverflowError(r, `row ${r}: the scores run from ${zmin} (row ${imin + 1}) to ${zmax} (row ${imax + 1}); their span is beyond float64, so no score grid can hold them`);
  }
  if (name === "poisson" && Math.exp(zmax) === Infinity) {
    const r = rowOfMaxAbs(z);
    throw new OverflowError(r, `Poisson loss overflows: e^z at row ${r} is beyond the float64 range`);
  }
  // spreading target: tol/32 per unit pair weight (logistic: absolute; Poisson: relative to e^w)
  let delta = o.delta ?? chooseDelta(name, p, tol / 32, range);
  if (o.grad && o.delta === undefined) delta = Math.min(delta, gradDelta(name, p, tol / 32, range));
  const setup = lambdaSetup(alpha, beta, o.form);
  let reached = 0;
  const onPiece =
    o.onProgress === undefined
      ? undefined
      : (covered: number, hi: number) => {
          const f = covered / hi;
          if (f > reached && f < 1) {
            reached = f;
            o.onProgress!(f, 1);
          }
        };
  for (let attempt = 0; ; attempt++) {
    const bins = gridBins(zmin, zmax, delta);
    if (!(bins <= MAX_GRID_BINS)) {
      throw new InputError("--method", `--method convolution: the scores span ${range.toPrecision(4)} (rows ${imin + 1} to ${imax + 1}), ${binsText(bins)} grid bins at step ${delta.toPrecision(3)} (limit ${MAX_GRID_BINS}); use --method pairs`);
    }
    const sums = new ConvolutionPairSums(z, y, name, { delta, p });
    const points = o.grad ? new ConvolutionPointSums(sums.unitGrid(), n, name, { delta, p }) : null;
    const V = points === null ? 0 : points.grid.size;
    const res = integrateLambdaVector(
      (lam, om, vec) => {
        const v = sums.at(lam, om, setup.mode);
        if (points === null) return { value: v.value, abs: v.abs, err: v.err, vecErr: 0 };
        const r = points.at(lam, om, vec);
        return { value: v.value, abs: v.abs, err: v.err, vecErr: r.fftErr };
      },
      V,
      setup.comps,
      setup.domainHi,
      tol,
      o.N,
      onPiece,
    );
    // a posteriori: the local bound over the actual pairs; refine the grid once or twice if it is above tol/8
    const done = o.delta !== undefined || attempt >= 2 || res.nodeErr <= (tol / 8) * res.abs || !(res.abs > 0);
    const shrink = done ? 1 : Math.pow(Math.max((tol / 32) * res.abs / res.nodeErr, 1e-6), 1 / p);
    if (done || !(shrink < 0.999)) {
      o.onProgress?.(1, 1);
      return { name, z, delta, mode: setup.mode, sums, points, res };
    }
    delta *= shrink;
  }
}

/** value, errorEstimate and meanAbsLoss of a convolution run, with the distinct-pairs correction. */
export function convolutionValue(
  family: Family,
  z: Float64Array,
  y: Float64Array,
  res: { value: number; quadErr: number; nodeErr: number; abs: number },
  pairs: "all" | "distinct",
): { value: number; errorEstimate: number; meanAbsLoss: number } {
  let value = res.value;
  let err = res.quadErr + res.nodeErr + 4 * EPS * res.abs;
  let abs = res.abs;
  if (pairs === "distinct") {
    // the n diagonal pairs are l(z_i, y_i) exactly (λz_i + (1−λ)z_i = z_i, label y_i in both forms)
    const n = z.length;
    const d = diagonal(family, z, y);
    const f = n / (n - 1);
    value = f * value - d.sum / (n * (n - 1));
    err = f * err + 4 * EPS * Math.abs(value);
    abs = f * abs;
  }
  return { value, errorEstimate: err, meanAbsLoss: abs };
}
