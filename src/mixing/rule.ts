/**
 * Shared types of `mixing/`: quadrature rules on [0,1] and finite mixtures of Beta laws.
 * (docs/theory.md §2.4–§2.5: every Mixup expectation is an integral over λ ∈ [0,1] against a Beta or D̃ weight.)
 */

/**
 * A quadrature rule on [0,1]: Σ_k w[k]·g(x[k]) ≈ E[g(λ)] for the rule's law of λ.
 * Rules returned by this folder are cached and shared: callers must not mutate the arrays.
 */
export interface Rule {
  readonly x: Float64Array;
  readonly w: Float64Array;
}

/**
 * A rule that also carries the complements y[k] = 1 − x[k], each computed to full *relative*
 * accuracy (a node 1 − 1e-12 cannot be stored in x to better than ~1e-4 relative in 1 − x, but y can).
 * Use y wherever (1 − λ) is raised to a power, logged or divided by.
 */
export interface JacobiRule extends Rule {
  readonly y: Float64Array;
}

/** One component c·Beta(a, b) of a mixture: weight c ∈ (0,1], shapes a, b > 0. */
export interface BetaComponent {
  c: number;
  a: number;
  b: number;
}

/** A finite mixture Σ_i c_i·Beta(a_i, b_i) with Σ c_i = 1 (docs/theory.md §2.5: D̃ is a two-component one). */
export interface BetaMixture {
  components: BetaComponent[];
}
