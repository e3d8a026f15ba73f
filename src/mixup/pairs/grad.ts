import { EPS } from "../../core/constants.js";
import { family as familyOf } from "../../losses/index.js";
import type { Family, ScalarFamily, VectorFamily } from "../../losses/types.js";
import { activationFns, type ActivationFns } from "../../models/activation.js";
import type { TwoLayerModel } from "../../models/types.js";
import { KRONROD } from "../../mixing/kronrod.js";
import { logisticFromPhi, logisticGradFromSig, phiAndSigma, sigNeg } from "../softplusTable.js";
import { AdaptivePair, type PieceRules } from "./adaptive.js";
import { nodeLam, nodeMlam, PairGeometry } from "./geometry.js";
import type { PairProblem } from "./problem.js";
import { sumPairs, type PairTerms } from "./rows.js";

/**
 * Partial sums of one chunk of rows [i0, i1) for the θ-gradient of the exact Mixup loss; reduced in chunk
 * order (GradReducer, exactGrad.ts) so the bytes do not depend on the number of workers.
 *
 * The first layer is linear, so everything lives in pre-activation space: for a node λ on pair (i, j) with
 * weight w, u = λu_i + (1−λ)u_j, g = dl/df and δ = σ'(u) ⊙ Vᵀg (δ = g for a linear model), the pair adds
 * w·λ·δ to D_i and w·(1−λ)·δ to D_j (p-vectors), and w·g·aᵀ, w·g to the head gradient. The first layer's
 * gradient Σ_i D_i x_iᵀ / #pairs is formed once at the end (GradReducer, exactGrad.ts).
 */
export interface GradChunk {
  readonly i0: number;
  readonly i1: number;
  /** Σ over the chunk's pairs of ∫ l dμ (compensated), as the loss path's ChunkResult */
  readonly value: number;
  readonly err: number;
  readonly abs: number;
  readonly evals: number;
  readonly unresolved: number;
  /** rows [i0, n) × p of D (compensated sums, folded) */
  readonly D: Float64Array;
  /** bound on the error of each D entry: Σ |Q_2N − Q_N| of the moments it is made of, plus rounding */
  readonly Derr: Float64Array;
  /** head gradient sums, two-layer only: V (K×m) then c (K); empty for a linear model */
  readonly H: Float64Array;
  readonly Herr: Float64Array;
}

type Mode = "linear" | "relu" | "smooth";

/**
 * Adaptive per-pair integration of the loss AND of its gradient moments, on the loss path's pieces: ReLU
 * kink segments, graded points around sharp crossings of the score, 1/2 once split; Gauss–Kronrod ladder
 * where the Beta weight is smooth on the piece, N/2N-node Gauss–Jacobi piece rules where a piece touches a
 * singular end. A piece is accepted when |Q_hi − Q_lo| of the loss and of every moment is within
 * tol/4 of that quantity's ∫|·| on the piece plus its length share of tol/4 of the pair's ∫|·|.
 *
 * Moments per node (v[0] = l):
 *  - linear / ReLU (f affine on each segment): v = [l, λ g (K), (1−λ) g (K)] per segment; the hidden-layer
 *    distribution (mask ⊙ Vᵀ·) happens once per pair through prefix sums over the segments (each unit is
 *    active on a contiguous run of segments), O(mK) per pair;
 *  - softplus / tanh: v = [l, λδ (m), (1−λ)δ (m), g⊗a (K×m), g (K)], O(mK) per node.
 */
export class GradIntegrator implements PairTerms, PieceRules {
  private readonly P: PairProblem;
  private readonly mode: Mode;
  private readonly sfam: ScalarFamily | null;
  private readonly vfam: VectorFamily | null;
  private readonly act: ActivationFns | null;
  private readonly net: TwoLayerModel | null;
  private readonly G: PairGeometry;
  private readonly loop: AdaptivePair;
  private readonly logistic: boolean;
  /** values per node: 1 (loss) + moments */
  private readonly NV: number;
  // accepted moments per segment (ReLU / linear: 2K values per segment) or per pair (smooth)
  private segM = new Float64Array(0);
  private segE = new Float64Array(0);
  private segA = new Float64Array(0);
  // scratch
  private readonly v: Float64Array;
  private readonly u: Float64Array;
  private readonly a: Float64Array;
  private readonly sp: Float64Array;
  private readonly z: Float64Array;
  private readonly gv: Float64Array;
  private readonly yv: Float64Array;
  private i = 0;
  private j = 0;
  evals = 0;
  // chunk accumulators
  private D = new Float64Array(0);
  private Dc = new Float64Array(0);
  private Derr = new Float64Array(0);
  private H = new Float64Array(0);
  private Hc = new Float64Array(0);
  private Herr = new Float64Array(0);
  private dOff = 0;
  pairErr = 0;
  pairAbs = 0;
  pairUnresolved = 0;

