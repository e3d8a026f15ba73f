import { OverflowError } from "../core/errors.js";
import { family as familyOf } from "../losses/index.js";
import type { Family, ScalarFamily, VectorFamily } from "../losses/types.js";
import { headFromPreact } from "../models/index.js";
import type { TwoLayerModel } from "../models/types.js";
import { KRONROD } from "../mixing/kronrod.js";
import { logBetaAccurate } from "../mixing/lbeta.js";
import { PieceRule } from "../mixing/piece.js";
import { logisticLossFast } from "./softplusTable.js";
import type { PairProblem } from "./pairProblem.js";

/** Partial sums of one chunk of rows; reduced in chunk order so the bytes do not depend on workers. */
export interface ChunkResult {
  /** Σ over the chunk's pairs of ∫ l dμ (compensated) */
  value: number;
  /** Σ of per-piece |Q_2N − Q_N| plus a rounding allowance */
  err: number;
  /** Σ of ∫ |l| dμ: the scale of the tolerance */
  abs: number;
  /** integrand evaluations */
  evals: number;
  /** pieces that hit the bisection limit without meeting the tolerance */
  unresolved: number;
}

const EPS = 2.220446049250313e-16;
/** Beyond this many widths from a zero crossing, softplus / logSumExp is affine to below 1e-17. */
const GRADE = [1, 3, 8, 20, 40];
/** A crossing is "sharp" when |slope|·(piece length) exceeds this: grade the pieces around it. */
const SHARP = 16;
const MAX_DEPTH = 48;
const MAX_PIECES = 8192;
/** Integrand evaluations one pair may spend; past it, pieces are accepted and counted as unresolved. */
const PAIR_BUDGET = 200_000;
/** Highest rung of the Gauss–Kronrod ladder (G15/K31); a piece failing there is bisected. */
const TOP_LEVEL = KRONROD.length - 1;
/** Pieces on the Gauss–Jacobi path (a singular end of the weight) carry this level: no ladder, only bisection. */
const JACOBI = -1;
/**
 * Start rung by how far the score moves over the piece, d = max_k |B_k|·(hi − lo): logistic / softmax are
 * analytic in the strip |Im f| < π, so the Gauss rule's error falls like ρ^{−2G} with ρ ≈ 2π/d + √(1 + (2π/d)²)
 * at worst. Thresholds (only speed depends on them): G2/K5 up to d = 0.03, G3/K7 up to 0.26, G5/K11 up to
 * 1.3, G7/K15 up to 2.6, G10/K21 up to 4.6, G15/K31 above. Fitted on the pairs of the bench/run.ts linear
 * model: for each pair the cheapest rung that passes at tol = 1e-10 was found, and the thresholds minimise
 * the evaluations including failed rungs, 15.3 per pair (the per-pair oracle: 14.7; the first guess
 * 0.2, 0.6, 1.2, 2, 4: 17.4). The two lowest were then set on the ReLU net's segments (122 → 102 per pair).
 */
const RUNG_D = [0.03, 0.26, 1.3, 2.6, 4.6];

/**
 * Integrates l along every pair (i < j) of a chunk of rows against the pair measure (see
 * components.ts), adaptively: each piece is integrated with N- and 2N-node Gauss rules of its
 * components (Gauss–Jacobi on pieces touching 0 or 1, which keeps the Beta weight's end-point
 * singularity; Gauss–Legendre times the density inside); the difference is the piece's error
 * estimate, and a piece whose estimate exceeds its share of the tolerance is bisected.
 * Initial break points: ReLU kinks (f is affine between them), the zero crossings of the score for
 * sharp losses (logistic, softmax switch points) with graded points around them, and 1/2 whenever
 * the interval is split (end pieces then stay on one side of 1/2, where the other end's factor of
 * the weight is smooth).
 */
