import { OverflowError } from "../../core/errors.js";
import { family as familyOf } from "../../losses/index.js";
import type { Family, ScalarFamily, VectorFamily } from "../../losses/types.js";
import { activationFns, type ActivationFns } from "../../models/activation.js";
import type { TwoLayerModel } from "../../models/types.js";
import { KRONROD } from "../../mixing/kronrod.js";
import { logBetaAccurate } from "../../mixing/lbeta.js";
import { PieceRule } from "../../mixing/piece.js";
import { phiAndSigma, sigNeg } from "./logisticTable.js";
import type { PairProblem } from "../pairProblem.js";

/**
 * Partial sums of one chunk of rows [i0, i1) for the θ-gradient of the exact Mixup loss; reduced in chunk
 * order (gradReduce.ts) so the bytes do not depend on the number of workers.
 *
 * The first layer is linear, so everything lives in pre-activation space: for a node λ on pair (i, j) with
 * weight w, u = λu_i + (1−λ)u_j, g = dl/df and δ = σ'(u) ⊙ Vᵀg (δ = g for a linear model), the pair adds
 * w·λ·δ to D_i and w·(1−λ)·δ to D_j (p-vectors), and w·g·aᵀ, w·g to the head gradient. The first layer's
 * gradient Σ_i D_i x_iᵀ / #pairs is formed once at the end (gradReduce.ts).
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

const EPS = 2.220446049250313e-16;
const GRADE = [1, 3, 8, 20, 40];
const SHARP = 16;
const MAX_DEPTH = 48;
const PAIR_BUDGET = 200_000;
const TOP_LEVEL = KRONROD.length - 1;
const JACOBI = -1;
/** Start rung by how far the score moves over the piece (the loss path's thresholds, pairIntegrator.ts). */
const RUNG_D = [0.03, 0.26, 1.3, 2.6, 4.6];

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
export class GradIntegrator {
  private readonly P: PairProblem;
  private readonly mode: Mode;
  private readonly sfam: ScalarFamily | null;
  private readonly vfam: VectorFamily | null;
  private readonly act: ActivationFns | null;
  private readonly net: TwoLayerModel | null;
  private readonly lo: PieceRule[];
  private readonly hi: PieceRule[];
  private readonly xs: Float64Array;
  private readonly ws: Float64Array;
  private readonly ys: Float64Array;
  private readonly groups: Array<{ la: 0 | 1; lb: 0 | 1; comps: number[] }>;
  private readonly cC: Float64Array;
  private readonly cAm1: Float64Array;
  private readonly cBm1: Float64Array;
  private readonly cLogB: Float64Array;
  private readonly flat: boolean;
  private readonly logistic: boolean;
  /** values per node: 1 (loss) + moments */
  private readonly NV: number;
  // segments: [segLo, segHi) with f = A + Bλ (K values each)
  private segLo = new Float64Array(64);
  private segHi = new Float64Array(64);
  private A = new Float64Array(64);
  private B = new Float64Array(64);
  private nSeg = 0;
  // per-unit active run of segments [runLo, runHi) (ReLU)
  private readonly runLo: Int32Array;
  private readonly runHi: Int32Array;
  // pieces: slots with their rule results (NV values each)
  private cap = 0;
  private pLo = new Float64Array(0);
  private pHi = new Float64Array(0);
  private pSeg = new Int32Array(0);
  private pDepth = new Int32Array(0);
  private pLevel = new Int32Array(0);
  private pQ1 = new Float64Array(0);
  private pQ2 = new Float64Array(0);
  private pQA = new Float64Array(0);
  private nPieces = 0;
  // accepted moments per segment (ReLU / linear: 2K values per segment) or per pair (smooth)
  private segM = new Float64Array(0);
  private segE = new Float64Array(0);
  private segA = new Float64Array(0);
  // pair-level scale of each value (∫|·| over the initial pieces)
  private readonly scale: Float64Array;
  // scratch
  private readonly v: Float64Array;
  private readonly q1: Float64Array;
  private readonly q2: Float64Array;
  private readonly qa: Float64Array;
  private readonly u: Float64Array;
  private readonly a: Float64Array;
  private readonly sp: Float64Array;
  private readonly z: Float64Array;
  private readonly gv: Float64Array;
  private readonly yv: Float64Array;
  private readonly kinkL: Float64Array;
  private readonly kinkU: Int32Array;
  private readonly active: Uint8Array;
  private readonly bp: Float64Array;
  private readonly pre: Float64Array;
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
  private pairErr = 0;
  private pairAbs = 0;
  private pairUnresolved = 0;

