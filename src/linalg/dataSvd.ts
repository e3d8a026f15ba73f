import { pow2Above } from "../core/pow2.js";
import { applyQ, householderQr } from "./householderQr.js";
import { jacobiSvd } from "./jacobiSvd.js";

/**
 * The SVD of a data matrix X (n×d, row-major) that Section 4 needs (docs/theory.md §4.7):
 *  - sigma: the singular values, descending;
 *  - rank: numpy's matrix_rank rule, #{σ > tol} with tol = σ_max·max(n, d)·ε;
 *  - left: an orthonormal basis (n×rank, row-major) of the column space of X, in ℝⁿ (the space of sign vectors
 *    σ: the Rademacher supremum over the ellipsoid is a projection onto it);
 *  - right: an orthonormal basis (d×rank, row-major) of the row space of X = range(Σ̂), Σ̂ = XᵀX/n.
 * Method: QR with column pivoting of the taller of X and Xᵀ, then one-sided Jacobi on Rᵀ (the rows of R),
 * which converges in a few sweeps on a pivoted R (Drmač–Veselić). O(max(n,d)·min(n,d)²) flops, no d×d
 * eigenproblem of Σ̂ (whose squared singular values would lose the small ones). X is first divided by a power
 * of two S ≥ max|x| (core/pow2.ts; exact) so that its entries lie in [−1, 1]: the sums of squares inside the QR
 * and the rotations neither overflow (entries of 1e150 gave singular values off by 46%, of 1e200 NaN) nor
 * underflow (entries of 1e-200 read as rank 0); σ and tol are scaled back, the bases need no scaling.
 */
export interface DataSvd {
  readonly n: number;
  readonly d: number;
  readonly sigma: Float64Array;
  readonly rank: number;
  readonly tol: number;
  readonly left: Float64Array;
  readonly right: Float64Array;
  readonly sweeps: number;
}

export function dataSvd(X: Float64Array, n: number, d: number): DataSvd {
  // a NaN would silently stall the rotations and read as rank 0 (readers refuse such data; the API must too)
  for (let k = 0; k < n * d; k++) {
    if (!Number.isFinite(X[k])) throw new RangeError(`dataSvd: entry (${Math.floor(k / d) + 1}, ${(k % d) + 1}) is ${X[k]}`);
  }
  const S = pow2Above(X, 0, n * d);
  const tall = n >= d;
  // A = X/S (n ≥ d) or its transpose (n < d): m×k with m ≥ k
  const m = tall ? n : d;
  const k = tall ? d : n;
  const A = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) A[tall ? i * d + j : j * n + i] = X[i * d + j] / S;
  }
  const qr = householderQr(A, m, k);
  // R (k×k) row-major is Rᵀ by columns: Jacobi on the k columns of Rᵀ gives Rᵀ·W = U·Σ, so R = W·Σ·Uᵀ
  const B = qr.R.slice();
  const { sigma, W, sweeps } = jacobiSvd(B, k, k);
  const order = Array.from({ length: k }, (_, j) => j).sort((a, b) => sigma[b] - sigma[a] || a - b);
  const sorted = Float64Array.from(order, (j) => sigma[j]);
  const tolScaled = (sorted[0] ?? 0) * Math.max(n, d) * Number.EPSILON;
  let rank = 0;
  while (rank < k && sorted[rank] > tolScaled) rank++;
  const tol = tolScaled * S;
  // A·P = Q·R = Q·W·Σ·Uᵀ: left singular vectors of A are Q·W (m-space), right ones P·U (k-space)
  const leftA = new Float64Array(m * rank);
  const rightA = new Float64Array(k * rank);
  const y = new Float64Array(m);
  for (let c = 0; c < rank; c++) {
    const j = order[c];
    y.fill(0);
    for (let i = 0; i < k; i++) y[i] = W[j * k + i];
    applyQ(qr, y);
    for (let i = 0; i < m; i++) leftA[i * rank + c] = y[i];
    const s = sigma[j];
    for (let i = 0; i < k; i++) rightA[qr.perm[i] * rank + c] = B[j * k + i] / s;
  }
  // X = A (tall) or Aᵀ: the left space of X is A's left space or A's right space
  const sigmaX = sorted.map((v) => v * S);
  for (let q = 0; q < rank; q++) {
    if (!Number.isFinite(sigmaX[q])) throw new RangeError(`dataSvd: the singular value ${q + 1} is beyond float64 (${sorted[q]}·${S})`);
  }
  return tall
    ? { n, d, sigma: sigmaX, rank, tol, left: leftA, right: rightA, sweeps }
    : { n, d, sigma: sigmaX, rank, tol, left: rightA, right: leftA, sweeps };
}