export class PairIntegrator {
  private readonly P: PairProblem;
  private readonly fam: Family;
  private readonly sfam: ScalarFamily | null;
  private readonly vfam: VectorFamily | null;
  private readonly lo: PieceRule[];
  private readonly hi: PieceRule[];
  private readonly xs: Float64Array;
  private readonly ws: Float64Array;
  // affine segments along the current pair: [segLo, segHi) with f = A + Bλ (K values each)
  private segLo = new Float64Array(64);
  private segHi = new Float64Array(64);
  private A = new Float64Array(64);
  private B = new Float64Array(64);
  private nSeg = 0;
  // piece stack
  private readonly pLo = new Float64Array(MAX_PIECES);
  private readonly pHi = new Float64Array(MAX_PIECES);
  private readonly pSeg = new Int32Array(MAX_PIECES);
  private readonly pDepth = new Int32Array(MAX_PIECES);
  private readonly pQ1 = new Float64Array(MAX_PIECES);
  private readonly pQ2 = new Float64Array(MAX_PIECES);
  private readonly pAbs = new Float64Array(MAX_PIECES);
  private readonly pMass = new Float64Array(MAX_PIECES);
  private readonly pLevel = new Int32Array(MAX_PIECES);
  private nPieces = 0;
  // Gauss–Kronrod path: components grouped by label, with their density constants
  private readonly groups: Array<{ la: 0 | 1; lb: 0 | 1; comps: number[] }>;
  private readonly cC: Float64Array;
  private readonly cAm1: Float64Array;
  private readonly cBm1: Float64Array;
  private readonly cLogB: Float64Array;
  /** every component is Beta(1, 1): the density is the constant 1 */
  private readonly flat: boolean;
  private readonly logistic: boolean;
  // scratch
  private readonly u: Float64Array;
  private readonly z: Float64Array;
  private readonly yv: Float64Array;
  private readonly kinkL: Float64Array;
  private readonly kinkU: Int32Array;
  private readonly active: Uint8Array;
  private readonly bp: Float64Array;
  // current pair
  private i = 0;
  private j = 0;
  // results of evalPiece
  private q1 = 0;
  private q2 = 0;
  private qa = 0;
  private qm = 0;
  evals = 0;
  private readonly totalMass: number;

  constructor(problem: PairProblem) {
    this.P = problem;
    this.fam = familyOf(problem.familyName);
    this.sfam = this.fam.vector ? null : this.fam;
    this.vfam = this.fam.vector ? this.fam : null;
    this.lo = problem.components.map((c) => new PieceRule(problem.N, c.a, c.b));
    this.hi = problem.components.map((c) => new PieceRule(2 * problem.N, c.a, c.b));
    this.xs = new Float64Array(2 * problem.N);
    this.ws = new Float64Array(2 * problem.N);
    this.totalMass = problem.components.reduce((s, c) => s + c.c, 0);
    this.u = new Float64Array(Math.max(1, problem.p));
    this.z = new Float64Array(Math.max(1, problem.K));
    this.yv = new Float64Array(Math.max(1, problem.K));
    this.kinkL = new Float64Array(problem.p + 1);
    this.kinkU = new Int32Array(problem.p + 1);
    this.active = new Uint8Array(problem.p);
    this.bp = new Float64Array(4 * problem.p + 64 * (problem.K + 1) + 16);
    const comps = problem.components;
    this.cC = Float64Array.from(comps, (c) => c.c);
    this.cAm1 = Float64Array.from(comps, (c) => c.a - 1);
    this.cBm1 = Float64Array.from(comps, (c) => c.b - 1);
    this.cLogB = Float64Array.from(comps, (c) => logBetaAccurate(c.a, c.b));
    this.flat = comps.every((c) => c.a === 1 && c.b === 1);
    this.groups = [];
    comps.forEach((c, k) => {
      const g = this.groups.find((q) => q.la === c.labelA && q.lb === c.labelB);
      if (g) g.comps.push(k);
      else this.groups.push({ la: c.labelA, lb: c.labelB, comps: [k] });
    });
    this.logistic = problem.familyName === "logistic";
  }

  /** Pairs (i, j) with i in [i0, i1) and j > i, plus the diagonal terms of those rows when pairs = all. */
  integrateRows(i0: number, i1: number): ChunkResult {
    const { n, pairs } = this.P;
    let s = 0;
    let c = 0;
    let err = 0;
    let abs = 0;
    let unresolved = 0;
    this.evals = 0;
    for (let i = i0; i < i1; i++) {
      if (pairs === "all") {
        // i = j: the mixed point is x_i with label y_i for every λ; measure mass per ordered pair 1
        const l = this.pointLoss(i);
        const t = s + l;
        c += Math.abs(s) >= Math.abs(l) ? s - t + l : l - t + s;
        s = t;
        abs += Math.abs(l);
        err += 4 * EPS * Math.abs(l);
      }
      for (let j = i + 1; j < n; j++) {
        const r = this.integratePair(i, j);
        const t = s + r;
        c += Math.abs(s) >= Math.abs(r) ? s - t + r : r - t + s;
        s = t;
        err += this.pairErr;
        abs += this.pairAbs;
        unresolved += this.pairUnresolved;
      }
    }
    return { value: s + c, err, abs, evals: this.evals, unresolved };
  }

