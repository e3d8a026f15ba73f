import { OverflowError } from "../core/errors.js";
import type { Family } from "./types.js";

/**
 * The standard (empirical) loss L_std(θ, S) = (1/n) Σ_i l(f(x_i), y_i) (docs/theory.md §2.4), from precomputed
 * scores. `scores` and `y` are n×K row-major (K = 1 for the scalar families).
 */

/** Per-row losses l(f_i, y_i) into out (length n). Values are returned as computed (may be ±∞ or NaN). */
export function lossPerRow(
  family: Family,
  scores: Float64Array,
  y: Float64Array,
  n: number,
  K: number,
  out: Float64Array = new Float64Array(n),
): Float64Array {
  if (family.vector) {
    for (let i = 0; i < n; i++) out[i] = family.loss(scores, i * K, K, y, i * K);
  } else {
    for (let i = 0; i < n; i++) out[i] = family.loss(scores[i], y[i]);
  }
  return out;
}

/**
 * Mean loss over the n rows with a compensated (Neumaier) sum, so the mean of many similar values keeps
 * full precision. Throws OverflowError naming the 1-based row and its score when a loss value is not
 * finite (squared loss for |f| ≳ 1e154, Poisson for f > ~709): a silent ∞ or NaN mean would hide which
 * row is at fault.
 */
export function standardLoss(family: Family, scores: Float64Array, y: Float64Array, n: number, K: number): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const v = family.vector ? family.loss(scores, i * K, K, y, i * K) : family.loss(scores[i], y[i]);
    if (!Number.isFinite(v)) throw lossOverflow(family, scores, i * K, y, i * K, K, i, v);
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
  }
  return (s + c) / n;
}

/**
 * The OverflowError for data row i (0-based) whose loss value v is not finite, at scores
 * z[zOff..zOff+K) and label y[yOff..yOff+K) (K = 1 for the scalar families).
 */
export function lossOverflow(
  family: Family,
  z: ArrayLike<number>,
  zOff: number,
  y: ArrayLike<number>,
  yOff: number,
  K: number,
  i: number,
  v: number,
): OverflowError {
  const score = family.vector ? formatVector(z, zOff, K) : String(z[zOff]);
  const label = family.vector ? formatVector(y, yOff, K) : String(y[yOff]);
  return new OverflowError(
    i + 1,
    `row ${i + 1}: the ${family.name} loss is ${v} (not finite) at score ${score}, label ${label}`,
  );
}

/** "(a, b, c)" for short vectors, the first 8 entries and "…" for long ones. */
export function formatVector(v: ArrayLike<number>, off: number, K: number): string {
  const parts: string[] = [];
  for (let k = 0; k < Math.min(K, 8); k++) parts.push(String(v[off + k]));
  if (K > 8) parts.push("…");
  return `(${parts.join(", ")})`;
}
