/**
 * Per-λ pair sums of a linear GLM by convolution (docs/numerics.md, "The O(n) paths for linear GLMs").
 *
 * For scores z_i and a node λ, pair (i, j) sits at w_ij = λz_i + (1−λ)z_j with the label
 * ỹ_ij = cA·y_i + cB·y_j ((cA, cB) = (λ, 1−λ) for the labelled form, (1, 0) for the label-free one).
 * T(λ) = (1/n²) Σ_{i,j} l(w_ij, ỹ_ij) over all n² ordered pairs is computed in O(G log G) per node:
 *
 *  - logistic: l = (1−ỹ)·softplus(w) + ỹ·softplus(−w) (cA + cB = 1, both terms ≥ 0 for labels in [0, 1],
 *    so nothing cancels) and 1 − ỹ = cA(1−y_i) + cB(1−y_j): four weighted convolutions
 *      cA·[A_{1−y} ⋆ B_1]·sp + cB·[A_1 ⋆ B_{1−y}]·sp + cA·[A_y ⋆ B_1]·sp(−·) + cB·[A_1 ⋆ B_y]·sp(−·);
 *  - Poisson, squared: l = h(w) − ỹw; the h part is [A_1 ⋆ B_1]·h, the label part a closed form in
 *    mean y, mean z, mean yz.
 *
 * A_s is the measure Σ_i s_i δ_{λz_i}, B_s = Σ_j s_j δ_{(1−λ)z_j}, both on a grid of step Δ. They are built in two
 * stages: the z_i are spread ONCE onto a grid of step Δ (O(n·p)); per node, the grid points scaled by λ
 * (resp. 1−λ) are spread again onto the step-Δ grid (O(G·p)). The two grids are then convolved (directly
 * when small, else by FFT), and the result paired with h at the grid points (k_A + k_B + k)·Δ.
 *
 * Error per node (all normalised by n²), returned in `err`:
 *  - spreading: per unit of pair weight ≤ c_p·Δ^p·max|h^{(p)}| near the pair, times
 *    K_p = λ^p + Λ(1−λ)^p + Λ²(1 + Λ) ≤ 1 + Λ + Λ²(1+Λ) (stage 1 on both ends, stage 2 on both ends with
 *    the stage-1 weights bounded by Λ); the local max of |h^{(p)}| is the envelope below, taken REACH·Δ
 *    closer to 0 than the grid point (the stencils move a pair by at most that much);
 *  - FFT: ‖ĉ − c‖₂ ≤ 3·log₂M·η·max(‖a‖₂‖b‖₁, ‖a‖₁‖b‖₂) with η = 7ε, paired with ‖h‖₂ over the output
 *    (Cauchy–Schwarz); direct convolution: min(G_A, G_B)·ε·‖a‖₁‖b‖₁·max|h|;
 *  - rounding of the spreading weights and of the final sums: (4 + 2p)·ε·Σ_k |c_k h_k|.
 */
import { FftPlan, nextPow2 } from "../../core/fft.js";
import { OverflowError } from "../../core/errors.js";
import { softplus } from "../../core/special.js";
import { C_P, Lagrange, LEBESGUE, respread, spreadPoints, type Grid } from "./spread.js";
import { EPS } from "../../core/constants.js";

/** max_x |softplus^{(p)}(x)| (mpmath, 0.05 grid on [0, 6], rounded up by 1%) */
const SOFTPLUS_MAX: Readonly<Record<number, number>> = { 4: 0.127, 6: 0.253, 8: 1.08, 10: 7.83, 12: 87.3, 14: 1379, 16: 29340 };

export type ScalarName = "logistic" | "poisson" | "squared";

/** Which label a pair carries: labelled ỹ = λy_i + (1−λ)y_j, or label-free ỹ = y_i. */
export type LabelMode = "labelled" | "label-i";

export interface NodeSum {
  /** (1/n²) Σ_ij l(w_ij, ỹ_ij) */
  value: number;
  /** the scale: (1/n²) Σ of the non-negative parts (logistic: = value; else mean h + |label part|) */
  abs: number;
  /** error bound of `value` (spreading + FFT + rounding) */
  err: number;
}

/** Bins at or above which (G_A + G_B) a convolution goes through the FFT rather than directly. */
const MAX_BINS = 1 << 22;

export interface ConvolutionParams {
  /** grid step Δ (both stages) */
  delta: number;
  /** spreading order p (even, 4…16) */
  p: number;
}

