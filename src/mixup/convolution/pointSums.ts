/**
 * Per-point sums of a linear GLM by convolution: the θ-gradient of the O(n) path (issue 6; docs/numerics.md,
 * "The O(n) paths for linear GLMs"). Every scalar family here has l(w, ỹ) = h(w) − ỹ·w, so
 * ∂l/∂w = h'(w) − ỹ with h' = σ (logistic), e^w (Poisson), w (squared). With a_i = λz_i, b_j = (1−λ)z_j,
 * the h part of ∂T(λ)/∂z_k (T the node's pair sum, pairSums.ts) is
 *   (1/n²)·[λ·F_B(a_k) + (1−λ)·F_A(b_k)],  F_B(x) = Σ_j h'(x + b_j),  F_A(x) = Σ_i h'(a_i + x);
 * the label part is a closed form (grad.ts).
 *
 * Per node: the unit-weight stage-1 grid is respread with λ and 1 − λ (spread.ts), F_B at the A-grid
 * points and F_A at the B-grid points are correlations with the h' table (one packed FFT, or directly when
 * small), and both are pulled back through the stage-2 weights onto the stage-1 grid:
 *   φ_m(λ) = λ·F̃_B(λ·g_m) + (1−λ)·F̃_A((1−λ)·g_m)   (g_m the stage-1 grid points).
 * φ is integrated over λ as a vector; one stage-1 interpolation at the end gives every z_k (grad.ts): the
 * adjoint of the spreading, so the per-node cost stays O(G·p + M log M), independent of n.
 *
 * Error of φ_m per node (before 1/n²): spreading as for the pair sums with h' in place of h, i.e.
 * n·K_p·Δ^p·max|h^{(p+1)}| for logistic (SIGMOID_MAX) and relative K_p·Δ^p·e^{reach·Δ} for Poisson (exact
 * for squared: h' is linear); FFT rounding bounded as in pairSums.ts, returned in `fftErr` (max-norm,
 * through the stage-2 weights of Lebesgue constant Λ).
 */
import { FftPlan, nextPow2 } from "../../core/fft.js";
import { sigmoid } from "../../core/special.js";
import { C_P, Lagrange, LEBESGUE, respread, type Grid } from "./spread.js";
import { reach, type ConvolutionParams, type ScalarName } from "./pairSums.js";
import { EPS } from "../../core/constants.js";


/** max_x |σ^{(p)}(x)| = max |softplus^{(p+1)}| (mpmath, 0.025 grid on [0, 6], rounded up by 1%). */
export const SIGMOID_MAX: Readonly<Record<number, number>> = { 4: 0.129, 6: 0.413, 8: 2.42, 10: 22.5, 12: 305.1, 14: 5683, 16: 139515 };

export class ConvolutionPointSums {
  readonly n: number;
  readonly name: ScalarName;
  readonly delta: number;
  readonly p: number;
  readonly L: Lagrange;
  /** the stage-1 grid of the points with unit weights (spread.ts, spreadPoints) */
  readonly grid: Grid;
  /** Poisson: the table holds e^{x − shift}; φ carries the factor e^{−shift} */
  readonly shift: number;
  private readonly tabK0: number;
  private readonly tab: Float64Array;
  /** prefix sums of tab² and |tab| (‖h'‖₂, ‖h'‖₁ over an output range) */
  private readonly tabSq: Float64Array;
  private readonly tabAbs: Float64Array;
  private bufA: Float64Array[] = [new Float64Array(64)];
  private bufB: Float64Array[] = [new Float64Array(64)];
  private re = new Float64Array(0);
  private im = new Float64Array(0);
  private hr = new Float64Array(0);
  private hi = new Float64Array(0);
  private cA = new Float64Array(0);
  private cB = new Float64Array(0);

  /** `grid`: the points spread with unit weights at step params.delta (ConvolutionPairSums.unitGrid) */
  constructor(grid: Grid, n: number, name: ScalarName, params: ConvolutionParams) {
    this.n = n;
    this.name = name;
    this.delta = params.delta;
    this.p = params.p;
    this.L = new Lagrange(params.p);
    this.grid = grid;
    // output positions of a node lie within the stage-1 grid's ends widened by both stencils (pairSums.ts)
    const g = this.grid;
    const margin = 3 * params.p + 4;
    this.tabK0 = g.k0 - margin;
    const len = g.size + 2 * margin;
    this.shift = name === "poisson" ? (this.tabK0 + len - 1) * this.delta : 0;
    this.tab = new Float64Array(len);
    this.tabSq = new Float64Array(len + 1);
    this.tabAbs = new Float64Array(len + 1);
    for (let k = 0; k < len; k++) {
      const x = (this.tabK0 + k) * this.delta;
      const v = name === "logistic" ? sigmoid(x) : name === "poisson" ? Math.exp(x - this.shift) : x;
      this.tab[k] = v;
      this.tabSq[k + 1] = this.tabSq[k] + v * v;
      this.tabAbs[k + 1] = this.tabAbs[k] + Math.abs(v);
    }
  }