  private pairErr = 0;
  private pairAbs = 0;
  private pairUnresolved = 0;

  /** l(f(x_i), y_i) from the pre-activations. */
  private pointLoss(i: number): number {
    const { K, p, U, Y, mode } = this.P;
    if (mode === "smooth" || mode === "affine-relu") headFromPreact(this.P.model, U, i * p, this.z, 0);
    else for (let k = 0; k < K; k++) this.z[k] = U[i * p + k];
    let l: number;
    if (this.sfam) l = this.sfam.loss(this.z[0], Y[i]);
    else l = this.vfam!.loss(this.z, 0, K, Y, i * K);
    if (!Number.isFinite(l)) throw this.overflow(i, i, l);
    return l;
  }

  private overflow(i: number, j: number, l: number): OverflowError {
    const where = this.P.source ? `${this.P.source}: ` : "";
    return new OverflowError(
      i + 1,
      `${where}the ${this.P.familyName} loss overflows (${l}) on the mixed pair of rows ${i + 1} and ${j + 1}`,
    );
  }

  /** ∫ l along pair (i, j) against the pair measure (both orders of the pair at once). */
  integratePair(i: number, j: number): number {
    this.i = i;
    this.j = j;
    this.buildSegments();
    this.initialPieces();
    // stage 1: evaluate the initial pieces; their |l| mass sets the pair's absolute floor
    let aEst = 0;
    for (let k = 0; k < this.nPieces; k++) {
      this.pLevel[k] = this.evalPiece(this.pLo[k], this.pHi[k], this.pSeg[k], -2);
      this.pQ1[k] = this.q1;
      this.pQ2[k] = this.q2;
      this.pAbs[k] = this.qa;
      this.pMass[k] = this.qm;
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
    let top = this.nPieces;
    const start = this.evals;
    while (top > 0) {
      top--;
      const lo = this.pLo[top];
      const hi = this.pHi[top];
      const seg = this.pSeg[top];
      const depth = this.pDepth[top];
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
        this.pLevel[top] = this.evalPiece(lo, hi, seg, level + 1);
        this.pQ1[top] = this.q1;
        this.pQ2[top] = this.q2;
        this.pAbs[top] = this.qa;
        this.pMass[top] = this.qm;
        top++;
        continue;
      }
      const mid = lo === 0 && hi === 1 ? 0.5 : 0.5 * (lo + hi);
      // push both halves (evaluated now, decided when popped): [mid, hi] below [lo, mid]
      for (let half = 0; half < 2; half++) {
        const a = half === 0 ? mid : lo;
        const b = half === 0 ? hi : mid;
        this.pLevel[top] = this.evalPiece(a, b, seg, -2);
        this.pLo[top] = a;
        this.pHi[top] = b;
        this.pSeg[top] = seg;
        this.pDepth[top] = depth + 1;
        this.pQ1[top] = this.q1;
        this.pQ2[top] = this.q2;
        this.pAbs[top] = this.qa;
        this.pMass[top] = this.qm;
        top++;
      }
    }
    if (!Number.isFinite(total)) throw this.overflow(i, j, total);
    this.pairErr = err;
    this.pairAbs = abs;
    this.pairUnresolved = unresolved;
    return total;
  }

