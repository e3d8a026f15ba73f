/**
 * out (n×p) = A (n×k) · Bᵀ (B is p×k), all row-major, plus an optional row vector `add` (length p) on
 * every row: the pre-activations U = X Wᵀ + b of a whole data set (models/, taylor/).
 *
 * Register-blocked: 3 rows of A against 4 rows of B at a time, 12 independent accumulators, one element
 * of B loaded at a time (12 + 3 + 1 values fit the 16 vector registers of x86-64), so each loaded element
 * feeds several multiply-adds and the additions do not form one serial chain. ≈ 2.6 GFLOP/s at
 * n = 1e5, k = 100, p = 64 (2×4 blocking: ≈ 2.4; row-by-row dot products: ≈ 0.8).
 * Each output is add[r] followed by one left-to-right sum over j: bit-identical to the per-point
 * `b[r] + Σ_j W[r,j]·x[j]` of models/ (so mixing code and point code see the same pre-activations).
 */
export function gemmABt(
  A: ArrayLike<number>,
  n: number,
  k: number,
  B: ArrayLike<number>,
  p: number,
  out: Float64Array,
  add: ArrayLike<number> | null = null,
): Float64Array {
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const a0 = i * k;
    const a1 = a0 + k;
    const a2 = a1 + k;
    let r = 0;
    for (; r + 3 < p; r += 4) {
      const b0 = r * k;
      const b1 = b0 + k;
      const b2 = b1 + k;
      const b3 = b2 + k;
      const c0 = add === null ? 0 : add[r];
      const c1 = add === null ? 0 : add[r + 1];
      const c2 = add === null ? 0 : add[r + 2];
      const c3 = add === null ? 0 : add[r + 3];
      let s00 = c0, s01 = c1, s02 = c2, s03 = c3; // prettier-ignore
      let s10 = c0, s11 = c1, s12 = c2, s13 = c3; // prettier-ignore
      let s20 = c0, s21 = c1, s22 = c2, s23 = c3; // prettier-ignore
      for (let j = 0; j < k; j++) {
        const x0 = A[a0 + j];
        const x1 = A[a1 + j];
        const x2 = A[a2 + j];
        let w = B[b0 + j];
        s00 += x0 * w;
        s10 += x1 * w;
        s20 += x2 * w;
        w = B[b1 + j];
        s01 += x0 * w;
        s11 += x1 * w;
        s21 += x2 * w;
        w = B[b2 + j];
        s02 += x0 * w;
        s12 += x1 * w;
        s22 += x2 * w;
        w = B[b3 + j];
        s03 += x0 * w;
        s13 += x1 * w;
        s23 += x2 * w;
      }
      const o0 = i * p + r;
      const o1 = o0 + p;
      const o2 = o1 + p;
      out[o0] = s00;
      out[o0 + 1] = s01;
      out[o0 + 2] = s02;
      out[o0 + 3] = s03;
      out[o1] = s10;
      out[o1 + 1] = s11;
      out[o1 + 2] = s12;
      out[o1 + 3] = s13;
      out[o2] = s20;
      out[o2 + 1] = s21;
      out[o2 + 2] = s22;
      out[o2 + 3] = s23;
    }
    for (; r < p; r++) {
      const b0 = r * k;
      let s0 = add === null ? 0 : add[r];
      let s1 = s0;
      let s2 = s0;
      for (let j = 0; j < k; j++) {
        const w = B[b0 + j];
        s0 += A[a0 + j] * w;
        s1 += A[a1 + j] * w;
        s2 += A[a2 + j] * w;
      }
      out[i * p + r] = s0;
      out[(i + 1) * p + r] = s1;
      out[(i + 2) * p + r] = s2;
    }
  }
  for (; i < n; i++) {
    const a0 = i * k;
    let r = 0;
    for (; r + 3 < p; r += 4) {
      const b0 = r * k;
      let s0 = add === null ? 0 : add[r];
      let s1 = add === null ? 0 : add[r + 1];
      let s2 = add === null ? 0 : add[r + 2];
      let s3 = add === null ? 0 : add[r + 3];
      for (let j = 0; j < k; j++) {
        const x = A[a0 + j];
        s0 += x * B[b0 + j];
        s1 += x * B[b0 + k + j];
        s2 += x * B[b0 + 2 * k + j];
        s3 += x * B[b0 + 3 * k + j];
      }
      out[i * p + r] = s0;
      out[i * p + r + 1] = s1;
      out[i * p + r + 2] = s2;
      out[i * p + r + 3] = s3;
    }
    for (; r < p; r++) {
      let s = add === null ? 0 : add[r];
      for (let j = 0; j < k; j++) s += A[a0 + j] * B[r * k + j];
      out[i * p + r] = s;
    }
  }
  return out;
}

/**
 * out (p×p) += A Bᵀ on and above the diagonal (entries r ≤ s only; the rest of `out` is not touched),
 * for A, B both p×k row-major: the Gram-type sums Σ_j a_j b_jᵀ of k points stored as columns (a
 * transposed tile of rows). With B = A this is a covariance update, with B = A·diag(w) a weighted Gram
 * matrix. Register-blocked like gemmABt (3×4 tiles, 12 accumulators, contiguous inner loop over j);
 * a tile that straddles the diagonal is computed whole and only its r ≤ s entries are added. Each added
 * value is one left-to-right sum over j, started from 0. Mirror with `symmetrizeUpper` when done.
 */
