/**
 * Moment-preserving (Lagrange) spreading of weighted points onto a uniform grid (docs/numerics.md,
 * "The O(n) paths for linear GLMs").
 *
 * A point x = (base + t)·Δ with integer base and t ∈ [0, 1) is replaced by the p grid points
 * (base + m)·Δ, m = −(p/2 − 1) … p/2, with the Lagrange weights ℓ_m(t) of those nodes: Σ_m ℓ_m(t)·q(base + m)
 * = q(base + t) for every polynomial q of degree < p, so the spread measure has the point's moments of
 * order < p, and Σ_m ℓ_m(t)·f((base + m)Δ) is the degree-(p−1) interpolant of f at x. Its error is
 * f^{(p)}(ξ)/p!·Π_m (x − (base + m)Δ), at most C_P[p]·Δ^p·max|f^{(p)}| over the p nodes (t = 1/2 is the
 * worst case of the centred stencil), and Σ_m |ℓ_m(t)| ≤ LEBESGUE[p].
 */

/** c_p = max_{t∈[0,1]} |Π_m (t − m)|/p! for the centred p-point stencil (numpy, 20001 points; exact at t = 1/2). */
export const C_P: Readonly<Record<number, number>> = {
  4: 0.0234375,
  6: 0.0048828125,
  8: 0.001068115234375,
  10: 0.000240325927734375,
  12: 5.507469177246094e-5,
  14: 1.2785196304321289e-5,
  16: 2.996530383825302e-6,
};

/** Lebesgue constants max_t Σ_m |ℓ_m(t)| of the centred stencil (numpy, 20001 points, rounded up). */
export const LEBESGUE: Readonly<Record<number, number>> = {
  4: 1.25,
  6: 1.3907,
  8: 1.4883,
  10: 1.5631,
  12: 1.6237,
  14: 1.6746,
  16: 1.7184,
};

/** The orders with constants above. */
export function checkOrder(p: number): void {
  if (!(p in C_P)) throw new RangeError(`spreading order p = ${p} must be one of ${Object.keys(C_P).join(", ")}`);
}

/** Lagrange weights of the centred p-point stencil. */
export class Lagrange {
  readonly p: number;
  /** p/2 − 1: node j of the stencil is grid index base + j − lo */
  readonly lo: number;
  private readonly invDen: Float64Array;
  readonly w: Float64Array;

  constructor(p: number) {
    checkOrder(p);
    this.p = p;
    this.lo = p / 2 - 1;
    this.invDen = new Float64Array(p);
    for (let j = 0; j < p; j++) {
      let d = 1;
      for (let q = 0; q < p; q++) if (q !== j) d *= j - q;
      this.invDen[j] = 1 / d;
    }
    this.w = new Float64Array(p);
  }

  /**
   * this.w[j] = ℓ_{j−lo}(t), t ∈ [0, 1]. Each weight to a few ulps relative (t − m is exact for the integer
   * m). t = 1 happens: the fraction x − floor(x) of a tiny negative x (λ·z at λ ~ 1e-17) rounds to 1, where
   * the product formula is 0/0; there the weight sits on node 1.
   */
  weights(t: number): Float64Array {
    const { p, lo, w, invDen } = this;
    if (t === 0 || t === 1) {
      w.fill(0);
      w[lo + t] = 1;
      return w;
    }
    let P = 1;
    for (let j = 0; j < p; j++) P *= t - (j - lo);
    for (let j = 0; j < p; j++) w[j] = (P / (t - (j - lo))) * invDen[j];
    return w;
  }
}

/** A grid: bin k of the arrays sits at (k0 + k)·step. */
export interface Grid {
  k0: number;
  size: number;
  step: number;
  /** one array per weight set, all of length ≥ size */
  w: Float64Array[];
}

/**
 * Stage 1: spread the n points x_i with the weight sets `weights[s][i]` onto the grid of step `step`.
 * O(n·p) per weight set.
 */
/** The most bins a spread grid may have (4·2^22: far above what run.ts lets through). */
const MAX_SPREAD_BINS = 1 << 24;

export function spreadPoints(x: Float64Array, weights: readonly Float64Array[], step: number, L: Lagrange): Grid {
  const n = x.length;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  // the same expression as in the loop: rounding is monotone, so these are the extreme bases
  const k0 = Math.floor(lo / step) - L.lo;
  const size = Math.floor(hi / step) + L.p - L.lo - k0;
  // the callers bound the bins first (run.ts, MAX_GRID_BINS); a direct caller with scores too wide for its
  // step gets this instead of an allocation failure
  if (!(size <= MAX_SPREAD_BINS)) {
    throw new RangeError(`spreadPoints: scores from ${lo} to ${hi} at step ${step} need ${Number.isFinite(size) ? size : "more than 1.8e308"} bins (limit ${MAX_SPREAD_BINS})`);
  }
  const w = weights.map(() => new Float64Array(size));
  const S = weights.length;
  const p = L.p;
  for (let i = 0; i < n; i++) {
    const t = x[i] / step;
    const base = Math.floor(t);
    const lw = L.weights(t - base);
    const off = base - L.lo - k0;
    for (let s = 0; s < S; s++) {
      const c = weights[s][i];
      if (c === 0) continue;
      const out = w[s];
      for (let j = 0; j < p; j++) out[off + j] += c * lw[j];
    }
  }
  return { k0, size, step, w };
}

/**
 * Stage 2: the points scale·(g.k0 + k)·g.step with the weights g.w[s][k], spread onto the grid of step
 * `step`, written into out[s] (grown when too short); returns the output grid's k0 and size.
 * O(size·p) per weight set: independent of n.
 */
export function respread(
  g: Grid,
  scale: number,
  step: number,
  L: Lagrange,
  out: Float64Array[],
): { k0: number; size: number } {
  const { k0: gk0, size: gs, step: gstep } = g;
  const first = (scale * (gk0 * gstep)) / step;
  const last = (scale * ((gk0 + gs - 1) * gstep)) / step;
  const k0 = Math.floor(first) - L.lo;
  const size = Math.floor(last) + L.p - L.lo - k0;
  const S = g.w.length;
  for (let s = 0; s < S; s++) {
    if (out[s].length < size) out[s] = new Float64Array(Math.max(size, 2 * out[s].length));
    out[s].fill(0, 0, size);
  }
  const p = L.p;
  for (let k = 0; k < gs; k++) {
    let any = false;
    for (let s = 0; s < S; s++) if (g.w[s][k] !== 0) any = true;
    if (!any) continue;
    const t = (scale * ((gk0 + k) * gstep)) / step;
    const base = Math.floor(t);
    const lw = L.weights(t - base);
    const off = base - L.lo - k0;
    for (let s = 0; s < S; s++) {
      const c = g.w[s][k];
      if (c === 0) continue;
      const o = out[s];
      for (let j = 0; j < p; j++) o[off + j] += c * lw[j];
    }
  }
  return { k0, size };
}
