import type { Dataset } from "../core/dataset.js";
import { lossOverflow } from "../losses/index.js";
import type { Family, ScalarFamily } from "../losses/types.js";
import type { Model } from "../models/types.js";
import { adversarialRadius, checkEps, checkNorm, type Norm } from "./ball.js";
import { checkRobustProblem } from "./lossGrad.js";

/**
 * Result shapes of the robustness quantities. A quantity that is undefined (no closed form, accuracy of a
 * regression loss) or not finite (a loss that overflows float64 at an attacked point) is `value: null`
 * with a one-line `reason`, never NaN or ±Infinity.
 */
export interface Quantity {
  readonly value: number | null;
  readonly reason?: string;
}

/** A quantity over the paper's ball at ε: states the radius it used (ε for ℓ∞, ε√d for ℓ2). */
export interface BallQuantity extends Quantity {
  readonly eps: number;
  readonly radius: number;
  readonly norm: Norm;
}

/** Per-row values over the ball (null with a reason when the quantity does not exist for this model). */
export interface BallPerRow {
  readonly values: Float64Array | null;
  readonly reason?: string;
  readonly eps: number;
  readonly radius: number;
  readonly norm: Norm;
}

/**
 * The mean of per-row loss values (Neumaier sum), or null with the reason for the first row whose value is
 * not finite, e.g. "row 3: the poisson loss is Infinity (not finite) at score 812, label 1". `scores` holds the
 * score (n×K) at which each row's value was taken, for the message.
 */
export function meanOfLosses(
  values: Float64Array,
  family: Family,
  scores: ArrayLike<number>,
  y: ArrayLike<number>,
  K: number,
  what: string,
): Quantity {
  let s = 0;
  let c = 0;
  const n = values.length;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      const msg = lossOverflow(family, scores, i * K, y, i * K, K, i, v).message;
      return { value: null, reason: `${what}: ${msg}` };
    }
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
  }
  return { value: (s + c) / n };
}

/**
 * The mean over rows of a one-output worst case over the ball: `rows(worst)` fills the per-row values and
 * their worst-case scores; a missing closed form or bound passes through as null with its reason, an
 * overflowing row as null naming the row ("<what> at ε = …, radius …: row i: …").
 */
export function ballMean(
  family: Family,
  y: ArrayLike<number>,
  n: number,
  what: string,
  rows: (worst: Float64Array) => BallPerRow,
): BallQuantity {
  const worst = new Float64Array(n);
  const pr = rows(worst);
  const { eps, radius, norm } = pr;
  if (pr.values === null) return { value: null, reason: pr.reason, eps, radius, norm };
  const q = meanOfLosses(pr.values, family, worst, y, 1, `${what} at ε = ${eps} (radius ${radius})`);
  return { ...q, eps, radius, norm };
}

/**
 * Per-row worst cases over score intervals: row i's score ranges over [out[0], out[1]] (filled by
 * the filler below), and a scalar loss of one score with a fixed label is largest at an end
 * (convex in the score), so the row's value is max(l(lo), l(hi)); the worst-case score goes into `worst`
 * when given. `intervalsAt(radius)` returns the filler of row i's interval at that radius. The exact adversarial loss (linear: z ± ρ) and the certified bound (interval propagation)
 * differ only in the interval. `unavailable` gives the reason when the model/family has no such interval.
 */
export function intervalWorstRows(
  ds: Dataset,
  model: Model,
  family: Family,
  eps: number,
  norm: Norm,
  worst: Float64Array | null,
  unavailable: (model: Model, family: Family) => string | null,
  intervalsAt: (radius: number) => (i: number, out: Float64Array) => void,
): BallPerRow {
  checkEps(eps);
  checkNorm(norm);
  checkRobustProblem(ds, model, family);
  const radius = adversarialRadius(eps, ds.d, norm);
  const reason = unavailable(model, family);
  if (reason !== null) return { values: null, reason, eps, radius, norm };
  const interval = intervalsAt(radius);
  const fam = family as ScalarFamily;
  const values = new Float64Array(ds.n);
  const iv = new Float64Array(2);
  for (let i = 0; i < ds.n; i++) {
    interval(i, iv);
    const y = ds.y[i];
    const lo = fam.loss(iv[0], y);
    const hi = fam.loss(iv[1], y);
    // +∞ wins; NaN cannot arise for finite ends
    values[i] = lo > hi ? lo : hi;
    if (worst !== null) worst[i] = lo > hi ? iv[0] : iv[1];
  }
  return { values, eps, radius, norm };
}