/**
 * |h^{(p)}| envelope for the spreading error estimate: logistic min(max|sp^{(p)}|, Σ_{m≥1} m^{p−1} e^{−m|x|})
 * (softplus^{(p)} = σ^{(p−1)} and σ(x) = Σ_{m≥0} (−1)^m e^{−mx} for x > 0, termwise); Poisson e^x.
 */
export function derivativeEnvelope(name: ScalarName, p: number, x: number): number {
  if (name === "squared") return p > 2 ? 0 : 1;
  if (name === "poisson") return Math.exp(x);
  const M = SOFTPLUS_MAX[p];
  const ax = Math.abs(x);
  if (ax < 1.5) return M;
  let s = 0;
  for (let m = 1; m <= 400; m++) {
    const t = Math.exp((p - 1) * Math.log(m) - m * ax);
    s += t;
    if (m * ax > p - 1 && t < 1e-6 * s) break;
  }
  return Math.min(M, s);
}

/** Grid step for a requested absolute per-pair spreading error `target` (relative for Poisson). */
export function chooseDelta(name: ScalarName, p: number, target: number, range: number): number {
  const K = spreadConstant(p);
  if (name === "squared") return Math.max(range / 256, 1e-300);
  if (name === "logistic") return Math.pow(target / (K * SOFTPLUS_MAX[p]), 1 / p);
  // Poisson: K·Δ^p·e^{REACH_P·Δ} ≤ target (the envelope e^{x} is taken REACH_P·Δ beyond the grid point)
  let d = Math.pow(target / K, 1 / p);
  for (let it = 0; it < 60; it++) d = Math.pow(target / (K * Math.exp(reach(p) * d)), 1 / p);
  return d;
}

/** c_p·(1 + Λ + Λ²(1 + Λ)): the per-pair spreading bound divided by Δ^p·max|h^{(p)}|. */
export function spreadConstant(p: number): number {
  const L = LEBESGUE[p];
  return C_P[p] * (1 + L + L * L * (1 + L));
}

/** How far (in units of Δ) the stencils of both stages move a pair: 3(p − 1) plus 1.5p for the bin. */
export function reach(p: number): number {
  return 3 * (p - 1) + 1.5 * p;
}

export class ConvolutionPairSums {
  readonly n: number;
  readonly name: ScalarName;
  readonly delta: number;
  readonly p: number;
  private readonly L: Lagrange;
  private readonly grid: Grid;
  private readonly mY: number;
  private readonly mZ: number;
  private readonly mYZ: number;
  /** 1-based row of the largest score, for overflow messages */
  private readonly rowMax: number;
  private bufA: Float64Array[];
  private bufB: Float64Array[];
  private readonly scratch = new Scratch();
  /** h, h(−·) (logistic) and the derivative envelope at the grid points KΔ, K = tabK0 … tabK0 + len − 1 */
  private readonly tabK0: number;
  private readonly tabH0: Float64Array;
  private readonly tabH1: Float64Array;
  private readonly tabEnv: Float64Array;
  /** prefix sums of h0², h1² (for ‖h‖₂ over an output range) */
  private readonly tabH0sq: Float64Array;
  private readonly tabH1sq: Float64Array;
  /** Poisson: the table holds e^{KΔ − shift} */
  private readonly shift: number;
  /** evaluations so far */
  evals = 0;

