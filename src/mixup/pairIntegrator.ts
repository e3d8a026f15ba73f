import { family as familyOf } from "../losses/index.js";
import type { Family, ScalarFamily, VectorFamily } from "../losses/types.js";
import { headFromPreact } from "../models/index.js";
import { KRONROD } from "../mixing/kronrod.js";
import { EPS, JACOBI, MAX_DEPTH, nodeLam, PAIR_BUDGET, PairGeometry, sumPairs, TOP_LEVEL, type ChunkResult, type PairTerms } from "./pairGeometry.js";
import { logisticLossFast } from "./softplusTable.js";
import type { PairProblem } from "./pairProblem.js";

export type { ChunkResult };

const MAX_PIECES = 8192;

/**
 * Integrates l along every pair (i < j) of a chunk of rows against the pair measure (see
 * components.ts), adaptively: each piece is integrated with N- and 2N-node Gauss rules of its
 * components (Gauss–Jacobi on pieces touching 0 or 1, which keeps the Beta weight's end-point
 * singularity; Gauss–Legendre times the density inside); the difference is the piece's error
 * estimate, and a piece whose estimate exceeds its share of the tolerance is bisected.
 * Initial break points (pairGeometry.ts): ReLU kinks (f is affine between them), the zero crossings of
 * the score for sharp losses (logistic, softmax switch points) with graded points around them, and 1/2
 * whenever the interval is split (end pieces then stay on one side of 1/2, where the other end's factor
 * of the weight is smooth).
 */
export class PairIntegrator implements PairTerms {
  private readonly P: PairProblem;
  private readonly G: PairGeometry;
  private readonly fam: Family;
  private readonly sfam: ScalarFamily | null;
  private readonly vfam: VectorFamily | null;
  // piece stack: lo, hi, segment and depth in G (pLo, …), the rule results here
  private readonly pQ1 = new Float64Array(MAX_PIECES);
  private readonly pQ2 = new Float64Array(MAX_PIECES);
  private readonly pAbs = new Float64Array(MAX_PIECES);
  private readonly pMass = new Float64Array(MAX_PIECES);
  private readonly pLevel = new Int32Array(MAX_PIECES);
  private readonly logistic: boolean;
  // scratch
  private readonly u: Float64Array;
  private readonly z: Float64Array;
  private readonly yv: Float64Array;
  // current pair
  private i = 0;
  private j = 0;
  // results of evalPiece
  private q1 = 0;
  private q2 = 0;
  private qa = 0;
  private qm = 0;
  evals = 0;

  constructor(problem: PairProblem) {
    this.P = problem;
    // a fixed stack; initial pieces beyond half of it are merged (see PairGeometry.pushPiece)
    this.G = new PairGeometry(problem, { stack: MAX_PIECES, maxInitial: MAX_PIECES / 2 });
    this.fam = familyOf(problem.familyName);
    this.sfam = this.fam.vector ? null : this.fam;
    this.vfam = this.fam.vector ? this.fam : null;
    this.u = new Float64Array(Math.max(1, problem.p));
    this.z = new Float64Array(Math.max(1, problem.K));
    this.yv = new Float64Array(Math.max(1, problem.K));
    this.logistic = problem.familyName === "logistic";
  }

  /** Pairs (i, j) with i in [i0, i1) and j > i, plus the diagonal terms of those rows when pairs = all. */
  integrateRows(i0: number, i1: number): ChunkResult {
    return sumPairs(this, this.P, i0, i1);
  }

  pairErr = 0;
  pairAbs = 0;
  pairUnresolved = 0;

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

  /** Evaluates piece slot k (lo, hi, seg set) at `level` (−2: its start rung) and stores the results. */
  private evalSlot(k: number, level: number): void {
    const G = this.G;
    this.pLevel[k] = this.evalPiece(G.pLo[k], G.pHi[k], G.pSeg[k], level);
    this.pQ1[k] = this.q1;
    this.pQ2[k] = this.q2;
    this.pAbs[k] = this.qa;
    this.pMass[k] = this.qm;
  }

