import type { ScalarFamily } from "./types.js";

/**
 * Poisson loss in the paper's form l(z, y) = h(z) − y·z with h = exp (docs/theory.md §2.2, table): the negative
 * log-likelihood of a Poisson count with log-rate z, with the label-only term log y! dropped.
 * h = h' = h'' = exp. Labels: y ≥ 0 (counts, or mixed counts).
 *
 * Overflow: e^z is +∞ for z > ~709.78; the family functions return it and callers check.
 */

export function poissonH(z: number): number {
  return Math.exp(z);
}

/**
 * l(z, y) = e^z − y·z. When e^z overflows the true value overflows as well (for any finite y ≥ 0,
 * y·z < e^z once z > ~720), so return +∞ instead of the NaN that ∞ − ∞ would give when y·z also overflows.
 */
export function poissonLoss(z: number, y: number): number {
  const e = Math.exp(z);
  if (e === Infinity) return Infinity;
  return e - y * z;
}

/** ∂l/∂z = e^z − y. */
export function poissonDloss(z: number, y: number): number {
  return Math.exp(z) - y;
}

export function poissonLabelError(y: number): string | null {
  return y >= 0 && y < Infinity ? null : "outside [0, ∞)";
}

export const poisson: ScalarFamily = {
  name: "poisson",
  vector: false,
  h: poissonH,
  h1: poissonH,
  h2: poissonH,
  // e^{z+δ} − e^z = e^z·expm1(δ)
  hDiff: (z: number, d: number) => Math.exp(z) * Math.expm1(d),
  loss: poissonLoss,
  dloss: poissonDloss,
  labelError: poissonLabelError,
  note: "Poisson loss e^f − y·f: the negative log-likelihood with log y! dropped",
};