  constructor(z: Float64Array, y: Float64Array, name: ScalarName, params: ConvolutionParams) {
    this.n = z.length;
    this.name = name;
    this.delta = params.delta;
    this.p = params.p;
    this.L = new Lagrange(params.p);
    const n = this.n;
    let sy = 0, sz = 0, syz = 0, cy = 0, cz = 0, cyz = 0;
    let imax = 0;
    for (let i = 0; i < n; i++) {
      // Neumaier sums of y, z, y·z
      const a = y[i], b = z[i], c = y[i] * z[i];
      let t = sy + a; cy += Math.abs(sy) >= Math.abs(a) ? sy - t + a : a - t + sy; sy = t;
      t = sz + b; cz += Math.abs(sz) >= Math.abs(b) ? sz - t + b : b - t + sz; sz = t;
      t = syz + c; cyz += Math.abs(syz) >= Math.abs(c) ? syz - t + c : c - t + syz; syz = t;
      if (z[i] > z[imax]) imax = i;
    }
    this.mY = (sy + cy) / n;
    this.mZ = (sz + cz) / n;
    this.mYZ = (syz + cyz) / n;
    this.rowMax = imax + 1;
    if (name === "logistic") {
      const wy = new Float64Array(n);
      const w1y = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        wy[i] = y[i];
        w1y[i] = 1 - y[i];
      }
      this.grid = spreadPoints(z, [wy, w1y], this.delta, this.L);
    } else {
      this.grid = spreadPoints(z, [new Float64Array(n).fill(1)], this.delta, this.L);
    }
    // every output position of a node lies in [λ·lo + (1−λ)·lo, λ·hi + (1−λ)·hi] widened by the stencils
    // of both stages (≤ p bins each side of each point): table K from the stage-1 grid's ends ± 3p
    const g = this.grid;
    const margin = 3 * params.p + 4;
    this.tabK0 = g.k0 - margin;
    const len = g.size + 2 * margin;
    this.shift = name === "poisson" ? (this.tabK0 + len - 1) * this.delta : 0;
    this.tabH0 = new Float64Array(len);
    this.tabH1 = new Float64Array(len);
    this.tabEnv = new Float64Array(len);
    this.tabH0sq = new Float64Array(len + 1);
    this.tabH1sq = new Float64Array(len + 1);
    const env0 = reach(this.p) * this.delta;
    for (let k = 0; k < len; k++) {
      const x = (this.tabK0 + k) * this.delta;
      if (name === "logistic") {
        this.tabH0[k] = softplus(x);
        this.tabH1[k] = softplus(-x);
        this.tabEnv[k] = derivativeEnvelope("logistic", this.p, Math.max(0, Math.abs(x) - env0));
      } else if (name === "poisson") {
        this.tabH0[k] = Math.exp(x - this.shift);
        this.tabEnv[k] = this.tabH0[k] * Math.exp(env0);
      } else this.tabH0[k] = 0.5 * x * x;
      this.tabH0sq[k + 1] = this.tabH0sq[k] + this.tabH0[k] * this.tabH0[k];
      this.tabH1sq[k + 1] = this.tabH1sq[k] + this.tabH1[k] * this.tabH1[k];
    }
    const S = this.grid.w.length;
    this.bufA = Array.from({ length: S }, () => new Float64Array(64));
    this.bufB = Array.from({ length: S }, () => new Float64Array(64));
  }

  /**
   * The stage-1 grid of the points with unit weights (for the per-point sums of the gradient): the grid
   * itself for Poisson and squared, the sum of the y and 1 − y grids for logistic (O(G), no new spreading).
   */
  unitGrid(): Grid {
    const g = this.grid;
    if (g.w.length === 1) return g;
    const w = new Float64Array(g.size);
    for (let k = 0; k < g.size; k++) w[k] = g.w[0][k] + g.w[1][k];
    return { k0: g.k0, size: g.size, step: g.step, w: [w] };
  }

  /** bins of the stage-1 grid */
  get gridSize(): number {
    return this.grid.size;
  }

  /** T(λ) with λ = lam, 1 − λ = omLam (both passed so that each is relatively accurate). */
  at(lam: number, omLam: number, mode: LabelMode): NodeSum {
    this.evals++;
    const { delta, L } = this;
    const ga = respread(this.grid, lam, delta, L, this.bufA);
    const gb = respread(this.grid, omLam, delta, L, this.bufB);
    const GA = ga.size;
    const GB = gb.size;
    const Gc = GA + GB - 1;
    if (GA + GB > MAX_BINS) throw new RangeError(`convolution grid of ${GA + GB} bins is too wide`);
    // output bin k sits at (kc0 + k)·Δ, table index t0 + k
    const kc0 = ga.k0 + gb.k0;
    const t0 = kc0 - this.tabK0;
    if (t0 < 0 || t0 + Gc > this.tabH0.length) throw new RangeError("convolution output outside the h table (a bug)");
    const hr: HRange = { t0, Gc, h: [this.tabH0, this.tabH1], sq: [this.tabH0sq, this.tabH1sq] };
    const cA = mode === "labelled" ? lam : 1;
    const cB = mode === "labelled" ? omLam : 0;
    const n2 = this.n * this.n;
    const H0 = this.tabH0, H1 = this.tabH1, E = this.tabEnv;
    const K = spreadConstant(this.p) * Math.pow(delta, this.p);
    if (this.name === "logistic") {
      // grids: [0] = y, [1] = 1 − y
      const Ay = this.bufA[0], A1y = this.bufA[1], By = this.bufB[0], B1y = this.bufB[1];
      const A1: [Float64Array, Float64Array] = [Ay, A1y];
      const B1: [Float64Array, Float64Array] = [By, B1y];
      const all: Term[] = [
        { a: A1y, b: B1, c: cA, h: 0 },
        { a: A1, b: B1y, c: cB, h: 0 },
        { a: Ay, b: B1, c: cA, h: 1 },
        { a: A1, b: By, c: cB, h: 1 },
      ];
      const terms = all.filter((t) => t.c !== 0);
      const { out, fftErr } = convolveTerms(this.scratch, terms, GA, GB, 2, hr);
      const o0 = out[0], o1 = out[1];
      let s = 0, c = 0, absCh = 0, spread = 0;
      for (let k = 0; k < Gc; k++) {
        const c0 = o0[k], c1 = o1[k];
        if (c0 === 0 && c1 === 0) continue;
        const v0 = c0 * H0[t0 + k], v1 = c1 * H1[t0 + k];
        const v = v0 + v1;
        const t = s + v;
        c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
        s = t;
        absCh += Math.abs(v0) + Math.abs(v1);
        spread += (Math.abs(c0) + Math.abs(c1)) * E[t0 + k];
      }
      const value = (s + c) / n2;
      const err = (K * spread + fftErr + (4 + 2 * this.p) * EPS * absCh) / n2;
      return { value, abs: Math.abs(value), err };
    }
    // Poisson, squared: h part by convolution of the unit-weight grids, label part closed form
    const { out, fftErr } = convolveTerms(this.scratch, [{ a: this.bufA[0], b: this.bufB[0], c: 1, h: 0 }], GA, GB, 1, hr);
    const o0 = out[0];
    let s = 0, c = 0, absCh = 0, spread = 0;
    for (let k = 0; k < Gc; k++) {
      const ck = o0[k];
      if (ck === 0) continue;
      const v = ck * H0[t0 + k];
      const t = s + v;
      c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
      s = t;
      absCh += Math.abs(v);
      spread += Math.abs(ck) * E[t0 + k];
    }
    const scale = this.name === "poisson" ? Math.exp(this.shift) : 1;
    const H = ((s + c) / n2) * scale;
    if (!Number.isFinite(H)) {
      throw new OverflowError(this.rowMax, `Poisson loss overflows: e^z at the largest score (row ${this.rowMax}) is beyond the float64 range`);
    }
    const lab =
      mode === "labelled"
        ? (lam * lam + omLam * omLam) * this.mYZ + 2 * lam * omLam * this.mY * this.mZ
        : lam * this.mYZ + omLam * this.mY * this.mZ;
    // squared: h^{(p)} = 0 for p > 2, the spreading is exact (tabEnv = 0)
    const err = ((K * spread + fftErr + (4 + 2 * this.p) * EPS * absCh) / n2) * scale + 4 * EPS * (Math.abs(lab) + Math.abs(H));
    return { value: H - lab, abs: Math.abs(H) + Math.abs(lab), err };
  }
}

