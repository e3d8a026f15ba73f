import type { Dataset } from "../core/dataset.js";
import { checkTol } from "../core/constants.js";
import { OverflowError } from "../core/errors.js";
import { pow2Above } from "../core/pow2.js";
import type { Model } from "../models/types.js";
import { gradX, outputAt } from "../models/index.js";

/**
 * The assumptions of Theorems 3.1 and 3.2 (docs/theory.md §3.6): (a) centered data, (b) ‖x_i‖₂ ≥ c_x√d,
 * (c) θ ∈ Θ = {θ : (2y_i − 1) f_θ(x_i) ≥ 0 ∀i} with labels in {0, 1}; and the angle R between each input
 * gradient and its input. Data are never centered silently: callers test and say so.
 *
 * Norms are taken in units of a power of two (exact scaling), so rows of 1e160 or 1e305 (whose squares
 * overflow) give the right answer instead of ∞ ≤ ∞ ("centered") or 0·∞ (NaN); every comparison is written
 * so that a NaN reads as "not met".
 */

/** ‖v[off..off+len)‖₂ / S for a scale S ≥ max|v| (so the sum of squares is at most len). */
function normOver(v: ArrayLike<number>, off: number, len: number, S: number): number {
  let s = 0;
  for (let k = 0; k < len; k++) {
    const t = v[off + k] / S;
    s += t * t;
  }
  return Math.sqrt(s);
}

/** ‖x̄‖₂ ≤ tol·max_i ‖x_i‖₂ (default tol 1e-12, checked with checkTol): (a) up to rounding. */
export function isCentered(ds: Dataset, tol = 1e-12): boolean {
  const t = checkTol(tol);
  const { n, d, X } = ds;
  const S = pow2Above(X, 0, n * d);
  // the mean of the scaled features (each |x/S| ≤ 1, so no sum overflows), compensated
  const mean = new Float64Array(d);
  const comp = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) {
      const v = X[i * d + k] / S;
      const u = mean[k] + v;
      comp[k] += Math.abs(mean[k]) >= Math.abs(v) ? mean[k] - u + v : v - u + mean[k];
      mean[k] = u;
    }
  }
  for (let k = 0; k < d; k++) mean[k] = (mean[k] + comp[k]) / n;
  let maxNorm = 0;
  for (let i = 0; i < n; i++) maxNorm = Math.max(maxNorm, normOver(X, i * d, d, S));
  return normOver(mean, 0, d, 1) <= t * maxNorm;
}

/** ‖x_i‖₂/√d without overflow: (max|x_ik|)·√(Σ(x_ik/max)²/d), at most max|x_ik|. */
function rowNormOverSqrtD(ds: Dataset, i: number): number {
  const S = pow2Above(ds.X, i * ds.d, ds.d);
  return S * (normOver(ds.X, i * ds.d, ds.d, S) / Math.sqrt(ds.d));
}

/** c_x = min_i ‖x_i‖₂/√d (docs/theory.md §3.6, assumption (b)); finite for every finite data set. */
export function cx(ds: Dataset): number {
  let best = Infinity;
  for (let i = 0; i < ds.n; i++) best = Math.min(best, rowNormOverSqrtD(ds, i));
  return best;
}

/** Assumption (c): every training point on the correct side. `violating` lists 1-based rows. */
export interface InTheta {
  holds: boolean;
  violating: number[];
}

/** Rows listed in reports (JSON, tables): the first ones only; at n = 4·10⁶ the whole list was 19 MB of JSON. */
export const VIOLATING_ROWS_LISTED = 20;

/** Assumption (c) as reported: met, the number of violating rows, and the first VIOLATING_ROWS_LISTED of them (1-based). */
export interface InThetaReport {
  met: boolean;
  violating: number;
  violatingRows: number[];
}

export function inThetaReport(t: InTheta): InThetaReport {
  return { met: t.holds, violating: t.violating.length, violatingRows: t.violating.slice(0, VIOLATING_ROWS_LISTED) };
}

/** "rows 1, 2, 4 are on the wrong side", naming at most 10 rows and then the count. */
export function wrongSideText(t: { violating: number; violatingRows: readonly number[] }): string {
  const shown = t.violatingRows.slice(0, 10);
  const more = t.violating > shown.length;
  return `rows ${shown.join(", ")}${more ? ", …" : ""} are on the wrong side${more ? ` (${t.violating} in all)` : ""}`;
}

/**
 * θ ∈ Θ: (2y_i − 1)·f(x_i) ≥ 0 for every row (docs/theory.md §3.6 (c)); labels must be in {0, 1} (the CLI
 * rejects others for `theorem`). A scalar-output model. A score that is NaN counts as violating.
 */
export function inTheta(model: Model, ds: Dataset): InTheta {
  const f = new Float64Array(model.K);
  const violating: number[] = [];
  for (let i = 0; i < ds.n; i++) {
    outputAt(model, ds.X, i * ds.d, f, 0);
    if (!((2 * ds.y[i] - 1) * f[0] >= 0)) violating.push(i + 1);
  }
  return { holds: violating.length === 0, violating };
}

/**
 * R = min_i |cos(∇f(x_i), x_i)| (docs/theory.md §3.6); a row where ∇f(x_i) or x_i is the zero vector has cosine 0
 * (then R = 0 and ε_mix = 0), never NaN. Both vectors are scaled by powers of two first, so rows of 1e305
 * give their true cosine. An input gradient that is not finite in float64 is an OverflowError naming the row.
 */
export function Rcos(model: Model, ds: Dataset): number {
  const { d } = ds;
  const g = new Float64Array(d);
  let best = Infinity;
  for (let i = 0; i < ds.n; i++) {
    gradX(model, ds.X, i * d, g, 0);
    for (let k = 0; k < d; k++) {
      if (!Number.isFinite(g[k])) {
        throw new OverflowError(i + 1, `row ${i + 1}: the input gradient ∇f(x) is not finite in float64 (component ${k + 1} is ${g[k]})`);
      }
    }
    const sg = pow2Above(g, 0, d);
    const sx = pow2Above(ds.X, i * d, d);
    let dot = 0;
    let gg = 0;
    let xx = 0;
    for (let k = 0; k < d; k++) {
      const a = g[k] / sg;
      const x = ds.X[i * d + k] / sx;
      dot += a * x;
      gg += a * a;
      xx += x * x;
    }
    const c = gg === 0 || xx === 0 ? 0 : Math.abs(dot) / (Math.sqrt(gg) * Math.sqrt(xx));
    best = Math.min(best, Math.min(c, 1));
  }
  return best;
}