  /** ∫ l along pair (i, j) against the pair measure (both orders of the pair at once). */
  integratePair(i: number, j: number): number {
    this.i = i;
    this.j = j;
    const G = this.G;
    G.setPair(i, j);
    // stage 1: evaluate the initial pieces; their |l| mass sets the pair's absolute floor
    const nInit = G.nInit;
    let aEst = 0;
    for (let k = 0; k < nInit; k++) {
      this.evalSlot(k, -2);
      aEst += this.qa;
    }
    const tolLocal = 0.25 * this.P.tol;
    // absolute share by piece length, not by mass: a far tail piece of negligible mass is accepted at once
    // instead of being resolved relative to its own tiny |l| (which made large α with splits run away);
    // summed over a partition the shares add up to tolLocal·aEst, so the pair stays within 2·tolLocal·∫|l|
    const floorPerLength = aEst * tolLocal;
    let total = 0;
    let err = 0;
    let abs = 0;
    let unresolved = 0;
    // stage 2: accept, climb the Kronrod ladder, or bisect, depth first (the stack is the tail of the arrays)
    let top = nInit;
    const start = this.evals;
    const pLo = G.pLo;
    const pHi = G.pHi;
    const pSeg = G.pSeg;
    const pDepth = G.pDepth;
    while (top > 0) {
      top--;
      const lo = pLo[top];
      const hi = pHi[top];
      const seg = pSeg[top];
      const depth = pDepth[top];
      const level = this.pLevel[top];
      const e = Math.abs(this.pQ2[top] - this.pQ1[top]);
      const ok = e <= tolLocal * this.pAbs[top] + floorPerLength * (hi - lo);
      if (ok || depth >= MAX_DEPTH || hi - lo <= 1e-14 || top + 2 >= MAX_PIECES || this.evals - start > PAIR_BUDGET) {
        if (!ok) unresolved++;
        total += this.pQ2[top];
        abs += this.pAbs[top];
        err += e + (32 + 4 * this.P.N) * EPS * this.pAbs[top];
        continue;
      }
      if (level !== JACOBI && level < TOP_LEVEL) {
        // the next Kronrod rung on the same piece (the piece stays in its slot)
        this.evalSlot(top, level + 1);
        top++;
        continue;
      }
      const mid = lo === 0 && hi === 1 ? 0.5 : 0.5 * (lo + hi);
      // push both halves (evaluated now, decided when popped): [mid, hi] below [lo, mid]
      for (let half = 0; half < 2; half++) {
        pLo[top] = half === 0 ? mid : lo;
        pHi[top] = half === 0 ? hi : mid;
        pSeg[top] = seg;
        pDepth[top] = depth + 1;
        this.evalSlot(top, -2);
        top++;
      }
    }
    if (!Number.isFinite(total)) throw G.overflow(i, j, total);
    this.pairErr = err;
    this.pairAbs = abs;
    this.pairUnresolved = unresolved;
    return total;
  }

  /**
   * Integrates piece [lo, hi] of segment seg into q1 (lower-order rule), q2 (the value), qa (∫|l|) and
   * qm (mass); returns the level used. A piece whose weight is smooth on it (inside (0, 1), or touching an
   * end where that shape is 1) takes the Gauss–Kronrod rung `level` (−2: the start rung for the piece);
   * otherwise the N- and 2N-node Gauss–Jacobi piece rules of each component (level JACOBI).
   */
  private evalPiece(lo: number, hi: number, seg: number, level: number): number {
    if (this.G.jacobiPiece(lo, hi)) {
      this.evalPieceJacobi(lo, hi, seg);
      return JACOBI;
    }
    const lv = level >= 0 ? level : this.G.startLevel(lo, hi, seg);
    this.evalPieceKronrod(lo, hi, seg, lv);
    return lv;
  }