export function gramUpperAcc(A: ArrayLike<number>, B: ArrayLike<number>, p: number, k: number, out: Float64Array): Float64Array {
  let r = 0;
  for (; r + 2 < p; r += 3) {
    const a0 = r * k;
    const a1 = a0 + k;
    const a2 = a1 + k;
    let s = r;
    for (; s + 3 < p; s += 4) {
      const b0 = s * k;
      const b1 = b0 + k;
      const b2 = b1 + k;
      const b3 = b2 + k;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0; // prettier-ignore
      let s10 = 0, s11 = 0, s12 = 0, s13 = 0; // prettier-ignore
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0; // prettier-ignore
      for (let j = 0; j < k; j++) {
        const x0 = A[a0 + j];
        const x1 = A[a1 + j];
        const x2 = A[a2 + j];
        let w = B[b0 + j];
        s00 += x0 * w;
        s10 += x1 * w;
        s20 += x2 * w;
        w = B[b1 + j];
        s01 += x0 * w;
        s11 += x1 * w;
        s21 += x2 * w;
        w = B[b2 + j];
        s02 += x0 * w;
        s12 += x1 * w;
        s22 += x2 * w;
        w = B[b3 + j];
        s03 += x0 * w;
        s13 += x1 * w;
        s23 += x2 * w;
      }
      const o0 = r * p + s;
      const o1 = o0 + p;
      const o2 = o1 + p;
      // row r: s..s+3 ≥ r always; row r+1: skip s = r; row r+2: skip s ≤ r+1
      out[o0] += s00;
      out[o0 + 1] += s01;
      out[o0 + 2] += s02;
      out[o0 + 3] += s03;
      if (s > r) out[o1] += s10;
      out[o1 + 1] += s11;
      out[o1 + 2] += s12;
      out[o1 + 3] += s13;
      if (s > r) {
        out[o2] += s20;
        out[o2 + 1] += s21;
      }
      out[o2 + 2] += s22;
      out[o2 + 3] += s23;
    }
    for (; s < p; s++) {
      const b0 = s * k;
      let t0 = 0;
      let t1 = 0;
      let t2 = 0;
      for (let j = 0; j < k; j++) {
        const w = B[b0 + j];
        t0 += A[a0 + j] * w;
        t1 += A[a1 + j] * w;
        t2 += A[a2 + j] * w;
      }
      out[r * p + s] += t0;
      if (s >= r + 1) out[(r + 1) * p + s] += t1;
      if (s >= r + 2) out[(r + 2) * p + s] += t2;
    }
  }
  for (; r < p; r++) {
    const a0 = r * k;
    for (let s = r; s < p; s++) {
      const b0 = s * k;
      let t = 0;
      for (let j = 0; j < k; j++) t += A[a0 + j] * B[b0 + j];
      out[r * p + s] += t;
    }
  }
  return out;
}

/** Copies the upper triangle of out (p×p row-major) onto the lower one. */
export function symmetrizeUpper(out: Float64Array, p: number): Float64Array {
  for (let r = 0; r < p; r++) for (let s = r + 1; s < p; s++) out[s * p + r] = out[r * p + s];
  return out;
}

/**
 * out (p×p, symmetric, both triangles written) += Σ_i w_i (a_i − c)(a_i − c)ᵀ over the n rows a_i of A
 * (n×p row-major), with optional weights w (default 1) and centre c (default 0): covariances and
 * weighted Gram matrices in O(n·p²/2). Four rows are folded into each update of the upper triangle, so
 * `out` is loaded and stored once per four rank-one terms.
 */
export function syrkUpper(
  A: ArrayLike<number>,
  n: number,
  p: number,
  out: Float64Array,
  w: ArrayLike<number> | null = null,
  c: ArrayLike<number> | null = null,
): Float64Array {
  const r0 = new Float64Array(p);
  const r1 = new Float64Array(p);
  const r2 = new Float64Array(p);
  const r3 = new Float64Array(p);
  const rows = [r0, r1, r2, r3];
  const wq = new Float64Array(4);
  for (let i = 0; i < n; i += 4) {
    const m = Math.min(4, n - i);
    for (let q = 0; q < 4; q++) {
      const row = rows[q];
      if (q >= m) {
        row.fill(0);
        wq[q] = 0;
        continue;
      }
      const o = (i + q) * p;
      wq[q] = w === null ? 1 : w[i + q];
      for (let r = 0; r < p; r++) row[r] = A[o + r] - (c === null ? 0 : c[r]);
    }
    const w0 = wq[0];
    const w1 = wq[1];
    const w2 = wq[2];
    const w3 = wq[3];
    for (let r = 0; r < p; r++) {
      const a0 = r0[r] * w0;
      const a1 = r1[r] * w1;
      const a2 = r2[r] * w2;
      const a3 = r3[r] * w3;
      if (a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0) continue; // inactive ReLU units in all four rows
      const base = r * p;
      for (let s = r; s < p; s++) out[base + s] += a0 * r0[s] + a1 * r1[s] + a2 * r2[s] + a3 * r3[s];
    }
  }
  for (let r = 0; r < p; r++) for (let s = r + 1; s < p; s++) out[s * p + r] = out[r * p + s];
  return out;
}