  constructor(problem: PairProblem) {
    // form "both" is the loss's (loss.ts): the gradient integrates one form
    if (problem.form === "both") throw new RangeError("the gradient integrates one form, not both");
    this.P = problem;
    const fam: Family = familyOf(problem.familyName);
    this.sfam = fam.vector ? null : fam;
    this.vfam = fam.vector ? fam : null;
    const model = problem.model;
    this.mode = model.kind === "linear" ? "linear" : model.activation === "relu" ? "relu" : "smooth";
    this.net = model.kind === "linear" ? null : model;
    this.act = model.kind === "linear" ? null : activationFns(model.activation);
    const { p, K } = problem;
    this.G = new PairGeometry(problem, { stack: 64, maxInitial: Infinity });
    this.logistic = problem.familyName === "logistic";
    this.NV = this.mode === "smooth" ? 1 + 2 * p + K * p + K : 1 + 2 * K;
    this.loop = new AdaptivePair(this.G, this.NV, problem.tol, problem.N);
    this.v = new Float64Array(this.NV);
    this.u = new Float64Array(Math.max(1, p));
    this.a = new Float64Array(Math.max(1, p));
    this.sp = new Float64Array(Math.max(1, p));
    this.z = new Float64Array(Math.max(1, K));
    this.gv = new Float64Array(Math.max(1, K));
    this.yv = new Float64Array(Math.max(1, K));
  }

  /** Pairs (i, j), i in [i0, i1), j > i, plus the diagonal terms of those rows when pairs = all. */
  integrateRows(i0: number, i1: number): GradChunk {
    const { n, p, K } = this.P;
    const rows = n - i0;
    this.dOff = i0;
    this.D = new Float64Array(rows * p);
    this.Dc = new Float64Array(rows * p);
    this.Derr = new Float64Array(rows * p);
    const hl = this.net ? K * p + K : 0;
    this.H = new Float64Array(hl);
    this.Hc = new Float64Array(hl);
    this.Herr = new Float64Array(hl);
    const sums = sumPairs(this, this.P, i0, i1);
    const D = this.D;
    for (let q = 0; q < D.length; q++) D[q] += this.Dc[q];
    const H = this.H;
    for (let q = 0; q < H.length; q++) H[q] += this.Hc[q];
    return { i0, i1, ...sums, D, Derr: this.Derr, H, Herr: this.Herr };
  }

  // ---------------------------------------------------------------- accumulation (compensated)

  private addD(row: number, r: number, x: number, e: number): void {
    const q = (row - this.dOff) * this.P.p + r;
    const s = this.D[q];
    const t = s + x;
    this.Dc[q] += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
    this.D[q] = t;
    // the compensated sum adds ~2ε·|x| per term
    this.Derr[q] += e + 4 * EPS * Math.abs(x);
  }

  private addH(q: number, x: number, e: number): void {
    const s = this.H[q];
    const t = s + x;
    this.Hc[q] += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
    this.H[q] = t;
    this.Herr[q] += e + 4 * EPS * Math.abs(x);
  }