  /** Affine segments of f along the pair (one for linear and smooth models). */
  private buildSegments(): void {
    const { mode, p, K, U } = this.P;
    const io = this.i * p;
    const jo = this.j * p;
    this.ensureSeg(1);
    this.nSeg = 1;
    this.segLo[0] = 0;
    this.segHi[0] = 1;
    if (mode === "affine-linear") {
      for (let k = 0; k < K; k++) {
        this.A[k] = U[jo + k];
        this.B[k] = U[io + k] - U[jo + k];
      }
      return;
    }
    if (mode === "smooth") return;
    // ReLU: unit r is active where U_jr + λ(U_ir − U_jr) > 0; kinks where the sign changes
    // (hot: once per pair, so everything is read into locals first)
    const model = this.P.model as TwoLayerModel;
    const { V, c } = model;
    const m = p;
    const kinkL = this.kinkL;
    const kinkU = this.kinkU;
    const active = this.active;
    let nk = 0;
    for (let r = 0; r < m; r++) {
      const uj = U[jo + r];
      const ui = U[io + r];
      active[r] = uj > 0 || (uj === 0 && ui > 0) ? 1 : 0;
      if ((uj < 0 && ui > 0) || (uj > 0 && ui < 0)) {
        // insertion sort by λ
        const lam = uj / (uj - ui);
        let q = nk++;
        while (q > 0 && kinkL[q - 1] > lam) {
          kinkL[q] = kinkL[q - 1];
          kinkU[q] = kinkU[q - 1];
          q--;
        }
        kinkL[q] = lam;
        kinkU[q] = r;
      }
    }
    this.ensureSeg(nk + 1);
    const A = this.A;
    const B = this.B;
    const segLo = this.segLo;
    const segHi = this.segHi;
    // segment 0 from scratch
    for (let k = 0; k < K; k++) {
      let a = c ? c[k] : 0;
      let b = 0;
      const vo = k * m;
      for (let r = 0; r < m; r++) {
        if (active[r]) {
          const v = V[vo + r];
          const uj = U[jo + r];
          a += v * uj;
          b += v * (U[io + r] - uj);
        }
      }
      A[k] = a;
      B[k] = b;
    }
    let s = 0;
    for (let q = 0; q < nk; q++) {
      const lam = kinkL[q];
      if (lam <= segLo[s]) {
        // coincident kinks: toggle within the same segment
      } else {
        segHi[s] = lam;
        s++;
        segLo[s] = lam;
        segHi[s] = 1;
        for (let k = 0; k < K; k++) {
          A[s * K + k] = A[(s - 1) * K + k];
          B[s * K + k] = B[(s - 1) * K + k];
        }
      }
      const r = kinkU[q];
      const sign = active[r] ? -1 : 1;
      active[r] ^= 1;
      const uj = U[jo + r];
      const du = U[io + r] - uj;
      for (let k = 0; k < K; k++) {
        const v = V[k * m + r];
        A[s * K + k] += sign * v * uj;
        B[s * K + k] += sign * v * du;
      }
    }
    this.nSeg = s + 1;
  }

  private ensureSeg(nseg: number): void {
    const K = this.P.K;
    if (this.segLo.length < nseg) {
      this.segLo = new Float64Array(2 * nseg);
      this.segHi = new Float64Array(2 * nseg);
    }
    if (this.A.length < nseg * K) {
      this.A = new Float64Array(2 * nseg * K);
      this.B = new Float64Array(2 * nseg * K);
    }
  }

  /** Initial pieces: segments, split at sharp crossings (graded) and at 1/2 when split at all. */
  private initialPieces(): void {
    this.nPieces = 0;
    const single = this.nSeg === 1;
    for (let s = 0; s < this.nSeg; s++) {
      const lo = this.segLo[s];
      const hi = this.segHi[s];
      let nb = 0;
      nb = this.sharpPoints(s, lo, hi, nb);
      if (single && nb === 0) {
        this.pushPiece(lo, hi, s);
        continue;
      }
      // sort break points (few), then emit pieces
      const bp = this.bp;
      for (let a = 1; a < nb; a++) {
        const v = bp[a];
        let q = a;
        while (q > 0 && bp[q - 1] > v) {
          bp[q] = bp[q - 1];
          q--;
        }
        bp[q] = v;
      }
      let prev = lo;
      for (let a = 0; a < nb; a++) {
        const v = bp[a];
        if (v > prev && v < hi) {
          this.pushPiece(prev, v, s);
          prev = v;
        }
      }
      this.pushPiece(prev, hi, s);
    }
    // make sure 1/2 is a break point once the interval is split (for the end pieces' folded weight factor;
    // not needed when every component is Beta(1, 1): no factor, and every piece takes a Kronrod rule)
    if (this.nPieces > 1 && !this.flat) {
      for (let k = 0; k < this.nPieces; k++) {
        if (this.pLo[k] < 0.5 && this.pHi[k] > 0.5) {
          // shift the tail by one and split piece k
          for (let q = this.nPieces; q > k + 1; q--) {
            this.pLo[q] = this.pLo[q - 1];
            this.pHi[q] = this.pHi[q - 1];
            this.pSeg[q] = this.pSeg[q - 1];
            this.pDepth[q] = 0;
          }
          this.pLo[k + 1] = 0.5;
          this.pHi[k + 1] = this.pHi[k];
          this.pSeg[k + 1] = this.pSeg[k];
          this.pDepth[k + 1] = 0;
          this.pHi[k] = 0.5;
          this.nPieces++;
          break;
        }
      }
    }
  }