  constructor(problem: PairProblem) {
    this.P = problem;
    const fam: Family = familyOf(problem.familyName);
    this.sfam = fam.vector ? null : fam;
    this.vfam = fam.vector ? fam : null;
    const model = problem.model;
    this.mode = model.kind === "linear" ? "linear" : model.activation === "relu" ? "relu" : "smooth";
    this.net = model.kind === "linear" ? null : model;
    this.act = model.kind === "linear" ? null : activationFns(model.activation);
    const { p, K, N } = problem;
    this.lo = problem.components.map((c) => new PieceRule(N, c.a, c.b));
    this.hi = problem.components.map((c) => new PieceRule(2 * N, c.a, c.b));
    this.xs = new Float64Array(2 * N);
    this.ws = new Float64Array(2 * N);
    this.ys = new Float64Array(2 * N);
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
    this.NV = this.mode === "smooth" ? 1 + 2 * p + K * p + K : 1 + 2 * K;
    this.scale = new Float64Array(this.NV);
    this.v = new Float64Array(this.NV);
    this.q1 = new Float64Array(this.NV);
    this.q2 = new Float64Array(this.NV);
    this.qa = new Float64Array(this.NV);
    this.u = new Float64Array(Math.max(1, p));
    this.a = new Float64Array(Math.max(1, p));
    this.sp = new Float64Array(Math.max(1, p));
    this.z = new Float64Array(Math.max(1, K));
    this.gv = new Float64Array(Math.max(1, K));
    this.yv = new Float64Array(Math.max(1, K));
    this.kinkL = new Float64Array(p + 1);
    this.kinkU = new Int32Array(p + 1);
    this.active = new Uint8Array(p);
    this.runLo = new Int32Array(p);
    this.runHi = new Int32Array(p);
    this.bp = new Float64Array(4 * p + 64 * (K + 1) + 16);
    this.pre = new Float64Array(4 * K);
    this.ensurePieces(64);
  }