  /** The diagonal pair (i, i): l(f(x_i), y_i) and its full backprop, mass 1. */
  pointTerm(i: number): number {
    const { K, p, U, Y } = this.P;
    const io = i * p;
    const z = this.z;
    const g = this.gv;
    if (this.net === null) {
      for (let k = 0; k < K; k++) z[k] = U[io + k];
    } else {
      const { V, c } = this.net;
      const act = this.act!;
      for (let k = 0; k < K; k++) z[k] = c ? c[k] : 0;
      for (let r = 0; r < p; r++) {
        const ar = act.f(U[io + r]);
        this.a[r] = ar;
        for (let k = 0; k < K; k++) z[k] += V[k * p + r] * ar;
      }
    }
    let l: number;
    if (this.sfam) {
      l = this.sfam.loss(z[0], Y[i]);
      g[0] = this.sfam.dloss(z[0], Y[i]);
    } else {
      l = this.vfam!.loss(z, 0, K, Y, i * K);
      this.vfam!.dloss(z, 0, K, Y, i * K, g, 0);
    }
    if (!Number.isFinite(l)) throw this.G.overflow(i, i, l);
    if (this.net === null) {
      for (let k = 0; k < K; k++) this.addD(i, k, g[k], 0);
    } else {
      const { V } = this.net;
      const act = this.act!;
      for (let r = 0; r < p; r++) {
        const s = act.d1(U[io + r]);
        let back = 0;
        for (let k = 0; k < K; k++) back += V[k * p + r] * g[k];
        this.addD(i, r, s * back, 0);
        for (let k = 0; k < K; k++) this.addH(k * p + r, g[k] * this.a[r], 0);
      }
      for (let k = 0; k < K; k++) this.addH(K * p + k, g[k], 0);
    }
    return l;
  }

  // ---------------------------------------------------------------- one pair

  integratePair(i: number, j: number): number {
    this.i = i;
    this.j = j;
    const G = this.G;
    G.setPair(i, j);
    if (this.mode === "relu") G.activeRuns();
    // per-segment accepted moments
    const nm = this.NV - 1;
    const segSlots = this.mode === "smooth" ? 1 : G.nSeg;
    if (this.segM.length < segSlots * nm) {
      this.segM = new Float64Array(2 * segSlots * nm);
      this.segE = new Float64Array(2 * segSlots * nm);
      this.segA = new Float64Array(2 * segSlots * nm);
    }
    this.segM.fill(0, 0, segSlots * nm);
    this.segE.fill(0, 0, segSlots * nm);
    this.segA.fill(0, 0, segSlots * nm);
    const total = this.loop.run(this);
    if (!Number.isFinite(total)) throw this.G.overflow(i, j, total);
    this.pairErr = this.loop.err;
    this.pairAbs = this.loop.abs;
    this.pairUnresolved = this.loop.unresolved;
    this.distribute();
    return total;
  }

  /** An accepted piece: its moments (values 1..NV−1) go to its segment (smooth nets: one slot per pair). */
  accept(o: number, seg: number): void {
    const L = this.loop;
    const q1 = L.q1;
    const q2 = L.q2;
    const qa = L.qa;
    const roundK = L.roundK;
    const NV = this.NV;
    const so = (this.mode === "smooth" ? 0 : seg) * (NV - 1);
    for (let q = 1; q < NV; q++) {
      this.segM[so + q - 1] += q2[o + q];
      this.segE[so + q - 1] += Math.abs(q2[o + q] - q1[o + q]) + roundK * qa[o + q];
      this.segA[so + q - 1] += qa[o + q];
    }
  }