  /**
   * Gauss–Kronrod rung `level` on [lo, hi]: the nodes are shared by every component (the density sum
   * weights them), and by the components of one label group the integrand value too. Nodes are measured
   * from the piece's nearer end (nodeLam).
   */
  private evalPieceKronrod(lo: number, hi: number, seg: number, level: number): void {
    const R = KRONROD[level];
    const WK = R.wk;
    const WG = R.wg;
    const T = R.t;
    const M = T.length;
    const h = hi - lo;
    const G = this.G;
    const affineScalar = this.P.mode !== "smooth" && this.sfam !== null;
    const A = affineScalar ? G.A[seg] : 0;
    const B = affineScalar ? G.B[seg] : 0;
    const Y = this.P.Y;
    const groups = G.groups;
    if (affineScalar && G.flat && this.logistic) {
      // the common case (α = β = 1, logistic head, linear or ReLU model): one label group of mass c, no
      // density; kept as a plain loop over locals
      const grp = groups[0];
      const ia = grp.la === 0 ? this.i : this.j;
      const ib = grp.lb === 0 ? this.i : this.j;
      const y0 = Y[ib];
      const dy = grp.la === grp.lb ? 0 : Y[ia] - Y[ib];
      const c = G.cC[grp.comps[0]];
      let s1 = 0;
      let s2 = 0;
      for (let k = 0; k < M; k++) {
        const lam = nodeLam(T, M, k, lo, hi, h);
        const l = logisticLossFast(A + B * lam, y0 + lam * dy);
        s2 += WK[k] * l;
        s1 += WG[k] * l;
      }
      this.evals += M;
      this.q1 = h * c * s1;
      this.q2 = h * c * s2;
      // l ≥ 0 for labels in [0, 1] (a sum of non-negative terms), so ∫|l| = ∫l
      this.qa = Math.abs(h * c * s2);
      this.qm = h * c;
      return;
    }
    let q1 = 0;
    let q2 = 0;
    let qa = 0;
    let qm = 0;
    for (let gi = 0; gi < groups.length; gi++) {
      const grp = groups[gi];
      const ia = grp.la === 0 ? this.i : this.j;
      const ib = grp.lb === 0 ? this.i : this.j;
      const y0 = Y[ib];
      const dy = grp.la === grp.lb ? 0 : Y[ia] - Y[ib];
      const dens = G.groupDensity(gi, level, lo, hi);
      for (let k = 0; k < M; k++) {
        const lam = nodeLam(T, M, k, lo, hi, h);
        let l: number;
        if (affineScalar) {
          const z = A + B * lam;
          const y = y0 + lam * dy;
          l = this.logistic ? logisticLossFast(z, y) : this.sfam!.loss(z, y);
        } else l = this.g(lam, seg, grp.la, grp.lb);
        const v = dens[k] * l;
        q2 += WK[k] * v;
        q1 += WG[k] * v;
        qa += WK[k] * Math.abs(v);
        qm += WK[k] * dens[k];
      }
      if (affineScalar) this.evals += M;
    }
    this.q1 = h * q1;
    this.q2 = h * q2;
    this.qa = h * qa;
    this.qm = h * qm;
  }

  /** Q_N, Q_2N, ∫|l| (2N) and mass (2N) over [lo, hi] for all components, into q1, q2, qa, qm. */
  private evalPieceJacobi(lo: number, hi: number, seg: number): void {
    let q1 = 0;
    let q2 = 0;
    let qa = 0;
    let qm = 0;
    const G = this.G;
    const xs = G.xs;
    const ws = G.ws;
    const comps = this.P.components;
    for (let c = 0; c < comps.length; c++) {
      const comp = comps[c];
      let cnt = G.jacobiRule(c, false, lo, hi);
      let s = 0;
      for (let k = 0; k < cnt; k++) s += ws[k] * this.g(xs[k], seg, comp.labelA, comp.labelB);
      q1 += comp.c * s;
      cnt = G.jacobiRule(c, true, lo, hi);
      s = 0;
      let sa = 0;
      let sm = 0;
      for (let k = 0; k < cnt; k++) {
        const w = ws[k];
        const v = w * this.g(xs[k], seg, comp.labelA, comp.labelB);
        s += v;
        sa += Math.abs(v);
        sm += w;
      }
      q2 += comp.c * s;
      qa += comp.c * sa;
      qm += comp.c * sm;
    }
    this.q1 = q1;
    this.q2 = q2;
    this.qa = qa;
    this.qm = qm;
  }

  /** The integrand: l(f(x̃(λ)), λ·y_A + (1−λ)·y_B) on segment seg. */
  private g(lam: number, seg: number, la: 0 | 1, lb: 0 | 1): number {
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
    if (this.sfam) {
      const y = la === lb ? Y[ia] : Y[ib] + lam * (Y[ia] - Y[ib]);
      return this.sfam.loss(this.z[0], y);
    }
    const yv = this.yv;
    for (let k = 0; k < K; k++) yv[k] = Y[ib * K + k] + lam * (Y[ia * K + k] - Y[ib * K + k]);
    return this.vfam!.loss(this.z, 0, K, yv, 0);
  }
}