  /**
   * Spreading error of one φ entry's h'-sums per unit pair weight: logistic absolute (times n for the sum
   * over partners), Poisson relative to the sum itself, squared 0.
   */
  spreadingBound(): number {
    const K = C_P[this.p] * (1 + LEBESGUE[this.p] + LEBESGUE[this.p] ** 2 * (1 + LEBESGUE[this.p]));
    const dp = Math.pow(this.delta, this.p);
    if (this.name === "logistic") return K * dp * SIGMOID_MAX[this.p];
    if (this.name === "poisson") return K * dp * Math.exp(reach(this.p) * this.delta);
    return 0;
  }

  /**
   * φ(λ) on the stage-1 grid into phi (length grid.size); returns Σ_m |φ_m| and the max-norm rounding
   * bound of the correlations carried into φ.
   */
  at(lam: number, omLam: number, phi: Float64Array): { abs: number; fftErr: number } {
    const { delta, L } = this;
    const ga = respread(this.grid, lam, delta, L, this.bufA);
    const gb = respread(this.grid, omLam, delta, L, this.bufB);
    const A = this.bufA[0], B = this.bufB[0];
    const GA = ga.size, GB = gb.size, Gc = GA + GB - 1;
    const t0 = ga.k0 + gb.k0 - this.tabK0;
    if (t0 < 0 || t0 + Gc > this.tab.length) throw new RangeError("convolution output outside the h' table (a bug)");
    if (this.cA.length < GA) this.cA = new Float64Array(2 * GA);
    if (this.cB.length < GB) this.cB = new Float64Array(2 * GB);
    const cA = this.cA, cB = this.cB;
    let a1 = 0, a2 = 0, b1 = 0, b2 = 0;
    for (let k = 0; k < GA; k++) {
      a1 += Math.abs(A[k]);
      a2 += A[k] * A[k];
    }
    for (let k = 0; k < GB; k++) {
      b1 += Math.abs(B[k]);
      b2 += B[k] * B[k];
    }
    a2 = Math.sqrt(a2);
    b2 = Math.sqrt(b2);
    const h1 = this.tabAbs[t0 + Gc] - this.tabAbs[t0];
    const h2 = Math.sqrt(Math.max(0, this.tabSq[t0 + Gc] - this.tabSq[t0]));
    const hmax = Math.max(Math.abs(this.tab[t0]), Math.abs(this.tab[t0 + Gc - 1]));
    const M = nextPow2(Gc);
    const lg = Math.max(1, Math.log2(M));
    let cErr: number;
    // a butterfly costs about six multiply-adds of the direct sum; three transforms of size M
    if (2 * GA * GB <= 18 * M * lg) {
      correlateDirect(this.tab, t0, A, GA, B, GB, cA, cB);
      cErr = (Math.min(GA, GB) + 2) * EPS * Math.max(a1, b1) * hmax;
    } else {
      this.correlateFft(t0, Gc, M, A, GA, B, GB);
      // as pairSums.ts, with the packed transform of A + iB carrying both operands' norms
      cErr = 3 * lg * 7 * EPS * (h2 * (a1 + b1) + h1 * (a2 + b2));
    }
    // stage-2 adjoint: φ_m = λ·Σ_j ℓ_j(t^A_m)·C_A[off^A_m + j] + (1 − λ)·Σ_j ℓ_j(t^B_m)·C_B[off^B_m + j]
    const g = this.grid;
    const p = L.p;
    const sA = (lam * g.step) / delta, sB = (omLam * g.step) / delta;
    let abs = 0;
    for (let m = 0; m < g.size; m++) {
      const tA = sA * (g.k0 + m);
      const baseA = Math.floor(tA);
      let lw = L.weights(tA - baseA);
      let offA = baseA - L.lo - ga.k0;
      let fa = 0;
      for (let j = 0; j < p; j++) fa += lw[j] * cA[offA + j];
      const tB = sB * (g.k0 + m);
      const baseB = Math.floor(tB);
      lw = L.weights(tB - baseB);
      offA = baseB - L.lo - gb.k0;
      let fb = 0;
      for (let j = 0; j < p; j++) fb += lw[j] * cB[offA + j];
      const v = lam * fa + omLam * fb;
      phi[m] = v;
      abs += Math.abs(v);
    }
    // the correlation errors through the stage-2 weights, plus the rounding of the p-term pullbacks
    const fftErr = LEBESGUE[p] * cErr + 2 * p * EPS * LEBESGUE[p] * Math.max(b1, a1) * hmax;
    return { abs, fftErr };
  }

