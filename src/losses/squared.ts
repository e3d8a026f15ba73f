import type { ScalarFamily } from "./types.js";

/**
 * Squared loss in the paper's form l(z, y) = h(z) − y·z with h(z) = z²/2 (docs/theory.md §2.2, table):
 * l = ½(z − y)² − ½y², the MSE less a label-only term. It can be negative, and the Mixup average of this
 * loss differs from "Mixup-MSE" by a constant that depends on α; outputs must say so (the `note`).
 * Labels: any finite real.
 *
 * Overflow: z²/2 exceeds the float64 range for |z| ≳ 1.9e154. The family functions return ±Infinity (or
 * NaN for ∞ − ∞ inputs) as computed; callers (`standardLoss`, the Mixup quadratures) check finiteness and
 * report the row.
 */

export function squaredH(z: number): number {
  return 0.5 * z * z;
}

export function squaredH1(z: number): number {
  return z;
}

export function squaredH2(_z: number): number {
  return 1;
}

/**
 * l(z, y) = z·(z/2 − y). Same value as z²/2 − y·z, but z/2 is exact and the difference is rounded once,
 * so the result has relative error ≤ 2ε even where z²/2 and y·z nearly cancel (z ≈ 2y), and it stays
 * finite in cases like z = y = 1e200 where both naive terms would overflow (true value −5e399 → −∞ only
 * if it really overflows).
 */
export function squaredLoss(z: number, y: number): number {
  return z * (0.5 * z - y);
}

/** ∂l/∂z = z − y. */
export function squaredDloss(z: number, y: number): number {
  return z - y;
}

export function squaredLabelError(y: number): string | null {
  return Number.isFinite(y) ? null : "not a finite number";
}

export const squared: ScalarFamily = {
  name: "squared",
  vector: false,
  h: squaredH,
  h1: squaredH1,
  h2: squaredH2,
  // (z+δ)²/2 − z²/2 = δ(z + δ/2)
  hDiff: (z: number, d: number) => d * (z + d / 2),
  loss: squaredLoss,
  dloss: squaredDloss,
  labelError: squaredLabelError,
  note: "½(f−y)² − ½y²: the MSE less a label-only term",
};