  /** Adds the pair's accepted moments to D_i, D_j and the head gradient. */
  private distribute(): void {
    const { K, p, U } = this.P;
    const i = this.i;
    const j = this.j;
    const nm = this.NV - 1;
    const segM = this.segM;
    const segE = this.segE;
    const segA = this.segA;
    if (this.mode === "linear") {
      for (let k = 0; k < K; k++) {
        const gi = segM[k];
        const gj = segM[K + k];
        if (!Number.isFinite(gi) || !Number.isFinite(gj)) throw this.G.overflow(i, j, gi + gj);
        this.addD(i, k, gi, segE[k]);
        this.addD(j, k, gj, segE[K + k]);
      }
      return;
    }
    const net = this.net!;
    const V = net.V;
    const io = i * p;
    const jo = j * p;
    if (this.mode === "smooth") {
      for (let r = 0; r < p; r++) {
        this.addD(i, r, segM[r], segE[r]);
        this.addD(j, r, segM[p + r], segE[p + r]);
      }
      const ho = 2 * p;
      for (let q = 0; q < K * p + K; q++) this.addH(q, segM[ho + q], segE[ho + q]);
      for (let q = 0; q < nm; q++) if (!Number.isFinite(segM[q])) throw this.G.overflow(i, j, segM[q]);
      return;
    }
    // ReLU: prefix sums over segments of [λg (K), (1−λ)g (K)] and of their error bounds, per unit the
    // difference over its active run
    const S = this.G.nSeg;
    const pre = this.ensurePre((S + 1) * 4 * K);
    // layout: pre[s*4K + (0..K): Σλg, (K..2K): Σ(1−λ)g, (2K..3K): error of λg, (3K..4K): error of (1−λ)g]
    const W4 = 4 * K;
    for (let q = 0; q < W4; q++) pre[q] = 0;
    let absTot = 0;
    for (let s = 0; s < S; s++) {
      const a = s * W4;
      const b = a + W4;
      const so = s * nm;
      for (let k = 0; k < 2 * K; k++) {
        pre[b + k] = pre[a + k] + segM[so + k];
        pre[b + 2 * K + k] = pre[a + 2 * K + k] + segE[so + k];
        absTot += segA[so + k];
      }
    }
    // rounding of the running sums and their differences: ≤ 2S·ε·Σ|terms|, bounded by the ∫|·| total
    const roundRun = 2 * (S + 1) * EPS * absTot;
    for (let k = 0; k < 2 * K; k++) {
      const tot = pre[S * W4 + k];
      if (!Number.isFinite(tot)) throw this.G.overflow(i, j, tot);
    }
    for (let r = 0; r < p; r++) {
      const s0 = this.G.runLo[r];
      const s1 = this.G.runHi[r];
      if (s1 <= s0) continue;
      const a = s0 * W4;
      const b = s1 * W4;
      let di = 0;
      let dj = 0;
      let ei = 0;
      let ej = 0;
      const ui = U[io + r];
      const uj = U[jo + r];
      for (let k = 0; k < K; k++) {
        const g1 = pre[b + k] - pre[a + k];
        const g2 = pre[b + K + k] - pre[a + K + k];
        const e1 = pre[b + 2 * K + k] - pre[a + 2 * K + k] + roundRun;
        const e2 = pre[b + 3 * K + k] - pre[a + 3 * K + k] + roundRun;
        const vk = V[k * p + r];
        di += vk * g1;
        dj += vk * g2;
        ei += Math.abs(vk) * e1;
        ej += Math.abs(vk) * e2;
        // ∫ g_k a_r = u_i,r ∫λg_k + u_j,r ∫(1−λ)g_k over the run
        this.addH(k * p + r, ui * g1 + uj * g2, Math.abs(ui) * e1 + Math.abs(uj) * e2);
      }
      this.addD(i, r, di, ei);
      this.addD(j, r, dj, ej);
    }
    for (let k = 0; k < K; k++) {
      const b = S * W4;
      this.addH(K * p + k, pre[b + k] + pre[b + K + k], pre[b + 2 * K + k] + pre[b + 3 * K + k] + 2 * roundRun);
    }
  }

  private ensurePre(len: number): Float64Array {
    if (this.preBuf.length < len) this.preBuf = new Float64Array(2 * len);
    return this.preBuf;
  }
  private preBuf = new Float64Array(0);

  // ---------------------------------------------------------------- rules on a piece

  /** Gauss–Kronrod rung `level` on [lo, hi]: the hot affine-scalar case, or the general one. */
  kronrod(lo: number, hi: number, seg: number, level: number, o: number): void {
    if (this.mode !== "smooth" && this.sfam !== null) this.kronrodAffineScalar(lo, hi, seg, level, o);
    else this.evalPieceKronrod(lo, hi, seg, level, o);
  }

  private evalPieceKronrod(lo: number, hi: number, seg: number, level: number, o: number): void {
    const R = KRONROD[level];
    const WK = R.wk;
    const WG = R.wg;
    const G = this.G;
    const T = R.t;
    const M = T.length;
    const h = hi - lo;
    const oml = 1 - lo;
    const omh = 1 - hi;
    const NV = this.NV;
    const L = this.loop;
    const q1 = L.q1;
    const q2 = L.q2;
    const qa = L.qa;
    const v = this.v;
    const groups = G.groups;
    q1.fill(0, o, o + NV);
    q2.fill(0, o, o + NV);
    qa.fill(0, o, o + NV);
    for (let gi = 0; gi < groups.length; gi++) {
      const grp = groups[gi];
      const dens = G.groupDensity(gi, level, lo, hi);
      for (let k = 0; k < M; k++) {
        this.node(nodeLam(T, M, k, lo, hi, h), nodeMlam(T, M, k, oml, omh, h), seg, grp.la, grp.lb);
        const wk = WK[k] * dens[k];
        const wg = WG[k] * dens[k];
        if (wg !== 0) {
          for (let q = 0; q < NV; q++) {
            const x = v[q];
            q2[o + q] += wk * x;
            q1[o + q] += wg * x;
            qa[o + q] += Math.abs(wk * x);
          }
        } else {
          for (let q = 0; q < NV; q++) {
            const x = v[q];
            q2[o + q] += wk * x;
            qa[o + q] += Math.abs(wk * x);
          }
        }
      }
    }
    for (let q = o; q < o + NV; q++) {
      q1[q] *= h;
      q2[q] *= h;
      qa[q] *= h;
    }
  }

