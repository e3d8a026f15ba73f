/**
 * The loss along every pair (i < j) of a chunk of rows against the pair measure (components.ts), on the
 * pieces of geometry.ts by the adaptive loop of adaptive.ts (docs/numerics.md, "The exact Mixup loss"):
 * Gauss–Kronrod rungs where the Beta weight is smooth on a piece, N / 2N-node Gauss–Jacobi piece rules where
 * a piece touches a singular end (which keeps the weight's end-point singularity).
 */
import { family as familyOf } from "../../losses/index.js";
import type { Family, ScalarFamily, VectorFamily } from "../../losses/types.js";
import { headFromPreact } from "../../models/index.js";
import { KRONROD } from "../../mixing/kronrod.js";
import { logisticLossBar } from "../softplusTable.js";
import { AdaptivePair, type PieceRules } from "./adaptive.js";
import { nodeLam, nodeMlam, PairGeometry } from "./geometry.js";
import type { PairProblem } from "./problem.js";
import { sumPairs, type ChunkResult, type PairTerms } from "./rows.js";

/** Past this many initial pieces a new one is merged into the previous (a net of thousands of kinks). */
const MAX_INITIAL = 4096;

export class LossIntegrator implements PairTerms, PieceRules {
  private readonly P: PairProblem;
  private readonly G: PairGeometry;
  private readonly loop: AdaptivePair;
  private readonly sfam: ScalarFamily | null;
  private readonly vfam: VectorFamily | null;
  private readonly logistic: boolean;
  /** the hot case: affine score, logistic loss, every component Beta(1, 1) (one label group, no density) */
  private readonly flatLogistic: boolean;
  // the hot case's per-pair constants: labels of the group's two ends, whether they mix, the group's mass
  private ya = 0;
  private yB = 0;
  private mixed = false;
  private mass = 0;
  // scratch
  private readonly u: Float64Array;
  private readonly z: Float64Array;
  private readonly yv: Float64Array;
  // current pair
  private i = 0;
  private j = 0;
  evals = 0;
  pairErr = 0;
  pairAbs = 0;
  pairUnresolved = 0;

  constructor(problem: PairProblem) {
    this.P = problem;
    this.G = new PairGeometry(problem, { stack: 64, maxInitial: MAX_INITIAL });
    this.loop = new AdaptivePair(this.G, 1, problem.tol, problem.N);
    const fam: Family = familyOf(problem.familyName);
    this.sfam = fam.vector ? null : fam;
    this.vfam = fam.vector ? fam : null;
    this.u = new Float64Array(Math.max(1, problem.p));
    this.z = new Float64Array(Math.max(1, problem.K));
    this.yv = new Float64Array(Math.max(1, problem.K));
    this.logistic = problem.familyName === "logistic";
    this.flatLogistic = problem.mode !== "smooth" && this.logistic && this.G.flat;
  }

  /** Pairs (i, j) with i in [i0, i1) and j > i, plus the diagonal terms of those rows when pairs = all. */
  integrateRows(i0: number, i1: number): ChunkResult {
    return sumPairs(this, this.P, i0, i1);
  }

  /** l(f(x_i), y_i) from the pre-activations. */
  pointTerm(i: number): number {
    const { K, p, U, Y, mode } = this.P;
    if (mode === "smooth" || mode === "affine-relu") headFromPreact(this.P.model, U, i * p, this.z, 0);
    else for (let k = 0; k < K; k++) this.z[k] = U[i * p + k];
    let l: number;
    if (this.sfam) l = this.sfam.loss(this.z[0], Y[i]);
    else l = this.vfam!.loss(this.z, 0, K, Y, i * K);
    if (!Number.isFinite(l)) throw this.G.overflow(i, i, l);
    return l;
  }

