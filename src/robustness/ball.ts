import { InputError } from "../core/errors.js";
import type { Rng } from "../core/rng.js";

/**
 * The attack ball around a data point (docs/theory.md §3.3). Convention: ε is always the paper's ε. The ℓ∞ ball has
 * radius ε; the ℓ2 ball has radius ε√d, so it contains the ℓ∞ ball of radius ε (‖δ‖₂ ≤ √d‖δ‖_∞, docs/theory.md §3.3
 * [exact]). Every output states the radius it used.
 */
export type Norm = "inf" | "2";

/** Every norm name, in the order used for messages. */
export const NORMS: readonly Norm[] = ["inf", "2"];

/** True when `name` is a norm name ("inf" or "2"), for parsing user input. */
export function isNorm(name: unknown): name is Norm {
  return name === "inf" || name === "2";
}

/** Throws an InputError naming `where` unless ε is a finite number ≥ 0. */
export function checkEps(eps: number, where = "eps"): void {
  if (!(Number.isFinite(eps) && eps >= 0)) {
    throw new InputError(where, `${where}: ε must be a finite number ≥ 0, got ${String(eps)}`);
  }
}

/** Throws an InputError naming `where` unless `norm` is "inf" or "2". */
export function checkNorm(norm: unknown, where = "norm"): asserts norm is Norm {
  if (!isNorm(norm)) throw new InputError(where, `${where}: "${String(norm)}" is not one of ${NORMS.join(", ")}`);
}

/** The radius of the paper's ball at ε in dimension d: ε for ℓ∞, ε√d for ℓ2 (docs/theory.md §3.3). */
export function adversarialRadius(eps: number, d: number, norm: Norm): number {
  checkEps(eps);
  checkNorm(norm);
  return norm === "inf" ? eps : eps * Math.sqrt(d);
}

/**
 * The dual norm of w = w[off..off+d): ‖w‖₁ for the ℓ∞ ball, ‖w‖₂ for the ℓ2 ball, so that
 * max_{‖δ‖ ≤ r} wᵀδ = r·dualNorm(w). ‖w‖₂ is computed scaled by max|w_j| (no overflow or underflow).
 */
export function dualNorm(w: ArrayLike<number>, off: number, d: number, norm: Norm): number {
  if (norm === "inf") {
    let s = 0;
    for (let j = 0; j < d; j++) s += Math.abs(w[off + j]);
    return s;
  }
  return norm2(w, off, d);
}

/** ‖w[off..off+d)‖₂, scaled by the largest |w_j| so that neither overflow nor underflow loses it. */
export function norm2(w: ArrayLike<number>, off: number, d: number): number {
  let big = 0;
  for (let j = 0; j < d; j++) {
    const a = Math.abs(w[off + j]);
    if (a > big) big = a;
  }
  if (big === 0 || !Number.isFinite(big)) return big;
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = w[off + j] / big;
    s += t * t;
  }
  return big * Math.sqrt(s);
}

/**
 * Projects x[xOff..xOff+d) in place onto the ball of radius r around c[cOff..cOff+d): clipping each
 * coordinate for ℓ∞, scaling δ = x − c by r/‖δ‖₂ when ‖δ‖₂ > r for ℓ2. No allocation.
 */
export function projectOntoBall(
  x: Float64Array,
  xOff: number,
  c: ArrayLike<number>,
  cOff: number,
  d: number,
  r: number,
  norm: Norm,
): void {
  if (norm === "inf") {
    for (let j = 0; j < d; j++) {
      const lo = c[cOff + j] - r;
      const hi = c[cOff + j] + r;
      const v = x[xOff + j];
      x[xOff + j] = v < lo ? lo : v > hi ? hi : v;
    }
    return;
  }
  let big = 0;
  for (let j = 0; j < d; j++) {
    const a = Math.abs(x[xOff + j] - c[cOff + j]);
    if (a > big) big = a;
  }
  if (big === 0) return;
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = (x[xOff + j] - c[cOff + j]) / big;
    s += t * t;
  }
  const len = big * Math.sqrt(s);
  if (len <= r) return;
  const k = r / len;
  for (let j = 0; j < d; j++) x[xOff + j] = c[cOff + j] + (x[xOff + j] - c[cOff + j]) * k;
}

/**
 * A uniform random point of the ball of radius r around c[cOff..cOff+d), into out[outOff..outOff+d):
 * ℓ∞: c_j + r(2u_j − 1) per coordinate; ℓ2: c + r·U^{1/d}·g/‖g‖₂ with g standard normal (a uniform direction)
 * and U uniform. Draws from `rng` only; no allocation (the direction is written into out first).
 */
export function randomPointInBall(
  rng: Rng,
  c: ArrayLike<number>,
  cOff: number,
  d: number,
  r: number,
  norm: Norm,
  out: Float64Array,
  outOff: number,
): void {
  if (norm === "inf") {
    for (let j = 0; j < d; j++) out[outOff + j] = c[cOff + j] + r * (2 * rng.uniform() - 1);
    return;
  }
  let len = 0;
  while (len === 0) {
    for (let j = 0; j < d; j++) out[outOff + j] = rng.normal();
    len = norm2(out, outOff, d);
  }
  const k = (r * Math.pow(rng.uniform(), 1 / d)) / len;
  for (let j = 0; j < d; j++) out[outOff + j] = c[cOff + j] + k * out[outOff + j];
}
