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
import { lambdaSetup, MAX_GRID_BINS, requireLinearScalar, rowOfMaxAbs, scores } from "./common.js";
import { integrateLambdaVector, type LambdaVectorResult } from "./lambdaVector.js";
import { chooseDelta, ConvolutionPairSums, spreadConstant, type LabelMode, type ScalarName } from "./pairSums.js";
import { ConvolutionPointSums, SIGMOID_MAX } from "./pointSums.js";

export interface RunOptions {
  tol: number;
  form: MixupForm;
  p: number;
  delta?: number;
  N: number;
  /** also integrate the per-point sums (the gradient) */
  grad: boolean;
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
  let delta = o.delta ?? chooseDelta(name, p, tol / 32, range);
  if (o.grad && o.delta === undefined) delta = Math.min(delta, gradDelta(name, p, tol / 32, range));
  const setup = lambdaSetup(alpha, beta, o.form);
  for (let attempt = 0; ; attempt++) {
    if (range / delta > MAX_GRID_BINS) {
      throw new InputError("--method", `--method convolution: the scores span ${range.toPrecision(4)}, ${Math.ceil(range / delta)} grid bins at step ${delta.toPrecision(3)} (limit ${MAX_GRID_BINS}); use --method pairs`);
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
    );
    // a posteriori: the local bound over the actual pairs; refine the grid once or twice if it is above tol/8
    const done = o.delta !== undefined || attempt >= 2 || res.nodeErr <= (tol / 8) * res.abs || !(res.abs > 0);
    const shrink = done ? 1 : Math.pow(Math.max((tol / 32) * res.abs / res.nodeErr, 1e-6), 1 / p);
    if (done || !(shrink < 0.999)) return { name, z, delta, mode: setup.mode, sums, points, res };
    delta *= shrink;
  }
}