  /** Pairs (i, j), i in [i0, i1), j > i, plus the diagonal terms of those rows when pairs = all. */
  integrateRows(i0: number, i1: number): GradChunk {
    const { n, p, K, pairs } = this.P;
    const rows = n - i0;
    this.dOff = i0;
    this.D = new Float64Array(rows * p);
    this.Dc = new Float64Array(rows * p);
    this.Derr = new Float64Array(rows * p);
    const hl = this.net ? K * p + K : 0;
    this.H = new Float64Array(hl);
    this.Hc = new Float64Array(hl);
    this.Herr = new Float64Array(hl);
    let s = 0;
    let c = 0;
    let err = 0;
    let abs = 0;
    let unresolved = 0;
    this.evals = 0;
    for (let i = i0; i < i1; i++) {
      if (pairs === "all") {
        const l = this.pointTerm(i);
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
    const D = this.D;
    for (let q = 0; q < D.length; q++) D[q] += this.Dc[q];
    const H = this.H;
    for (let q = 0; q < H.length; q++) H[q] += this.Hc[q];
    return { i0, i1, value: s + c, err, abs, evals: this.evals, unresolved, D, Derr: this.Derr, H, Herr: this.Herr };
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
  private pointTerm(i: number): number {
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
    if (!Number.isFinite(l)) throw this.overflow(i, i, l);
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

  private overflow(i: number, j: number, l: number): OverflowError {
    const where = this.P.source ? `${this.P.source}: ` : "";
    return new OverflowError(
      i + 1,
      `${where}the ${this.P.familyName} loss overflows (${l}) on the mixed pair of rows ${i + 1} and ${j + 1}`,
    );
  }

  // ---------------------------------------------------------------- one pair

  private ensurePieces(cap: number): void {
    if (cap <= this.cap) return;
    const c = Math.max(cap, 2 * this.cap);
    const NV = this.NV;
    const grow = <T extends Float64Array | Int32Array>(old: T, len: number, make: (k: number) => T): T => {
      const nw = make(len);
      nw.set(old);
      return nw;
    };
    this.pLo = grow(this.pLo, c, (k) => new Float64Array(k));
    this.pHi = grow(this.pHi, c, (k) => new Float64Array(k));
    this.pSeg = grow(this.pSeg, c, (k) => new Int32Array(k));
    this.pDepth = grow(this.pDepth, c, (k) => new Int32Array(k));
    this.pLevel = grow(this.pLevel, c, (k) => new Int32Array(k));
    this.pQ1 = grow(this.pQ1, c * NV, (k) => new Float64Array(k));
    this.pQ2 = grow(this.pQ2, c * NV, (k) => new Float64Array(k));
    this.pQA = grow(this.pQA, c * NV, (k) => new Float64Array(k));
    this.cap = c;
  }

  /** Evaluates piece slot k (lo, hi, seg set) at `level` (−2: its start rung) and stores the results. */
  private evalSlot(k: number, level: number): void {
    this.pLevel[k] = this.evalPiece(this.pLo[k], this.pHi[k], this.pSeg[k], level);
    const NV = this.NV;
    const o = k * NV;
    for (let q = 0; q < NV; q++) {
      this.pQ1[o + q] = this.q1[q];
      this.pQ2[o + q] = this.q2[q];
      this.pQA[o + q] = this.qa[q];
    }
  }

  integratePair(i: number, j: number): number {
    this.i = i;
    this.j = j;
    const NV = this.NV;
    this.buildSegments();
    this.initialPieces();
    this.ensurePieces(this.nPieces + 2 * MAX_DEPTH + 8);
    const scale = this.scale;
    scale.fill(0);
    for (let k = 0; k < this.nPieces; k++) {
      this.evalSlot(k, -2);
      const o = k * NV;
      for (let q = 0; q < NV; q++) scale[q] += this.pQA[o + q];
    }
    const tolLocal = 0.25 * this.P.tol;
    // per-segment accepted moments
    const nm = NV - 1;
    const segSlots = this.mode === "smooth" ? 1 : this.nSeg;
    if (this.segM.length < segSlots * nm) {
      this.segM = new Float64Array(2 * segSlots * nm);
      this.segE = new Float64Array(2 * segSlots * nm);
      this.segA = new Float64Array(2 * segSlots * nm);
    }
    const segM = this.segM;
    const segE = this.segE;
    const segA = this.segA;
    segM.fill(0, 0, segSlots * nm);
    segE.fill(0, 0, segSlots * nm);
    segA.fill(0, 0, segSlots * nm);
    let total = 0;
    let err = 0;
    let abs = 0;
    let unresolved = 0;
    const roundK = (32 + 4 * this.P.N) * EPS;
    let top = this.nPieces;
    const start = this.evals;
    while (top > 0) {
      top--;
      const lo = this.pLo[top];
      const hi = this.pHi[top];
      const seg = this.pSeg[top];
      const depth = this.pDepth[top];
      const level = this.pLevel[top];
      const o = top * NV;
      const len = hi - lo;
      let ok = true;
      for (let q = 0; q < NV; q++) {
        const e = Math.abs(this.pQ2[o + q] - this.pQ1[o + q]);
        if (!(e <= tolLocal * (this.pQA[o + q] + scale[q] * len))) {
          ok = false;
          break;
        }
      }
      if (ok || depth >= MAX_DEPTH || len <= 1e-14 || this.evals - start > PAIR_BUDGET) {
        if (!ok) unresolved++;
        const e0 = Math.abs(this.pQ2[o] - this.pQ1[o]);
        total += this.pQ2[o];
        abs += this.pQA[o];
        err += e0 + roundK * this.pQA[o];
        const so = (this.mode === "smooth" ? 0 : seg) * nm;
        for (let q = 1; q < NV; q++) {
          segM[so + q - 1] += this.pQ2[o + q];
          segE[so + q - 1] += Math.abs(this.pQ2[o + q] - this.pQ1[o + q]) + roundK * this.pQA[o + q];
          segA[so + q - 1] += this.pQA[o + q];
        }
        continue;
      }
      if (level !== JACOBI && level < TOP_LEVEL) {
        this.evalSlot(top, level + 1);
        top++;
        continue;
      }
      const mid = lo === 0 && hi === 1 ? 0.5 : 0.5 * (lo + hi);
      for (let half = 0; half < 2; half++) {
        this.pLo[top] = half === 0 ? mid : lo;
        this.pHi[top] = half === 0 ? hi : mid;
        this.pSeg[top] = seg;
        this.pDepth[top] = depth + 1;
        this.evalSlot(top, -2);
        top++;
      }
    }
    if (!Number.isFinite(total)) throw this.overflow(i, j, total);
    this.pairErr = err;
    this.pairAbs = abs;
    this.pairUnresolved = unresolved;
    this.distribute();
    return total;
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
        if (!Number.isFinite(gi) || !Number.isFinite(gj)) throw this.overflow(i, j, gi + gj);
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
      for (let q = 0; q < nm; q++) if (!Number.isFinite(segM[q])) throw this.overflow(i, j, segM[q]);
      return;
    }
    // ReLU: prefix sums over segments of [λg (K), (1−λ)g (K)] and of their error bounds, per unit the
    // difference over its active run
    const S = this.nSeg;
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
      if (!Number.isFinite(tot)) throw this.overflow(i, j, tot);
    }
    for (let r = 0; r < p; r++) {
      const s0 = this.runLo[r];
      const s1 = this.runHi[r];
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

  /** Affine segments of f along the pair (one for linear and smooth models); ReLU units' active runs. */
  private buildSegments(): void {
    const { p, K, U } = this.P;
    const io = this.i * p;
    const jo = this.j * p;
    this.ensureSeg(1);
    this.nSeg = 1;
    this.segLo[0] = 0;
    this.segHi[0] = 1;
    if (this.mode === "linear") {
      for (let k = 0; k < K; k++) {
        this.A[k] = U[jo + k];
        this.B[k] = U[io + k] - U[jo + k];
      }
      return;
    }
    if (this.mode === "smooth") return;
    const { V, c } = this.net!;
    const m = p;
    const kinkL = this.kinkL;
    const kinkU = this.kinkU;
    const active = this.active;
    let nk = 0;
    for (let r = 0; r < m; r++) {
      const uj = U[jo + r];
      const ui = U[io + r];
      active[r] = uj > 0 || (uj === 0 && ui > 0) ? 1 : 0;
      // no kink: active on every segment or none
      this.runLo[r] = 0;
      this.runHi[r] = active[r] ? 1 << 30 : 0;
      if ((uj < 0 && ui > 0) || (uj > 0 && ui < 0)) {
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
      if (lam > segLo[s]) {
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
      const wasActive = active[r] === 1;
      // active before the kink: segments [0, s); inactive before: [s, end)
      if (wasActive) this.runHi[r] = s;
      else this.runLo[r] = s;
      if (!wasActive) this.runHi[r] = 1 << 30;
      const sign = wasActive ? -1 : 1;
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
    for (let r = 0; r < m; r++) if (this.runHi[r] > this.nSeg) this.runHi[r] = this.nSeg;
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
      const nb = this.sharpPoints(s, lo, hi, 0);
      if (single && nb === 0) {
        this.pushPiece(lo, hi, s);
        continue;
      }
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
    if (this.nPieces > 1 && !this.flat) {
      for (let k = 0; k < this.nPieces; k++) {
        if (this.pLo[k] < 0.5 && this.pHi[k] > 0.5) {
          this.ensurePieces(this.nPieces + 1);
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
    this.ensurePieces(this.nPieces + 1);
    this.pLo[this.nPieces] = lo;
    this.pHi[this.nPieces] = hi;
    this.pSeg[this.nPieces] = seg;
    this.pDepth[this.nPieces] = 0;
    this.nPieces++;
  }

  /** Break points around sharp features on segment s (the loss path's rules), written into bp from nb. */
  private sharpPoints(s: number, lo: number, hi: number, nb: number): number {
    const { K, familyName } = this.P;
    const len = hi - lo;
    if (this.mode === "smooth") {
      const { p, U } = this.P;
      const io = this.i * p;
      const jo = this.j * p;
      for (let r = 0; r < p; r++) {
        const uj = U[jo + r];
        const du = U[io + r] - uj;
        if (Math.abs(du) > SHARP && ((uj < 0 && uj + du > 0) || (uj > 0 && uj + du < 0))) this.bp[nb++] = -uj / du;
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

  // ---------------------------------------------------------------- rules on a piece

  /** q1 (lower-order rule), q2 (value), qa (∫|·|) of every value on [lo, hi]; returns the level used. */
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

  private startLevel(lo: number, hi: number, seg: number): number {
    if (this.mode === "smooth") return 1;
    const K = this.P.K;
    let d = 0;
    const o = seg * K;
    for (let k = 0; k < K; k++) d = Math.max(d, Math.abs(this.B[o + k]));
    d *= hi - lo;
    let lv = 0;
    while (lv < RUNG_D.length && d > RUNG_D[lv]) lv++;
    return lv;
  }

  private evalPieceKronrod(lo: number, hi: number, seg: number, level: number): void {
    const R = KRONROD[level];
    const T = R.t;
    const WK = R.wk;
    const WG = R.wg;
    const M = T.length;
    const h = hi - lo;
    const oml = 1 - lo;
    const omh = 1 - hi;
    const NV = this.NV;
    const q1 = this.q1;
    const q2 = this.q2;
    const qa = this.qa;
    const v = this.v;
    const groups = this.groups;
    if (this.mode !== "smooth" && this.sfam !== null) {
      this.kronrodAffineScalar(lo, hi, seg, level);
      return;
    }
    q1.fill(0);
    q2.fill(0);
    qa.fill(0);
    for (let gi = 0; gi < groups.length; gi++) {
      const grp = groups[gi];
      const gc = grp.comps;
      for (let k = 0; k < M; k++) {
        const t = T[k];
        let lam: number;
        let mlam: number;
        if (t <= 0.5) {
          lam = lo + h * t;
          mlam = oml - h * t;
        } else {
          const w = T[M - 1 - k];
          lam = hi - h * w;
          mlam = omh + h * w;
        }
        let dens = 0;
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
        this.node(lam, mlam, seg, grp.la, grp.lb);
        const wk = WK[k] * dens;
        const wg = WG[k] * dens;
        if (wg !== 0) {
          for (let q = 0; q < NV; q++) {
            const x = v[q];
            q2[q] += wk * x;
            q1[q] += wg * x;
            qa[q] += Math.abs(wk * x);
          }
        } else {
          for (let q = 0; q < NV; q++) {
            const x = v[q];
            q2[q] += wk * x;
            qa[q] += Math.abs(wk * x);
          }
        }
      }
    }
    for (let q = 0; q < NV; q++) {
      q1[q] *= h;
      q2[q] *= h;
      qa[q] *= h;
    }
  }

  /**
   * The hot case of evalPieceKronrod (linear model or ReLU net, scalar loss: f = A + Bλ on the segment):
   * the three values l, λg, (1−λ)g accumulated in locals, no per-node call.
   */
  private kronrodAffineScalar(lo: number, hi: number, seg: number, level: number): void {
    const R = KRONROD[level];
    const T = R.t;
    const WK = R.wk;
    const WG = R.wg;
    const M = T.length;
    const h = hi - lo;
    const oml = 1 - lo;
    const omh = 1 - hi;
    const A = this.A[seg];
    const B = this.B[seg];
    const Y = this.P.Y;
    const sfam = this.sfam!;
    const logistic = this.logistic;
    const flat = this.flat;
    let l1 = 0, l2 = 0, la = 0; // prettier-ignore
    let a1 = 0, a2 = 0, aa = 0; // prettier-ignore
    let b1 = 0, b2 = 0, ba = 0; // prettier-ignore
    const groups = this.groups;
    for (let gi = 0; gi < groups.length; gi++) {
      const grp = groups[gi];
      const gc = grp.comps;
      const ia = grp.la === 0 ? this.i : this.j;
      const ib = grp.lb === 0 ? this.i : this.j;
      const y0 = Y[ib];
      const dy = grp.la === grp.lb ? 0 : Y[ia] - Y[ib];
      let cflat = 0;
      if (flat) for (let q = 0; q < gc.length; q++) cflat += this.cC[gc[q]];
      for (let k = 0; k < M; k++) {
        const t = T[k];
        let lam: number;
        let mlam: number;
        if (t <= 0.5) {
          lam = lo + h * t;
          mlam = oml - h * t;
        } else {
          const w = T[M - 1 - k];
          lam = hi - h * w;
          mlam = omh + h * w;
        }
        let dens = cflat;
        if (!flat) {
          for (let q = 0; q < gc.length; q++) {
            const c = gc[q];
            const am1 = this.cAm1[c];
            const bm1 = this.cBm1[c];
            const ex = (am1 === 0 ? 0 : am1 * Math.log(lam)) + (bm1 === 0 ? 0 : bm1 * Math.log(mlam)) - this.cLogB[c];
            dens += this.cC[c] * Math.exp(ex);
          }
        }
        const z = A + B * lam;
        const y = y0 + lam * dy;
        let l: number;
        let g: number;
        if (logistic) {
          // l from the table; σ(z) − y without cancellation on the saturated side
          const at = Math.abs(z);
          const ph = phiAndSigma(at);
          const s = sigNeg;
          if (z > 0) {
            l = ph + (1 - y) * z;
            g = 1 - y - s;
          } else {
            l = ph - y * z;
            g = s - y;
          }
        } else {
          l = sfam.loss(z, y);
          g = sfam.dloss(z, y);
        }
        const wk = WK[k] * dens;
        const wg = WG[k] * dens;
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
    const q1 = this.q1;
    const q2 = this.q2;
    const qa = this.qa;
    q1[0] = h * l1;
    q1[1] = h * a1;
    q1[2] = h * b1;
    q2[0] = h * l2;
    q2[1] = h * a2;
    q2[2] = h * b2;
    qa[0] = h * la;
    qa[1] = h * aa;
    qa[2] = h * ba;
  }

  private evalPieceJacobi(lo: number, hi: number, seg: number): void {
    const NV = this.NV;
    const q1 = this.q1;
    const q2 = this.q2;
    const qa = this.qa;
    const v = this.v;
    q1.fill(0);
    q2.fill(0);
    qa.fill(0);
    const comps = this.P.components;
    for (let c = 0; c < comps.length; c++) {
      const comp = comps[c];
      let cnt = this.lo[c].fill(lo, hi, this.xs, this.ws, 0, this.ys);
      for (let k = 0; k < cnt; k++) {
        this.node(this.xs[k], this.ys[k], seg, comp.labelA, comp.labelB);
        const w = comp.c * this.ws[k];
        for (let q = 0; q < NV; q++) q1[q] += w * v[q];
      }
      cnt = this.hi[c].fill(lo, hi, this.xs, this.ws, 0, this.ys);
      for (let k = 0; k < cnt; k++) {
        this.node(this.xs[k], this.ys[k], seg, comp.labelA, comp.labelB);
        const w = comp.c * this.ws[k];
        for (let q = 0; q < NV; q++) {
          const x = w * v[q];
          q2[q] += x;
          qa[q] += Math.abs(x);
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
    if (this.mode !== "smooth") {
      const o = seg * K;
      if (this.sfam) {
        const z = this.A[o] + this.B[o] * lam;
        const y = la === lb ? Y[ia] : Y[ib] + lam * (Y[ia] - Y[ib]);
        let l: number;
        let g: number;
        if (this.logistic) {
          // l from the table; σ(z) − y without cancellation on the saturated side
          const ph = phiAndSigma(Math.abs(z));
          const s = sigNeg;
          l = z > 0 ? ph + (1 - y) * z : ph - y * z;
          g = z > 0 ? 1 - y - s : s - y;
        } else {
          l = this.sfam.loss(z, y);
          g = this.sfam.dloss(z, y);
        }
        v[0] = l;
        v[1] = lam * g;
        v[2] = mlam * g;
        return;
      }
      const zv = this.z;
      for (let k = 0; k < K; k++) zv[k] = this.A[o + k] + this.B[o + k] * lam;
      const yv = this.yv;
      for (let k = 0; k < K; k++) yv[k] = Y[ib * K + k] + lam * (Y[ia * K + k] - Y[ib * K + k]);
      v[0] = this.vfam!.loss(zv, 0, K, yv, 0);
      const g = this.gv;
      this.vfam!.dloss(zv, 0, K, yv, 0, g, 0);
      for (let k = 0; k < K; k++) {
        v[1 + k] = lam * g[k];
        v[1 + K + k] = mlam * g[k];
      }
      return;
    }
    // smooth net: full per-node backprop in pre-activation space
    const p = P.p;
    const U = P.U;
    const io = this.i * p;
    const jo = this.j * p;
    const net = this.net!;
    const act = this.act!;
    const V = net.V;
    const c = net.c;
    const u = this.u;
    const a = this.a;
    const sp = this.sp;
    const zv = this.z;
    for (let k = 0; k < K; k++) zv[k] = c ? c[k] : 0;
    for (let r = 0; r < p; r++) {
      const ur = U[jo + r] + lam * (U[io + r] - U[jo + r]);
      u[r] = ur;
      const ar = act.f(ur);
      a[r] = ar;
      sp[r] = act.d1(ur);
      for (let k = 0; k < K; k++) zv[k] += V[k * p + r] * ar;
    }
    const g = this.gv;
    if (this.sfam) {
      const y = la === lb ? Y[ia] : Y[ib] + lam * (Y[ia] - Y[ib]);
      v[0] = this.sfam.loss(zv[0], y);
      g[0] = this.sfam.dloss(zv[0], y);
    } else {
      const yv = this.yv;
      for (let k = 0; k < K; k++) yv[k] = Y[ib * K + k] + lam * (Y[ia * K + k] - Y[ib * K + k]);
      v[0] = this.vfam!.loss(zv, 0, K, yv, 0);
      this.vfam!.dloss(zv, 0, K, yv, 0, g, 0);
    }
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