/** The h values of a node's output bins: h[i][t0 + k] for bin k < Gc, with prefix sums of squares. */
interface HRange {
  t0: number;
  Gc: number;
  h: Float64Array[];
  sq: Float64Array[];
}

/** One convolution term c·(a ⋆ b) paired with h number `h`; a sum of grids [x, y] means x + y. */
interface Term {
  a: Float64Array | [Float64Array, Float64Array];
  b: Float64Array | [Float64Array, Float64Array];
  c: number;
  h: number;
}

/** Scratch arrays of one evaluator, reused across nodes (grown on demand). */
class Scratch {
  private readonly bufs: Float64Array[] = [];
  private readonly ints: Int32Array[] = [];
  get(i: number, M: number): Float64Array {
    if (this.bufs[i] === undefined || this.bufs[i].length < M) this.bufs[i] = new Float64Array(M);
    return this.bufs[i];
  }
  getInt(i: number, M: number): Int32Array {
    if (this.ints[i] === undefined || this.ints[i].length < M) this.ints[i] = new Int32Array(M);
    return this.ints[i];
  }
}

function norms(x: Float64Array | [Float64Array, Float64Array], G: number): { l1: number; l2: number } {
  let l1 = 0, l2 = 0;
  if (Array.isArray(x)) {
    const [x0, x1] = x;
    for (let k = 0; k < G; k++) {
      const v = x0[k] + x1[k];
      l1 += Math.abs(v);
      l2 += v * v;
    }
  } else {
    for (let k = 0; k < G; k++) {
      const v = x[k];
      l1 += Math.abs(v);
      l2 += v * v;
    }
  }
  return { l1, l2: Math.sqrt(l2) };
}