  /**
   * The hot case of evalPieceKronrod (linear model or ReLU net, scalar loss: f = A + Bλ on the segment):
   * the three values l, λg, (1−λ)g accumulated in locals, no per-node call.
   */
  private kronrodAffineScalar(lo: number, hi: number, seg: number, level: number, o: number): void {
    const R = KRONROD[level];
    const WK = R.wk;
    const WG = R.wg;
    const G = this.G;
    const T = R.t;
    const M = T.length;
    const h = hi - lo;
    const oml = 1 - lo;
    const omh = 1 - hi;
    const A = G.A[seg];
    const B = G.B[seg];
    const Y = this.P.Y;
    const sfam = this.sfam!;
    const logistic = this.logistic;
    let l1 = 0, l2 = 0, la = 0; // prettier-ignore
    let a1 = 0, a2 = 0, aa = 0; // prettier-ignore
    let b1 = 0, b2 = 0, ba = 0; // prettier-ignore
    const groups = G.groups;
    for (let gi = 0; gi < groups.length; gi++) {
      const grp = groups[gi];
      const ia = grp.la === 0 ? this.i : this.j;
      const ib = grp.lb === 0 ? this.i : this.j;
      const y0 = Y[ib];
      const dy = grp.la === grp.lb ? 0 : Y[ia] - Y[ib];
      // logistic: the mixed label and its complement from λ and 1 − λ (softplusTable.ts, logisticLossBar)
      const mixed = grp.la !== grp.lb;
      const ya = Y[ia];
      const dens = G.groupDensity(gi, level, lo, hi);
      for (let k = 0; k < M; k++) {
        const lam = nodeLam(T, M, k, lo, hi, h);
        const mlam = nodeMlam(T, M, k, oml, omh, h);
        const z = A + B * lam;
        let l: number;
        let g: number;
        if (logistic) {
          const y = mixed ? lam * ya + mlam * y0 : ya;
          const yb = mixed ? lam * (1 - ya) + mlam * (1 - y0) : 1 - ya;
          const ph = phiAndSigma(Math.abs(z));
          l = logisticFromPhi(z, y, yb, ph);
          g = logisticGradFromSig(z, y, yb, sigNeg);
        } else {
          const y = y0 + lam * dy;
          l = sfam.loss(z, y);
          g = sfam.dloss(z, y);
        }
        const wk = WK[k] * dens[k];
        const wg = WG[k] * dens[k];
        const vl = wk * l;
        const ga = lam * g;
        const gb = mlam * g;
        const va = wk * ga;
        const vb = wk * gb;
        l2 += vl;
        a2 += va;
        b2 += vb;
        la += Math.abs(vl);
        aa += Math.abs(va);
        ba += Math.abs(vb);
        l1 += wg * l;
        a1 += wg * ga;
        b1 += wg * gb;
      }
      this.evals += M;
    }
    const L = this.loop;
    L.q1[o] = h * l1;
    L.q1[o + 1] = h * a1;
    L.q1[o + 2] = h * b1;
    L.q2[o] = h * l2;
    L.q2[o + 1] = h * a2;
    L.q2[o + 2] = h * b2;
    L.qa[o] = h * la;
    L.qa[o + 1] = h * aa;
    L.qa[o + 2] = h * ba;
  }

