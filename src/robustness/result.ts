import { lossOverflow } from "../losses/index.js";
import type { Family } from "../losses/types.js";
import type { Norm } from "./ball.js";

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
