import { blockMoments, blockPlan, mergeMoments } from "./sums.js";

/**
 * Mean and population covariance of the n rows of U (n×p row-major): the first-layer statistics that
 * Lemma 3.1 needs (docs/theory.md §3.1). With u = Ax + a the first linear map of the model,
 *   E_r[A(r − x_i)] = ū − u_i   and   E_r[A(r − x_i)(r − x_i)ᵀAᵀ] = G + (ū − u_i)(ū − u_i)ᵀ,
 * where G = A Σ_c Aᵀ (W Σ_c Wᵀ for a two-layer net, θ Σ_c θᵀ for a linear one) is exactly the covariance
 * of the pre-activations. Computing G from U directly costs O(n p²) and never forms the d×d Σ_c.
 * Two passes (mean, then centred products) avoid the cancellation of E[uuᵀ] − ūūᵀ; they run per fixed
 * block of rows and the blocks are merged exactly (sums.ts), as taylorSums does, so the bytes agree.
 */
export interface PreactStats {
  /** ū, length p */
  mean: Float64Array;
  /** G, p×p row-major, symmetric, divided by n (population covariance, as Σ_c in the paper) */
  cov: Float64Array;
}

export function preactStats(U: ArrayLike<number>, n: number, p: number): PreactStats {
  const blocks = blockPlan(n).map(([i0, i1]) => blockMoments(U, i0, i1, p));
  const { mean, cov } = mergeMoments(blocks, p);
  return { mean, cov };
}