  /** N- and 2N-node Gauss–Jacobi piece rules of every component on [lo, hi] (a singular end). */
  jacobi(lo: number, hi: number, seg: number, o: number): void {
    const NV = this.NV;
    const L = this.loop;
    const q1 = L.q1;
    const q2 = L.q2;
    const qa = L.qa;
    const v = this.v;
    const G = this.G;
    const xs = G.xs;
    const ys = G.ys;
    const ws = G.ws;
    q1.fill(0, o, o + NV);
    q2.fill(0, o, o + NV);
    qa.fill(0, o, o + NV);
    const comps = this.P.components;
    for (let c = 0; c < comps.length; c++) {
      const comp = comps[c];
      let cnt = G.jacobiRule(c, false, lo, hi);
      for (let k = 0; k < cnt; k++) {
        this.node(xs[k], ys[k], seg, comp.labelA, comp.labelB);
        const w = comp.c * ws[k];
        for (let q = 0; q < NV; q++) q1[o + q] += w * v[q];
      }
      cnt = G.jacobiRule(c, true, lo, hi);
      for (let k = 0; k < cnt; k++) {
        this.node(xs[k], ys[k], seg, comp.labelA, comp.labelB);
        const w = comp.c * ws[k];
        for (let q = 0; q < NV; q++) {
          const x = w * v[q];
          q2[o + q] += x;
          qa[o + q] += Math.abs(x);
        }
      }
    }
  }

  /** The integrand values at λ (mlam = 1 − λ, accurate) into v: l, then the moments. */
  private node(lam: number, mlam: number, seg: number, la: 0 | 1, lb: 0 | 1): void {
    this.evals++;
    const P = this.P;
    const K = P.K;
    const Y = P.Y;
    const v = this.v;
    const ia = la === 0 ? this.i : this.j;
    const ib = lb === 0 ? this.i : this.j;
    const affine = this.mode !== "smooth";
    const zv = this.z;
    const g = this.gv;
    // the score at λ: on the segment's line, or a forward pass of the smooth net (pre-activations from U)
    const p = P.p;
    if (affine) {
      const o = seg * K;
      const A = this.G.A;
      const B = this.G.B;
      for (let k = 0; k < K; k++) zv[k] = A[o + k] + B[o + k] * lam;
    } else {
      const U = P.U;
      const io = this.i * p;
      const jo = this.j * p;
      const net = this.net!;
      const act = this.act!;
      const V = net.V;
      const c = net.c;
      const a = this.a;
      const sp = this.sp;
      for (let k = 0; k < K; k++) zv[k] = c ? c[k] : 0;
      for (let r = 0; r < p; r++) {
        const ur = U[jo + r] + lam * (U[io + r] - U[jo + r]);
        this.u[r] = ur;
        const ar = act.f(ur);
        a[r] = ar;
        sp[r] = act.d1(ur);
        for (let k = 0; k < K; k++) zv[k] += V[k * p + r] * ar;
      }
    }
    // the loss and g = dl/df there
    if (this.sfam) {
      const y = la === lb ? Y[ia] : Y[ib] + lam * (Y[ia] - Y[ib]);
      if (this.logistic) {
        // the mixed label and its complement from λ and 1 − λ (softplusTable.ts, logisticLossBar)
        const mixed = la !== lb;
        const ym = mixed ? lam * Y[ia] + mlam * Y[ib] : Y[ia];
        const yb = mixed ? lam * (1 - Y[ia]) + mlam * (1 - Y[ib]) : 1 - Y[ia];
        const z = zv[0];
        const ph = phiAndSigma(Math.abs(z));
        v[0] = logisticFromPhi(z, ym, yb, ph);
        g[0] = logisticGradFromSig(z, ym, yb, sigNeg);
      } else {
        v[0] = this.sfam.loss(zv[0], y);
        g[0] = this.sfam.dloss(zv[0], y);
      }
    } else {
      const yv = this.yv;
      for (let k = 0; k < K; k++) yv[k] = Y[ib * K + k] + lam * (Y[ia * K + k] - Y[ib * K + k]);
      v[0] = this.vfam!.loss(zv, 0, K, yv, 0);
      this.vfam!.dloss(zv, 0, K, yv, 0, g, 0);
    }
    if (affine) {
      for (let k = 0; k < K; k++) {
        v[1 + k] = lam * g[k];
        v[1 + K + k] = mlam * g[k];
      }
      return;
    }
    // smooth net: backprop in pre-activation space
    const V = this.net!.V;
    const a = this.a;
    const sp = this.sp;
    const ho = 1 + 2 * p;
    for (let r = 0; r < p; r++) {
      let back = 0;
      for (let k = 0; k < K; k++) back += V[k * p + r] * g[k];
      const d = sp[r] * back;
      v[1 + r] = lam * d;
      v[1 + p + r] = mlam * d;
    }
    for (let k = 0; k < K; k++) {
      const gk = g[k];
      const o = ho + k * p;
      for (let r = 0; r < p; r++) v[o + r] = gk * a[r];
      v[ho + K * p + k] = gk;
    }
  }
}
