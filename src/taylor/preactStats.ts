import { syrkUpper } from "../core/gemm.js";

/**
 * Mean and population covariance of the n rows of U (n×p row-major): the first-layer statistics that
 * Lemma 3.1 needs (paper.md §3). With u = Ax + a the first linear map of the model,
 *   E_r[A(r − x_i)] = ū − u_i   and   E_r[A(r − x_i)(r − x_i)ᵀAᵀ] = G + (ū − u_i)(ū − u_i)ᵀ,
 * where G = A Σ_c Aᵀ (W Σ_c Wᵀ for a two-layer net, θ Σ_c θᵀ for a linear one) is exactly the covariance
 * of the pre-activations. Computing G from U directly costs O(n p²) and never forms the d×d Σ_c.
 * Two passes (mean, then centred products) avoid the cancellation of E[uuᵀ] − ūūᵀ.
 */
export interface PreactStats {
  /** ū, length p */
  mean: Float64Array;
  /** G, p×p row-major, symmetric, divided by n (population covariance, as Σ_c in the paper) */
  cov: Float64Array;
}

export function preactStats(U: ArrayLike<number>, n: number, p: number): PreactStats {
  const mean = new Float64Array(p);
  for (let i = 0; i < n; i++) for (let r = 0; r < p; r++) mean[r] += U[i * p + r];
  for (let r = 0; r < p; r++) mean[r] /= n;
  // one correction pass: Σ(u − ū)/n is formed from exact differences, so a constant column gets its
  // value back exactly (the plain mean can be an ulp off, which would leave a spurious 1e-34 variance)
  const corr = new Float64Array(p);
  for (let i = 0; i < n; i++) for (let r = 0; r < p; r++) corr[r] += U[i * p + r] - mean[r];
  for (let r = 0; r < p; r++) mean[r] += corr[r] / n;
  const cov = syrkUpper(U, n, p, new Float64Array(p * p), null, mean);
  for (let k = 0; k < p * p; k++) cov[k] /= n;
  return { mean, cov };
}