  private pushPiece(lo: number, hi: number, seg: number): void {
    if (this.nPieces + 2 >= MAX_PIECES / 2) {
      // merge into the previous piece rather than overflow the stack (cannot happen for sane m)
      this.pHi[this.nPieces - 1] = hi;
      return;
    }
    this.pLo[this.nPieces] = lo;
    this.pHi[this.nPieces] = hi;
    this.pSeg[this.nPieces] = seg;
    this.pDepth[this.nPieces] = 0;
    this.nPieces++;
  }

  /** Writes break points around sharp features of the loss on segment s into this.bp from nb. */
  private sharpPoints(s: number, lo: number, hi: number, nb: number): number {
    const { K, mode, familyName } = this.P;
    const len = hi - lo;
    if (mode === "smooth") {
      // softplus / tanh units are nearly kinked where a steep pre-activation crosses 0
      const { p, U } = this.P;
      const io = this.i * p;
      const jo = this.j * p;
      for (let r = 0; r < p; r++) {
        const uj = U[jo + r];
        const du = U[io + r] - uj;
        if (Math.abs(du) > SHARP && ((uj < 0 && uj + du > 0) || (uj > 0 && uj + du < 0))) {
          this.bp[nb++] = -uj / du;
        }
      }
      return nb;
    }
    if (familyName === "logistic") {
      const a = this.A[s];
      const b = this.B[s];
      if (Math.abs(b) * len > SHARP) {
        const lam = -a / b;
        if (lam > lo && lam < hi) nb = this.graded(lam, Math.abs(b), nb);
      }
      return nb;
    }
    if (familyName === "softmax") {
      // switch points of the upper envelope of the K lines A_k + B_k λ on [lo, hi]
      const A = this.A;
      const B = this.B;
      const o = s * K;
      let x = lo;
      let top = 0;
      let best = -Infinity;
      for (let k = 0; k < K; k++) {
        const v = A[o + k] + B[o + k] * lo;
        if (v > best || (v === best && B[o + k] > B[o + top])) {
          best = v;
          top = k;
        }
      }
      for (let guard = 0; guard < K; guard++) {
        let next = Infinity;
        let who = -1;
        for (let k = 0; k < K; k++) {
          const db = B[o + k] - B[o + top];
          if (db > 0) {
            const t = (A[o + top] - A[o + k]) / db;
            if (t > x && t < next) {
              next = t;
              who = k;
            }
          }
        }
        if (who < 0 || next >= hi) break;
        const slope = B[o + who] - B[o + top];
        if (slope * len > SHARP) nb = this.graded(next, slope, nb);
        x = next;
        top = who;
      }
      return nb;
    }
    return nb;
  }

  private graded(lam: number, slope: number, nb: number): number {
    this.bp[nb++] = lam;
    for (const g of GRADE) {
      this.bp[nb++] = lam - g / slope;
      this.bp[nb++] = lam + g / slope;
    }
    return nb;
  }

  /**
   * Integrates piece [lo, hi] of segment seg into q1 (lower-order rule), q2 (the value), qa (∫|l|) and
   * qm (mass); returns the level used. A piece whose weight is smooth on it (inside (0, 1), or touching an
   * end where that shape is 1) takes the Gauss–Kronrod rung `level` (−2: the start rung for the piece);
   * otherwise the N- and 2N-node Gauss–Jacobi piece rules of each component (level JACOBI).
   */
  private evalPiece(lo: number, hi: number, seg: number, level: number): number {
    const comps = this.P.components;
    for (let c = 0; c < comps.length; c++) {
      if ((lo === 0 && comps[c].a !== 1) || (hi === 1 && comps[c].b !== 1)) {
        this.evalPieceJacobi(lo, hi, seg);
        return JACOBI;
      }
    }
    const lv = level >= 0 ? level : this.startLevel(lo, hi, seg);
    this.evalPieceKronrod(lo, hi, seg, lv);
    return lv;
  }

