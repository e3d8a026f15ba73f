/**
 * out (n×p) = A (n×k) · Bᵀ (B is p×k), all row-major, plus an optional row vector `add` (length p) on
 * every row: the pre-activations U = X Wᵀ + b of a whole data set (models/, taylor/).
 *
 * Register-blocked: 2 rows of A against 4 rows of B at a time, 8 independent accumulators, so each
 * loaded element feeds several multiply-adds and the additions do not form one serial chain. About 3×
 * the throughput of the row-by-row dot products at n = 1e5, k = 100, p = 64 (`npm run bench`).
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
  for (; i + 1 < n; i += 2) {
    const a0 = i * k;
    const a1 = a0 + k;
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
      let s00 = c0, s01 = c1, s02 = c2, s03 = c3, s10 = c0, s11 = c1, s12 = c2, s13 = c3; // prettier-ignore
      for (let j = 0; j < k; j++) {
        const x0 = A[a0 + j];
        const x1 = A[a1 + j];
        const w0 = B[b0 + j];
        const w1 = B[b1 + j];
        const w2 = B[b2 + j];
        const w3 = B[b3 + j];
        s00 += x0 * w0;
        s01 += x0 * w1;
        s02 += x0 * w2;
        s03 += x0 * w3;
        s10 += x1 * w0;
        s11 += x1 * w1;
        s12 += x1 * w2;
        s13 += x1 * w3;
      }
      const o0 = i * p + r;
      const o1 = o0 + p;
      out[o0] = s00;
      out[o0 + 1] = s01;
      out[o0 + 2] = s02;
      out[o0 + 3] = s03;
      out[o1] = s10;
      out[o1 + 1] = s11;
      out[o1 + 2] = s12;
      out[o1 + 3] = s13;
    }
    for (; r < p; r++) {
      const b0 = r * k;
      let s0 = add === null ? 0 : add[r];
      let s1 = s0;
      for (let j = 0; j < k; j++) {
        s0 += A[a0 + j] * B[b0 + j];
        s1 += A[a1 + j] * B[b0 + j];
      }
      out[i * p + r] = s0;
      out[(i + 1) * p + r] = s1;
    }
  }
  for (; i < n; i++) {
    for (let r = 0; r < p; r++) {
      let s = add === null ? 0 : add[r];
      for (let j = 0; j < k; j++) s += A[i * k + j] * B[r * k + j];
      out[i * p + r] = s;
    }
  }
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
