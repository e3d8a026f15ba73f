import type { Dataset } from "../core/dataset.js";
import { featureMean } from "../core/dataset.js";
import type { Model } from "../models/types.js";
import { gradX, outputAt } from "../models/index.js";

/**
 * The assumptions of Theorems 3.1 and 3.2 (paper.md §4): (a) centered data, (b) ‖x_i‖₂ ≥ c_x√d,
 * (c) θ ∈ Θ = {θ : (2y_i − 1) f_θ(x_i) ≥ 0 ∀i} with labels in {0, 1}; and the angle R between each input
 * gradient and its input. Data are never centered silently: callers test and say so.
 */

/** ‖x̄‖₂ ≤ tol·max_i ‖x_i‖₂ (default tol 1e-12): (a) up to rounding. */
export function isCentered(ds: Dataset, tol = 1e-12): boolean {
  const mean = featureMean(ds);
  let m = 0;
  for (let k = 0; k < ds.d; k++) m += mean[k] * mean[k];
  return Math.sqrt(m) <= tol * maxNorm(ds);
}

function maxNorm(ds: Dataset): number {
  let best = 0;
  for (let i = 0; i < ds.n; i++) best = Math.max(best, rowNorm(ds, i));
  return best;
}

function rowNorm(ds: Dataset, i: number): number {
  let s = 0;
  for (let k = 0; k < ds.d; k++) s += ds.X[i * ds.d + k] ** 2;
  return Math.sqrt(s);
}

/** c_x = min_i ‖x_i‖₂/√d (paper.md §4, assumption (b)). */
export function cx(ds: Dataset): number {
  let best = Infinity;
  for (let i = 0; i < ds.n; i++) best = Math.min(best, rowNorm(ds, i));
  return best / Math.sqrt(ds.d);
}

/** Assumption (c): every training point on the correct side. `violating` lists 1-based rows. */
export interface InTheta {
  holds: boolean;
  violating: number[];
}

/**
 * θ ∈ Θ: (2y_i − 1)·f(x_i) ≥ 0 for every row (paper.md §4 (c)); labels must be in {0, 1} (the CLI
 * rejects others for `theorem`). A scalar-output model.
 */
export function inTheta(model: Model, ds: Dataset): InTheta {
  const f = new Float64Array(model.K);
  const violating: number[] = [];
  for (let i = 0; i < ds.n; i++) {
    outputAt(model, ds.X, i * ds.d, f, 0);
    if ((2 * ds.y[i] - 1) * f[0] < 0) violating.push(i + 1);
  }
  return { holds: violating.length === 0, violating };
}

/**
 * R = min_i |cos(∇f(x_i), x_i)| (paper.md §4); a row where ∇f(x_i) or x_i is the zero vector has cosine 0
 * (then R = 0 and ε_mix = 0), never NaN. A scalar-output model.
 */
export function Rcos(model: Model, ds: Dataset): number {
  const { d } = ds;
  const g = new Float64Array(d);
  let best = Infinity;
  for (let i = 0; i < ds.n; i++) {
    gradX(model, ds.X, i * d, g, 0);
    let dot = 0;
    let gg = 0;
    let xx = 0;
    for (let k = 0; k < d; k++) {
      const x = ds.X[i * d + k];
      dot += g[k] * x;
      gg += g[k] * g[k];
      xx += x * x;
    }
    const c = gg === 0 || xx === 0 ? 0 : Math.abs(dot) / (Math.sqrt(gg) * Math.sqrt(xx));
    best = Math.min(best, Math.min(c, 1));
  }
  return best;
}
