/**
 * One-sided Jacobi SVD (Hestenes; Demmel–Veselić) of a matrix given by its columns: B is c columns of
 * length r, column j in B[j*r .. (j+1)*r). Plane rotations on pairs of columns, accumulated in W (c×c,
 * column-major), until every pair is orthogonal to relative accuracy r·ε; then
 *   B_in·W = B_out,  σ_j = ‖column j of B_out‖,  U_j = column j / σ_j,
 * that is B_in = U·diag(σ)·Wᵀ. High relative accuracy in the singular values (docs/theory.md §4.7), which
 * numpy's rank rule needs: it compares σ with σ_max·max(m, n)·ε.
 * B is overwritten. Returns σ in the columns' order (not sorted) and W.
 */
export function jacobiSvd(B: Float64Array, r: number, c: number, maxSweeps = 60): { sigma: Float64Array; W: Float64Array; sweeps: number } {
  const W = new Float64Array(c * c);
  for (let j = 0; j < c; j++) W[j * c + j] = 1;
  const tol = r * Number.EPSILON;
  const norms = new Float64Array(c);
  for (let j = 0; j < c; j++) {
    let s = 0;
    for (let i = 0; i < r; i++) s += B[j * r + i] * B[j * r + i];
    norms[j] = s;
  }
  let sweeps = 0;
  for (; sweeps < maxSweeps; sweeps++) {
    let rotated = false;
    for (let a = 0; a < c - 1; a++) {
      for (let b = a + 1; b < c; b++) {
        const na = norms[a];
        const nb = norms[b];
        if (na === 0 || nb === 0) continue;
        let g = 0;
        const oa = a * r;
        const ob = b * r;
        for (let i = 0; i < r; i++) g += B[oa + i] * B[ob + i];
        if (Math.abs(g) <= tol * Math.sqrt(na * nb)) continue;
        rotated = true;
        const zeta = (nb - na) / (2 * g);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const cs = 1 / Math.sqrt(1 + t * t);
        const sn = cs * t;
        // rotate the two columns and sum their new squared norms in the same pass (no drift from updates)
        let sa = 0;
        let sb = 0;
        for (let i = 0; i < r; i++) {
          const x = B[oa + i];
          const y = B[ob + i];
          const u = cs * x - sn * y;
          const v = sn * x + cs * y;
          B[oa + i] = u;
          B[ob + i] = v;
          sa += u * u;
          sb += v * v;
        }
        for (let i = 0; i < c; i++) {
          const x = W[a * c + i];
          const y = W[b * c + i];
          W[a * c + i] = cs * x - sn * y;
          W[b * c + i] = sn * x + cs * y;
        }
        norms[a] = sa;
        norms[b] = sb;
      }
    }
    if (!rotated) break;
  }
  const sigma = new Float64Array(c);
  for (let j = 0; j < c; j++) sigma[j] = Math.sqrt(norms[j]);
  return { sigma, W, sweeps };
}
