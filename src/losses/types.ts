/**
 * Loss families in the paper's form l(θ,(x,y)) = h(f_θ(x)) − y·f_θ(x) (docs/theory.md §2.2): affine in y.
 */
export type LossName = "logistic" | "squared" | "poisson" | "softmax";

/** A family with a scalar score z = f(x) ∈ R. */
export interface ScalarFamily {
  readonly name: "logistic" | "squared" | "poisson";
  readonly vector: false;
  /** h(z) */
  h(z: number): number;
  /** h'(z) */
  h1(z: number): number;
  /** h''(z) */
  h2(z: number): number;
  /** h(z + δ) − h(z), relatively accurate however small δ is (Lemma 3.1's remainder, taylor/directRemainder.ts) */
  hDiff(z: number, delta: number): number;
  /** l(z, y) = h(z) − y·z, evaluated without cancellation (logistic: (1−y)softplus(z) + y·softplus(−z)). */
  loss(z: number, y: number): number;
  /** ∂l/∂z = h'(z) − y */
  dloss(z: number, y: number): number;
  /** null when y is in the family's label domain, else a short reason ("must be in [0, 1]"). */
  labelError(y: number): string | null;
  /** One-line note for outputs (e.g. squared: "½(f−y)² − ½y²: the MSE less a label-only term"). */
  readonly note: string;
}

/** Softmax cross-entropy for K classes: h = logSumExp, y one-hot or soft (a point of the simplex). */
export interface VectorFamily {
  readonly name: "softmax";
  readonly vector: true;
  /** l(z, y) = logSumExp(z) − Σ_k y_k z_k for z = z[zOff..zOff+K), y = y[yOff..yOff+K). */
  loss(z: ArrayLike<number>, zOff: number, K: number, y: ArrayLike<number>, yOff: number): number;
  /** ∂l/∂z = softmax(z) − y into out[outOff..outOff+K). */
  dloss(z: ArrayLike<number>, zOff: number, K: number, y: ArrayLike<number>, yOff: number, out: Float64Array, outOff: number): void;
  /** h(z) = logSumExp(z) */
  h(z: ArrayLike<number>, zOff: number, K: number): number;
  /** h'(z) = softmax(z) into out */
  h1(z: ArrayLike<number>, zOff: number, K: number, out: Float64Array, outOff: number): void;
  /** h(z + δ) − h(z) = log1p(Σ_k p_k·expm1(δ_k)), p = softmax(z), for z = z[zOff..), δ = delta[dOff..) */
  hDiff(z: ArrayLike<number>, zOff: number, K: number, delta: ArrayLike<number>, dOff: number): number;
  /** h''(z) = diag(p) − ppᵀ into out (K×K row-major) */
  h2(z: ArrayLike<number>, zOff: number, K: number, out: Float64Array, outOff: number): void;
  /** null when y[yOff..yOff+K) is a point of the simplex (entries ≥ 0, sum 1 within 1e-9), else the reason. */
  labelError(y: ArrayLike<number>, yOff: number, K: number): string | null;
  readonly note: string;
}

export type Family = ScalarFamily | VectorFamily;
