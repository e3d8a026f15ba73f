/**
 * Householder QR with column pivoting (Businger–Golub) of an m×k matrix A, row-major:
 *   A·P = Q·R,  Q = H_0·H_1·…·H_{p−1} (m×m orthogonal), R upper triangular p×k, p = min(m, k).
 * Pivoting takes the remaining column of largest norm first, so |R_00| ≥ |R_11| ≥ … and the trailing rows of
 * R are small when A is rank-deficient: the one-sided Jacobi SVD that follows (jacobiSvd.ts) then converges
 * in a few sweeps (docs/theory.md §4.7). Each reflector H_j = I − τ_j·v_j·v_jᵀ with v_j[j] = 1.
 */
export interface PivotedQr {
  readonly m: number;
  readonly k: number;
  readonly p: number;
  /** R, p×k row-major (zeros below the diagonal) */
  readonly R: Float64Array;
  /** column j of A·P is column perm[j] of A */
  readonly perm: Int32Array;
  /** the reflectors: v_j in V[j*m + i] for i ≥ j (V[j*m + j] = 1), and τ_j */
  readonly V: Float64Array;
  readonly tau: Float64Array;
}

export function householderQr(A: Float64Array, m: number, k: number): PivotedQr {
  const a = Float64Array.from(A.subarray(0, m * k));
  const p = Math.min(m, k);
  const perm = Int32Array.from({ length: k }, (_, j) => j);
  const V = new Float64Array(p * m);
  const tau = new Float64Array(p);
  const w = new Float64Array(k);
  for (let j = 0; j < p; j++) {
    // pivot: the column with the largest norm over rows j..m−1 (recomputed: no downdating error)
    let best = j;
    let bestNorm = -1;
    for (let c = j; c < k; c++) {
      let s = 0;
      for (let i = j; i < m; i++) s += a[i * k + c] * a[i * k + c];
      if (s > bestNorm) {
        bestNorm = s;
        best = c;
      }
    }
    if (best !== j) {
      for (let i = 0; i < m; i++) {
        const t = a[i * k + j];
        a[i * k + j] = a[i * k + best];
        a[i * k + best] = t;
      }
      const t = perm[j];
      perm[j] = perm[best];
      perm[best] = t;
    }
    const norm = Math.sqrt(bestNorm);
    const x0 = a[j * k + j];
    if (norm === 0) continue; // the rest is zero: H_j = I (τ = 0)
    const alpha = x0 >= 0 ? -norm : norm;
    const v0 = x0 - alpha;
    // v = x/v0 with v[j] = 1; τ = (alpha − x0)/alpha·… in the standard form τ = −v0/alpha
    V[j * m + j] = 1;
    for (let i = j + 1; i < m; i++) V[j * m + i] = a[i * k + j] / v0;
    tau[j] = -v0 / alpha;
    // apply H_j to columns j+1..k−1: A ← A − τ·v·(vᵀA), row by row (contiguous)
    w.fill(0, j + 1, k);
    for (let i = j; i < m; i++) {
      const vi = V[j * m + i];
      if (vi === 0) continue;
      const row = i * k;
      for (let c = j + 1; c < k; c++) w[c] += vi * a[row + c];
    }
    for (let i = j; i < m; i++) {
      const s = tau[j] * V[j * m + i];
      if (s === 0) continue;
      const row = i * k;
      for (let c = j + 1; c < k; c++) a[row + c] -= s * w[c];
    }
    a[j * k + j] = alpha;
    for (let i = j + 1; i < m; i++) a[i * k + j] = 0;
  }
  const R = new Float64Array(p * k);
  for (let i = 0; i < p; i++) for (let c = i; c < k; c++) R[i * k + c] = a[i * k + c];
  return { m, k, p, R, perm, V, tau };
}

/** y ← Q·y for y of length m (Q = H_0⋯H_{p−1}: the reflectors applied last to first). */
export function applyQ(qr: PivotedQr, y: Float64Array): Float64Array {
  const { m, p, V, tau } = qr;
  for (let j = p - 1; j >= 0; j--) {
    if (tau[j] === 0) continue;
    let s = 0;
    for (let i = j; i < m; i++) s += V[j * m + i] * y[i];
    s *= tau[j];
    for (let i = j; i < m; i++) y[i] -= s * V[j * m + i];
  }
  return y;
}