/**
 * out[h] = Σ over the terms with that h of c·(a ⋆ b), for nh outputs of length G_A + G_B − 1, and the
 * bound Σ_terms |c|·(convolution rounding bound)·‖h‖ (see the file comment).
 */
function convolveTerms(
  sc: Scratch,
  terms: Term[],
  GA: number,
  GB: number,
  nh: number,
  hr: HRange,
): { out: Float64Array[]; fftErr: number } {
  const Gc = GA + GB - 1;
  const out: Float64Array[] = [];
  for (let i = 0; i < nh; i++) {
    const o = sc.get(10 + i, Gc);
    o.fill(0, 0, Gc);
    out.push(o);
  }
  // ‖h‖₂ over the output bins (prefix sums) and max|h| (every h here is monotone or convex: at an end)
  const h2 = [0, 0];
  const hmax = [0, 0];
  for (let i = 0; i < nh; i++) {
    h2[i] = Math.sqrt(Math.max(0, hr.sq[i][hr.t0 + Gc] - hr.sq[i][hr.t0]));
    hmax[i] = Math.max(Math.abs(hr.h[i][hr.t0]), Math.abs(hr.h[i][hr.t0 + Gc - 1]));
  }
  let fftErr = 0;
  const normCache = new Map<object, { l1: number; l2: number }>();
  const normOf = (x: Float64Array | [Float64Array, Float64Array], G: number) => {
    let r = normCache.get(x);
    if (r === undefined) {
      r = norms(x, G);
      normCache.set(x, r);
    }
    return r;
  };
  const M = nextPow2(Gc);
  const lg = Math.max(1, Math.log2(M));
  // operands materialised with their non-zero bins (the grids of a few wide-apart points are sparse)
  const ops = new Map<object, { v: Float64Array; nz: Int32Array; nnz: number }>();
  let opSlot = 40;
  const operand = (x: Float64Array | [Float64Array, Float64Array], G: number) => {
    let r = ops.get(x);
    if (r === undefined) {
      const v = sc.get(opSlot++, G);
      materialise(x, G, v);
      const nz = sc.getInt(opSlot, G);
      let nnz = 0;
      for (let k = 0; k < G; k++) if (v[k] !== 0) nz[nnz++] = k;
      r = { v, nz, nnz };
      ops.set(x, r);
    }
    return r;
  };
  let directCost = 0;
  for (const t of terms) directCost += operand(t.a, GA).nnz * operand(t.b, GB).nnz;
  const distinct = new Set<object>();
  for (const t of terms) {
    for (const x of [t.a, t.b]) {
      if (Array.isArray(x)) for (const y of x) distinct.add(y);
      else distinct.add(x);
    }
  }
  // a butterfly costs about six multiply-adds of the direct sum (measured, node 20)
  const fftCost = 3 * (distinct.size + nh) * M * lg;
  if (directCost <= fftCost) {
    for (const t of terms) {
      const A = operand(t.a, GA), B = operand(t.b, GB);
      const o = out[t.h];
      const c = t.c;
      const bv = B.v, bz = B.nz, nb = B.nnz;
      for (let p = 0; p < A.nnz; p++) {
        const i = A.nz[p];
        const ai = c * A.v[i];
        for (let q = 0; q < nb; q++) {
          const j = bz[q];
          o[i + j] += ai * bv[j];
        }
      }
      const na = normOf(t.a, GA), nbn = normOf(t.b, GB);
      // each output entry: at most min(nnz) products per term, summed over ≤ 4 terms
      fftErr += Math.abs(c) * (Math.min(A.nnz, nb) + 4) * EPS * na.l1 * nbn.l1 * hmax[t.h];
    }
    return { out, fftErr };
  }
  // FFT: spectra of the distinct grids (a sum of two grids is the sum of their spectra)
  const plan = FftPlan.of(M);
  const cache = new Map<Float64Array, [Float64Array, Float64Array]>();
  let slot = 20;
  const spectrum = (x: Float64Array, G: number): [Float64Array, Float64Array] => {
    let s = cache.get(x);
    if (s === undefined) {
      const re = sc.get(slot++, M), im = sc.get(slot++, M);
      re.set(x.subarray(0, G));
      re.fill(0, G, M);
      im.fill(0, 0, M);
      plan.transform(re, im);
      s = [re, im];
      cache.set(x, s);
    }
    return s;
  };
  const sumCache = new Map<object, [Float64Array, Float64Array]>();
  const sumSpec = (x: Float64Array | [Float64Array, Float64Array], G: number) => {
    if (!Array.isArray(x)) return spectrum(x, G);
    const hit = sumCache.get(x);
    if (hit !== undefined) return hit;
    const [ar, ai] = spectrum(x[0], G);
    const [br, bi] = spectrum(x[1], G);
    const re = sc.get(slot++, M), im = sc.get(slot++, M);
    for (let k = 0; k < M; k++) {
      re[k] = ar[k] + br[k];
      im[k] = ai[k] + bi[k];
    }
    const r: [Float64Array, Float64Array] = [re, im];
    sumCache.set(x, r);
    return r;
  };
  const pre = Array.from({ length: nh }, (_, i) => sc.get(2 + 2 * i, M).fill(0, 0, M));
  const pim = Array.from({ length: nh }, (_, i) => sc.get(3 + 2 * i, M).fill(0, 0, M));
  const eta = 7 * EPS;
  for (const t of terms) {
    const [ar, ai] = sumSpec(t.a, GA);
    const [br, bi] = sumSpec(t.b, GB);
    const r = pre[t.h], im = pim[t.h];
    const c = t.c;
    for (let k = 0; k < M; k++) {
      r[k] += c * (ar[k] * br[k] - ai[k] * bi[k]);
      im[k] += c * (ar[k] * bi[k] + ai[k] * br[k]);
    }
    const na = normOf(t.a, GA), nb = normOf(t.b, GB);
    fftErr += Math.abs(c) * 3 * lg * eta * Math.max(na.l2 * nb.l1, na.l1 * nb.l2) * h2[t.h];
  }
  for (let i = 0; i < nh; i++) {
    plan.transform(pre[i], pim[i], true);
    const o = out[i];
    for (let k = 0; k < Gc; k++) o[k] = pre[i][k] / M;
  }
  return { out, fftErr };
}