  /** Bin k of P from Z_k = u, Z_{−k} = v (see correlateFft). */
  private unpack(k: number, ur: number, ui: number, vr: number, vi: number): void {
    const ar = 0.5 * (ur + vr), ai = 0.5 * (ui - vi);
    const br = 0.5 * (ui + vi), bi = 0.5 * (vr - ur);
    const Hr = this.hr[k], Hi = this.hi[k];
    const p1r = Hr * br + Hi * bi, p1i = Hi * br - Hr * bi;
    const qr = Hr * ar + Hi * ai, qi = Hi * ar - Hr * ai;
    this.re[k] = p1r - qi;
    this.im[k] = p1i + qr;
  }

  /** C_A = corr(B, h'), C_B = corr(A, h') by one packed forward transform of A + iB and one inverse. */
  private correlateFft(t0: number, Gc: number, M: number, A: Float64Array, GA: number, B: Float64Array, GB: number): void {
    if (this.re.length < M) {
      this.re = new Float64Array(M);
      this.im = new Float64Array(M);
      this.hr = new Float64Array(M);
      this.hi = new Float64Array(M);
    }
    const { re, im, hr, hi } = this;
    const plan = FftPlan.of(M);
    hr.set(this.tab.subarray(t0, t0 + Gc));
    hr.fill(0, Gc, M);
    hi.fill(0, 0, M);
    plan.transform(hr, hi);
    re.set(A.subarray(0, GA));
    re.fill(0, GA, M);
    im.set(B.subarray(0, GB));
    im.fill(0, GB, M);
    plan.transform(re, im);
    // Â_k = (Z_k + conj Z_{−k})/2, B̂_k = (Z_k − conj Z_{−k})/(2i); P = Ĥ·conj(B̂) + i·Ĥ·conj(Â), whose inverse
    // is C_A + i·C_B (both real). Pairs (k, M − k) are done together, in place.
    const half = M / 2;
    for (let k = 0; k <= half; k++) {
      const q = (M - k) & (M - 1);
      const zr = re[k], zi = im[k], wr = re[q], wi = im[q];
      this.unpack(k, zr, zi, wr, wi);
      if (q !== k) this.unpack(q, wr, wi, zr, zi);
    }
    plan.transform(re, im, true);
    const inv = 1 / M;
    for (let k = 0; k < GA; k++) this.cA[k] = re[k] * inv;
    for (let k = 0; k < GB; k++) this.cB[k] = im[k] * inv;
  }
}

/** C_A[k] = Σ_l B_l·h[t0 + k + l], C_B[l] = Σ_k A_k·h[t0 + k + l] (the O(G_A·G_B) form). */
function correlateDirect(h: Float64Array, t0: number, A: Float64Array, GA: number, B: Float64Array, GB: number, cA: Float64Array, cB: Float64Array): void {
  cA.fill(0, 0, GA);
  cB.fill(0, 0, GB);
  for (let k = 0; k < GA; k++) {
    const ak = A[k];
    let s = 0;
    const o = t0 + k;
    for (let l = 0; l < GB; l++) {
      const hv = h[o + l];
      s += B[l] * hv;
      cB[l] += ak * hv;
    }
    cA[k] = s;
  }
}

/**
 * The adjoint of stage 1: out[i] = Σ_j ℓ_j(t_i)·phi[base_i − lo − k0 + j], the degree-(p−1) interpolant
 * of the grid values at each point x_i (the grid made by spreadPoints(x, …, step, L)). O(n·p).
 * With `abs`, Σ_j |ℓ_j(t_i)|·phi[…]: a per-point bound from per-bin bounds.
 */
export function interpolatePoints(x: Float64Array, g: Grid, L: Lagrange, phi: Float64Array, out: Float64Array, abs = false): void {
  const p = L.p;
  for (let i = 0; i < x.length; i++) {
    const t = x[i] / g.step;
    const base = Math.floor(t);
    const lw = L.weights(t - base);
    const off = base - L.lo - g.k0;
    let s = 0;
    if (abs) for (let j = 0; j < p; j++) s += Math.abs(lw[j]) * phi[off + j];
    else for (let j = 0; j < p; j++) s += lw[j] * phi[off + j];
    out[i] = s;
  }
}
