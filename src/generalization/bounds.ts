/**
 * The bounds of Section 4 (docs/theory.md §4.4–§4.6) [reconstructed].
 */

/**
 * Theorem 4.1: Rad_n(W_γ) ≤ max{(γ/ρ)^{1/4}, (γ/ρ)^{1/2}}·√(rank/n). `s` = max{(γ/ρ)^{1/2}, γ/ρ} is the
 * ellipsoid {θᵀΣ̂θ ≤ s} that contains W_γ when the data are ρ-retentive; value = √s·√(rank/n).
 * `use: "min"` is the deliberately wrong variant of the negative control.
 */
export function theorem41Bound(gamma: number, rho: number, rank: number, n: number, use: "max" | "min" = "max"): { value: number; s: number } {
  const g = gamma / rho;
  const pick = use === "max" ? Math.max : Math.min;
  const s = pick(Math.sqrt(g), g);
  return { value: Math.sqrt(s) * Math.sqrt(rank / n), s };
}

/** The ridge counterpart: Rad of {‖θ‖² ≤ γ} ≤ √(γ·tr Σ̂/n) (Jensen on the exact supremum). */
export function ridgeBound(gamma: number, traceSigma: number, n: number): number {
  return Math.sqrt((gamma * traceSigma) / n);
}

/**
 * The generalization bound in its empirical form: with probability ≥ 1 − δ, for every θ of the class,
 *   L(θ) ≤ L_n(θ) + 2·Lip·Rad_S + 3·B·√(log(2/δ)/(2n)),
 * Lip the Lipschitz constant of the loss in the score, B a bound on the loss over the domain. Returns the
 * excess over L_n (the bound on test − train).
 */
export function generalizationGapBound(o: { lip: number; rademacher: number; lossBound: number; n: number; delta: number }): number {
  return 2 * o.lip * o.rademacher + 3 * o.lossBound * Math.sqrt(Math.log(2 / o.delta) / (2 * o.n));
}

/** A γ chosen after training: the bound at confidence δ over a grid of G values of γ holds for each at δ/G. */
export function unionBoundDelta(delta: number, gridSize: number): number {
  return delta / gridSize;
}

/** Logistic loss on labels in [0, 1] with |score| ≤ F: Lip = 1 in the score, loss ≤ softplus(F) = log(1 + e^F). */
export function logisticLossConstants(thetaBound: number, xMax: number): { lip: number; lossBound: number } {
  const F = thetaBound * xMax;
  return { lip: 1, lossBound: F > 30 ? F + Math.log1p(Math.exp(-F)) : Math.log1p(Math.exp(F)) };
}