  /** The Kronrod rung for a fresh piece: by how far the score moves over it (see RUNG_D). */
  private startLevel(lo: number, hi: number, seg: number): number {
    const { mode, K } = this.P;
    if (mode === "smooth") return 1;
    let d = 0;
    const o = seg * K;
    for (let k = 0; k < K; k++) d = Math.max(d, Math.abs(this.B[o + k]));
    d *= hi - lo;
    let lv = 0;
    while (lv < RUNG_D.length && d > RUNG_D[lv]) lv++;
    return lv;
  }

  /**
   * Gauss–Kronrod rung `level` on [lo, hi]: the nodes are shared by every component (the density sum
   * weights them), and by the components of one label group the integrand value too. Nodes are measured
   * from the piece's nearer end, so λ and 1 − λ are both relatively accurate in the density.
   */
  private evalPieceKronrod(lo: number, hi: number, seg: number, level: number): void {
    const R = KRONROD[level];
    const T = R.t;
    const WK = R.wk;
    const WG = R.wg;
    const M = T.length;
    const h = hi - lo;
    const oml = 1 - lo;
    const omh = 1 - hi;
    const affineScalar = this.P.mode !== "smooth" && this.sfam !== null;
    const A = affineScalar ? this.A[seg] : 0;
    const B = affineScalar ? this.B[seg] : 0;
    const Y = this.P.Y;
    const groups = this.groups;
    if (affineScalar && this.flat && this.logistic) {
      // the common case (α = β = 1, logistic head, linear or ReLU model): one label group of mass c, no
      // density; kept as a plain loop over locals
      const grp = groups[0];
      const ia = grp.la === 0 ? this.i : this.j;
      const ib = grp.lb === 0 ? this.i : this.j;
      const y0 = Y[ib];
      const dy = grp.la === grp.lb ? 0 : Y[ia] - Y[ib];
      const c = this.cC[grp.comps[0]];
      let s1 = 0;
      let s2 = 0;
      for (let k = 0; k < M; k++) {
        const u = T[k];
        const lam = u <= 0.5 ? lo + h * u : hi - h * T[M - 1 - k];
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
      const gc = grp.comps;
      for (let k = 0; k < M; k++) {
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
        let dens: number;
        dens = 0;
        if (this.flat) for (let q = 0; q < gc.length; q++) dens += this.cC[gc[q]];
        else {
          for (let q = 0; q < gc.length; q++) {
            const c = gc[q];
            const am1 = this.cAm1[c];
            const bm1 = this.cBm1[c];
            const ex = (am1 === 0 ? 0 : am1 * Math.log(lam)) + (bm1 === 0 ? 0 : bm1 * Math.log(mlam)) - this.cLogB[c];
            dens += this.cC[c] * Math.exp(ex);
          }
        }
        let l: number;
        if (affineScalar) {
          const z = A + B * lam;
          const y = y0 + lam * dy;
          l = this.logistic ? logisticLossFast(z, y) : this.sfam!.loss(z, y);
        } else l = this.g(lam, seg, grp.la, grp.lb);
        const v = dens * l;
        q2 += WK[k] * v;
        q1 += WG[k] * v;
        qa += WK[k] * Math.abs(v);
        qm += WK[k] * dens;
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
    const comps = this.P.components;
    for (let c = 0; c < comps.length; c++) {
      const comp = comps[c];
      let cnt = this.lo[c].fill(lo, hi, this.xs, this.ws, 0);
      let s = 0;
      for (let k = 0; k < cnt; k++) s += this.ws[k] * this.g(this.xs[k], seg, comp.labelA, comp.labelB);
      q1 += comp.c * s;
      cnt = this.hi[c].fill(lo, hi, this.xs, this.ws, 0);
      s = 0;
      let sa = 0;
      let sm = 0;
      for (let k = 0; k < cnt; k++) {
        const w = this.ws[k];
        const v = w * this.g(this.xs[k], seg, comp.labelA, comp.labelB);
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
      for (let k = 0; k < K; k++) this.z[k] = this.A[o + k] + this.B[o + k] * lam;
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