  /** ∫ l along pair (i, j) against the pair measure (both orders of the pair at once). */
  integratePair(i: number, j: number): number {
    this.i = i;
    this.j = j;
    if (this.flatLogistic) {
      const grp = this.G.groups[0];
      this.ya = this.P.Y[grp.la === 0 ? i : j];
      this.yB = this.P.Y[grp.lb === 0 ? i : j];
      this.mixed = grp.la !== grp.lb;
      this.mass = this.G.cC[grp.comps[0]];
    }
    this.G.setPair(i, j);
    const total = this.loop.run(this);
    if (!Number.isFinite(total)) throw this.G.overflow(i, j, total);
    this.pairErr = this.loop.err;
    this.pairAbs = this.loop.abs;
    this.pairUnresolved = this.loop.unresolved;
    return total;
  }

  /** The loop sums the loss itself: nothing else to take. */
  accept(): void {}

  /**
   * Gauss–Kronrod rung `level` on [lo, hi]: the nodes are shared by every component (the density sum
   * weights them), and by the components of one label group the integrand value too. Nodes are measured
   * from the piece's nearer end (nodeLam).
   */
  kronrod(lo: number, hi: number, seg: number, level: number, o: number): void {
    const R = KRONROD[level];
    const WK = R.wk;
    const WG = R.wg;
    const T = R.t;
    const M = T.length;
    const h = hi - lo;
    const G = this.G;
    const L = this.loop;
    if (this.flatLogistic) {
      // the common case (α = β = 1, logistic head, linear or ReLU model): one label group of mass c, no
      // density; kept as a plain loop over locals. The mixed label and its complement from λ and 1 − λ
      // (logisticLossBar)
      const A = G.A[seg];
      const B = G.B[seg];
      const mixed = this.mixed;
      const ya = this.ya;
      const yB = this.yB;
      const c = this.mass;
      const oml = 1 - lo;
      const omh = 1 - hi;
      let s1 = 0;
      let s2 = 0;
      const ua = 1 - ya;
      const uB = 1 - yB;
      for (let k = 0; k < M; k++) {
        // λ and 1 − λ from the piece's nearer end (nodeLam, nodeMlam), one branch for both
        const u = T[k];
        let lam: number;
        let mlam: number;
        if (u <= 0.5) {
          lam = lo + h * u;
          mlam = oml - h * u;
        } else {
          const v = T[M - 1 - k];
          lam = hi - h * v;
          mlam = omh + h * v;
        }
        const l = mixed ? logisticLossBar(A + B * lam, lam * ya + mlam * yB, lam * ua + mlam * uB) : logisticLossBar(A + B * lam, ya, ua);
        s2 += WK[k] * l;
        s1 += WG[k] * l;
      }
      this.evals += M;
      L.q1[o] = h * c * s1;
      L.q2[o] = h * c * s2;
      // l ≥ 0 for labels in [0, 1] (a sum of non-negative terms), so ∫|l| = ∫l
      L.qa[o] = Math.abs(h * c * s2);
      return;
    }
    const affineScalar = this.P.mode !== "smooth" && this.sfam !== null;
    const A = affineScalar ? G.A[seg] : 0;
    const B = affineScalar ? G.B[seg] : 0;
    const Y = this.P.Y;
    const groups = G.groups;
    let q1 = 0;
    let q2 = 0;
    let qa = 0;
    const oml = 1 - lo;
    const omh = 1 - hi;
    for (let gi = 0; gi < groups.length; gi++) {
      const grp = groups[gi];
      const ia = grp.la === 0 ? this.i : this.j;
      const ib = grp.lb === 0 ? this.i : this.j;
      const y0 = Y[ib];
      const dy = grp.la === grp.lb ? 0 : Y[ia] - Y[ib];
      // logistic: the mixed label and its complement from λ and 1 − λ (logisticLossBar)
      const mixed = grp.la !== grp.lb;
      const ya = Y[ia];
      const dens = G.groupDensity(gi, level, lo, hi);
      for (let k = 0; k < M; k++) {
        const lam = nodeLam(T, M, k, lo, hi, h);
        let l: number;
        if (affineScalar) {
          const z = A + B * lam;
          if (this.logistic) {
            const mlam = nodeMlam(T, M, k, oml, omh, h);
            l = logisticLossBar(z, mixed ? lam * ya + mlam * y0 : ya, mixed ? lam * (1 - ya) + mlam * (1 - y0) : 1 - ya);
          } else l = this.sfam!.loss(z, y0 + lam * dy);
        } else l = this.g(lam, nodeMlam(T, M, k, oml, omh, h), seg, grp.la, grp.lb);
        const v = dens[k] * l;
        q2 += WK[k] * v;
        q1 += WG[k] * v;
        qa += WK[k] * Math.abs(v);
      }
      if (affineScalar) this.evals += M;
    }
    L.q1[o] = h * q1;
    L.q2[o] = h * q2;
    L.qa[o] = h * qa;
  }