function materialise(x: Float64Array | [Float64Array, Float64Array], G: number, into: Float64Array): void {
  if (Array.isArray(x)) for (let k = 0; k < G; k++) into[k] = x[0][k] + x[1][k];
  else into.set(x.subarray(0, G));
}

/**
 * The same T(λ) by the all-pairs sum (Neumaier-compensated over the n² terms): the reference of the
 * convolution in tests and in the fast-exact-agrees check. O(n²).
 */
export function allPairsNodeSum(
  z: Float64Array,
  y: Float64Array,
  name: ScalarName,
  lam: number,
  omLam: number,
  mode: LabelMode,
): number {
  const acc: PairSumState = { s: 0, c: 0 };
  addPairRows(z, y, name, lam, omLam, mode, 0, z.length, acc);
  return pairSumValue(acc, z.length);
}

/** A running Neumaier sum of pair terms: total s, compensation c. */
export interface PairSumState {
  s: number;
  c: number;
}

/** T(λ) from the running sum over all n² pairs. */
export function pairSumValue(acc: PairSumState, n: number): number {
  return (acc.s + acc.c) / (n * n);
}

/**
 * The terms of the rows i in [i0, i1) (every partner j) added to `acc`, in the order of allPairsNodeSum:
 * so a caller can cut the O(n²) sum into blocks of rows (to report progress between them) and get the
 * same bytes.
 */
export function addPairRows(
  z: Float64Array,
  y: Float64Array,
  name: ScalarName,
  lam: number,
  omLam: number,
  mode: LabelMode,
  i0: number,
  i1: number,
  acc: PairSumState,
): void {
  const n = z.length;
  let s = acc.s, c = acc.c;
  const cA = mode === "labelled" ? lam : 1;
  const cB = mode === "labelled" ? omLam : 0;
  for (let i = i0; i < i1; i++) {
    const ai = lam * z[i];
    const yi = cA * y[i];
    const ni = cA * (1 - y[i]);
    for (let j = 0; j < n; j++) {
      const w = ai + omLam * z[j];
      const yt = yi + cB * y[j];
      let v: number;
      // 1 − ỹ = cA(1 − y_i) + cB(1 − y_j) (cA + cB = 1): no cancellation when ỹ ≈ 1
      if (name === "logistic") v = (ni + cB * (1 - y[j])) * softplus(w) + yt * softplus(-w);
      else if (name === "poisson") v = Math.exp(w) - yt * w;
      else v = w * (0.5 * w - yt);
      const t = s + v;
      c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
      s = t;
    }
  }
  acc.s = s;
  acc.c = c;
}
