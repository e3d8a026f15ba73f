import { logSumExp, softmaxInto } from "../core/special.js";
import type { VectorFamily } from "./types.js";

/**
 * Softmax cross-entropy for K classes in the paper's form l(z, y) = h(z) − yᵀz with h = logsumexp
 * (docs/theory.md §2.2, table; the softmax terms of §3.1 are [beyond]): h' = p = softmax(z), h'' = diag(p) − ppᵀ.
 * Labels: a point of the simplex Δ_K (one-hot, or soft as produced by mixing labels).
 */

/** Tolerance on |Σ_k y_k − 1| for a label to count as a point of the simplex. */
export const SIMPLEX_TOL = 1e-9;

/**
 * l(z, y) = logsumexp(z) − Σ_k y_k z_k, evaluated as
 *     log1p(Σ_{k≠top} e^{z_k − M}) + Σ_k y_k (M − z_k) + M·(1 − Σ_k y_k),   M = z_top = max_k z_k.
 * This is the same expression rearranged exactly (no assumption on Σy). For labels on the simplex the
 * first two terms are non-negative, so they add without cancellation, and the last one is a correction of
 * size |M|·|1 − Σy| (zero for one-hot labels) that keeps l exactly affine in y — the property the
 * label-free Mixup rewrite relies on (docs/theory.md §2.5). The naive lse(z) − yᵀz loses all digits when
 * the scores are large and the label puts its mass on the top class.
 */
export function softmaxLoss(z: ArrayLike<number>, zOff: number, K: number, y: ArrayLike<number>, yOff: number): number {
  let M = -Infinity;
  let top = 0;
  for (let k = 0; k < K; k++) {
    if (z[zOff + k] > M) {
      M = z[zOff + k];
      top = k;
    }
  }
  if (!Number.isFinite(M)) {
    // ±∞ or NaN scores: fall back to the definition; callers check finiteness.
    let s = 0;
    for (let k = 0; k < K; k++) s += y[yOff + k] * z[zOff + k];
    return logSumExp(z, zOff, K) - s;
  }
  // log Σ_k e^{z_k − M} = log1p(Σ_{k≠top} e^{z_k − M}): when the top class dominates the sum is 1 + tiny,
  // and log(1 + tiny) would keep only the digits of tiny that survive the rounding of 1 + tiny.
  let rest = 0;
  let sy = 0;
  let gap = 0;
  for (let k = 0; k < K; k++) {
    const zk = z[zOff + k];
    const yk = y[yOff + k];
    if (k !== top) rest += Math.exp(zk - M);
    gap += yk * (M - zk);
    sy += yk;
  }
  const corr = M === 0 ? 0 : M * (1 - sy);
  return Math.log1p(rest) + gap + corr;
}

/** ∂l/∂z = softmax(z) − y into out[outOff..outOff+K). */
export function softmaxDloss(
  z: ArrayLike<number>,
  zOff: number,
  K: number,
  y: ArrayLike<number>,
  yOff: number,
  out: Float64Array,
  outOff: number,
): void {
  softmaxInto(z, zOff, K, out, outOff);
  for (let k = 0; k < K; k++) out[outOff + k] -= y[yOff + k];
}

export function softmaxH(z: ArrayLike<number>, zOff: number, K: number): number {
  return logSumExp(z, zOff, K);
}

export function softmaxH1(z: ArrayLike<number>, zOff: number, K: number, out: Float64Array, outOff: number): void {
  softmaxInto(z, zOff, K, out, outOff);
}

/**
 * h''(z) = diag(p) − ppᵀ into out (K×K row-major), without scratch memory: p is first written into the
 * last row, then every other row is filled from it, then the last row in place (entry j reads p_j just
 * before overwriting it). The diagonal is p_i·Σ_{j≠i} p_j rather than p_i(1 − p_i): the same number, but
 * 1 − p_i loses all digits when p_i ≈ 1.
 */
export function softmaxH2(z: ArrayLike<number>, zOff: number, K: number, out: Float64Array, outOff: number): void {
  const last = outOff + (K - 1) * K;
  softmaxInto(z, zOff, K, out, last);
  for (let i = 0; i < K - 1; i++) {
    const pi = out[last + i];
    const row = outOff + i * K;
    let diag = 0;
    for (let j = 0; j < K; j++) {
      if (j === i) continue;
      const v = pi * out[last + j];
      out[row + j] = -v;
      diag += v;
    }
    out[row + i] = diag;
  }
  const pl = out[last + K - 1];
  let diag = 0;
  for (let j = 0; j < K - 1; j++) {
    const v = pl * out[last + j];
    out[last + j] = -v;
    diag += v;
  }
  out[last + K - 1] = diag;
}

/** null when y[yOff..yOff+K) is on the simplex: finite entries ≥ 0 summing to 1 within SIMPLEX_TOL. */
export function softmaxLabelError(y: ArrayLike<number>, yOff: number, K: number): string | null {
  let s = 0;
  for (let k = 0; k < K; k++) {
    const v = y[yOff + k];
    if (!Number.isFinite(v)) return `has a non-finite entry in column ${k + 1}`;
    if (v < 0) return `has a negative entry ${v} in column ${k + 1}`;
    s += v;
  }
  if (!(Math.abs(s - 1) <= SIMPLEX_TOL)) return `sums to ${s}, not 1 (not a point of the simplex)`;
  return null;
}

/**
 * logSumExp(z + δ) − logSumExp(z) = log1p(Σ_k p_k·expm1(δ_k)) with p = softmax(z): relatively accurate for
 * small δ. For max|δ| > 1 the plain difference (no near-cancellation then, and expm1 cannot overflow).
 */
export function softmaxHDiff(z: ArrayLike<number>, zOff: number, K: number, delta: ArrayLike<number>, dOff: number): number {
  let big = 0;
  for (let k = 0; k < K; k++) big = Math.max(big, Math.abs(delta[dOff + k]));
  const lse = logSumExp(z, zOff, K);
  if (big > 1) {
    let m = -Infinity;
    for (let k = 0; k < K; k++) m = Math.max(m, z[zOff + k] + delta[dOff + k]);
    let s = 0;
    for (let k = 0; k < K; k++) s += Math.exp(z[zOff + k] + delta[dOff + k] - m);
    return m + Math.log(s) - lse;
  }
  let s = 0;
  for (let k = 0; k < K; k++) s += Math.exp(z[zOff + k] - lse) * Math.expm1(delta[dOff + k]);
  return Math.log1p(s);
}

export const softmax: VectorFamily = {
  name: "softmax",
  vector: true,
  loss: softmaxLoss,
  dloss: softmaxDloss,
  h: softmaxH,
  h1: softmaxH1,
  h2: softmaxH2,
  hDiff: softmaxHDiff,
  labelError: softmaxLabelError,
  note: "softmax cross-entropy logsumexp(f) − Σ_k y_k f_k, labels on the simplex (one-hot or soft)",
};