  /** Q_N, Q_2N and ∫|l| (2N) over [lo, hi] for all components. */
  jacobi(lo: number, hi: number, seg: number, o: number): void {
    let q1 = 0;
    let q2 = 0;
    let qa = 0;
    const G = this.G;
    const xs = G.xs;
    const ys = G.ys;
    const ws = G.ws;
    const comps = this.P.components;
    for (let c = 0; c < comps.length; c++) {
      const comp = comps[c];
      let cnt = G.jacobiRule(c, false, lo, hi);
      let s = 0;
      for (let k = 0; k < cnt; k++) s += ws[k] * this.g(xs[k], ys[k], seg, comp.labelA, comp.labelB);
      q1 += comp.c * s;
      cnt = G.jacobiRule(c, true, lo, hi);
      s = 0;
      let sa = 0;
      for (let k = 0; k < cnt; k++) {
        const v = ws[k] * this.g(xs[k], ys[k], seg, comp.labelA, comp.labelB);
        s += v;
        sa += Math.abs(v);
      }
      q2 += comp.c * s;
      qa += comp.c * sa;
    }
    const L = this.loop;
    L.q1[o] = q1;
    L.q2[o] = q2;
    L.qa[o] = qa;
  }

  /**
   * The integrand: l(f(x̃(λ)), λ·y_A + (1−λ)·y_B) on segment seg (mlam = 1 − λ, accurate; the logistic
   * loss takes the mixed label's complement from it, see logisticLossBar).
   */
  private g(lam: number, mlam: number, seg: number, la: 0 | 1, lb: 0 | 1): number {
    this.evals++;
    const P = this.P;
    const K = P.K;
    const ia = la === 0 ? this.i : this.j;
    const ib = lb === 0 ? this.i : this.j;
    if (P.mode === "smooth") {
      const p = P.p;
      const io = this.i * p;
      const jo = this.j * p;
      const U = P.U;
      const u = this.u;
      for (let r = 0; r < p; r++) u[r] = U[jo + r] + lam * (U[io + r] - U[jo + r]);
      headFromPreact(P.model, u, 0, this.z, 0);
    } else {
      const o = seg * K;
      const A = this.G.A;
      const B = this.G.B;
      for (let k = 0; k < K; k++) this.z[k] = A[o + k] + B[o + k] * lam;
    }
    const Y = P.Y;
    if (this.logistic) {
      const ya = Y[ia];
      const yB = Y[ib];
      const mixed = la !== lb;
      return logisticLossBar(this.z[0], mixed ? lam * ya + mlam * yB : ya, mixed ? lam * (1 - ya) + mlam * (1 - yB) : 1 - ya);
    }
    if (this.sfam) {
      const y = la === lb ? Y[ia] : Y[ib] + lam * (Y[ia] - Y[ib]);
      return this.sfam.loss(this.z[0], y);
    }
    const yv = this.yv;
    for (let k = 0; k < K; k++) yv[k] = Y[ib * K + k] + lam * (Y[ia * K + k] - Y[ib * K + k]);
    return this.vfam!.loss(this.z, 0, K, yv, 0);
  }
}
