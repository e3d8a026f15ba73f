/**
 * The per-pair geometry of the exact all-pairs path (docs/numerics.md, "The exact Mixup loss"): the pair
 * measure's components grouped by label, the affine segments of the score along a pair (ReLU kinks), the
 * initial pieces, the Kronrod start rung, the density at a rung's nodes, and the Gauss–Jacobi piece rules.
 */
import { OverflowError } from "../../core/errors.js";
import type { TwoLayerModel } from "../../models/types.js";
import { KRONROD } from "../../mixing/kronrod.js";
import { BetaLogDensity, pow3 } from "../../mixing/betaDensity.js";
import { PieceRule } from "../../mixing/piece.js";
import { windowPoints, WindowReach } from "../../mixing/window.js";
import type { PairProblem } from "./problem.js";


/** Integer Beta shapes up to this are treated as smooth weights at their end (see singular0). */
const SMOOTH_MAX_SHAPE = 4;

/** Beyond this many widths from a zero crossing, softplus / logSumExp is affine to below 1e-17. */
const GRADE = [1, 3, 8, 20, 40];
/** A crossing is "sharp" when |slope|·(piece length) exceeds this: grade the pieces around it. */
const SHARP = 16;
export const MAX_DEPTH = 48;
/** Integrand evaluations one pair may spend; past it, pieces are accepted and counted as unresolved. */
export const PAIR_BUDGET = 200_000;
/** Highest rung of the Gauss–Kronrod ladder (G15/K31); a piece failing there is bisected. */
export const TOP_LEVEL = KRONROD.length - 1;
/** Pieces on the Gauss–Jacobi path (a singular end of the weight) carry this level: no ladder, only bisection. */
export const JACOBI = -1;
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

/** The Kronrod rung for a piece over which the score moves by d: the first at or above `from` whose RUNG_D covers d. */
export function startRung(d: number, from: number): number {
  let lv = from;
  while (lv < RUNG_D.length && d > RUNG_D[lv]) lv++;
  return lv;
}
const MAX_RUNG_NODES = KRONROD.reduce((m, r) => Math.max(m, r.t.length), 0);

/**
 * Node k of a rule with the M symmetric nodes T on [0, 1] (T[M−1−k] = 1 − T[k]), placed on [lo, hi] (h = hi − lo)
 * measured from the piece's nearer end, so that λ (nodeLam) and 1 − λ (nodeMlam; oml = 1 − lo, omh = 1 − hi)
 * are both relatively accurate where they enter the density. Small enough to be inlined into the hot loops.
 */
export function nodeLam(T: Float64Array, M: number, k: number, lo: number, hi: number, h: number): number {
  const u = T[k];
  return u <= 0.5 ? lo + h * u : hi - h * T[M - 1 - k];
}

export function nodeMlam(T: Float64Array, M: number, k: number, oml: number, omh: number, h: number): number {
  const u = T[k];
  return u <= 0.5 ? oml - h * u : omh + h * T[M - 1 - k];
}

/** nw with old copied into its start. */
export function grow<T extends Float64Array | Int32Array>(old: T, nw: T): T {
  nw.set(old);
  return nw;
}

/** Inserts kink (λ, unit r) into the sorted kinkL[0..nk), kinkU (insertion sort: a pair has few kinks). */
function insertKink(kinkL: Float64Array, kinkU: Int32Array, nk: number, lam: number, r: number): void {
  let q = nk;
  while (q > 0 && kinkL[q - 1] > lam) {
    kinkL[q] = kinkL[q - 1];
    kinkU[q] = kinkU[q - 1];
    q--;
  }
  kinkL[q] = lam;
  kinkU[q] = r;
}

/**
 * A sharp crossing of a scalar logistic score a + b·λ on [lo, hi]: it moves by more than SHARP and crosses 0
 * inside, where the loss is nearly a kink (initialPieces grades the pieces around it).
 */
function isSharp(a: number, b: number, lo: number, hi: number): boolean {
  if (!(Math.abs(b) * (hi - lo) > SHARP)) return false;
  const lam = -a / b;
  return lam > lo && lam < hi;
}

/** Components of the pair measure that mix the labels the same way (la, lb: 0 = row i, 1 = row j). */
export interface LabelGroup {
  readonly la: 0 | 1;
  readonly lb: 0 | 1;
  /** the value it adds to (PairComponent.slot) */
  readonly slot: 0 | 1;
  readonly comps: number[];
}

/**
 * The per-pair geometry shared by the loss (loss.ts) and gradient (grad.ts)
 * integrators: the pair measure's components grouped by label with their density constants; the affine
 * segments of the score along pair (i, j) (ReLU kinks; one segment for linear and smooth models); the
 * initial pieces (segments split at sharp crossings of the score, graded around them, and at 1/2 once
 * split, where the end pieces' folded weight factor needs it); the Kronrod start rung of a piece; the density
 * of a label group at a rung's nodes on a piece (nodeLam, nodeMlam); and the N / 2N-node Gauss–Jacobi piece
 * rules of each component.
 */
export class PairGeometry {
  readonly P: PairProblem;
  readonly groups: LabelGroup[];
  readonly cC: Float64Array;
  /** per component: log of its mass times its density, accurate for every shape */
  private readonly cDens: BetaLogDensity[];
  /** per group: its density when it has one component (the labelled form, and the label-free one at α = β), else null */
  readonly groupSingle: Array<BetaLogDensity | null>;
  /** window points of the concentrated components (mixing/window.ts), and their reach for the start rung */
  private readonly window: Float64Array;
  private readonly reach: WindowReach;
  /** every component is Beta(1, 1): the density is the constant 1 */
  readonly flat: boolean;
  /** an affine score (linear model or ReLU net) with the logistic loss: one sharp test per segment */
  private readonly scalarLogistic: boolean;
  /** the score is affine on each segment (linear model or ReLU net), not a smooth net */
  private readonly affine: boolean;
  /** ReLU, scalar logistic, no window points, no singular end: the initial pieces are the segments unless one is sharp */
  private readonly piecesAreSegments: boolean;
  /** some component is concentrated: pieces read their reach across its window (startLevel) */
  readonly windowed: boolean;
  /** flat: per group, its mass (Σ c over its components, in order) at every node */
  private readonly flatDens: Float64Array[];
  /** some component has a ≠ 1 (resp. b ≠ 1): a piece touching 0 (resp. 1) needs the Jacobi rules */
  readonly singular0: boolean;
  readonly singular1: boolean;
  /** N-node (ruleLo) and 2N-node (ruleHi) piece rules per component, with their node / weight / 1 − node scratch */
  private readonly ruleLo: PieceRule[];
  private readonly ruleHi: PieceRule[];
  readonly xs: Float64Array;
  readonly ws: Float64Array;
  readonly ys: Float64Array;
  // affine segments along the current pair: [segLo, segHi) with f = A + Bλ (K values each)
  segLo = new Float64Array(64);
  segHi = new Float64Array(64);
  A = new Float64Array(64);
  B = new Float64Array(64);
  nSeg = 0;
  /** ReLU, after activeRuns: unit r is active on segments [runLo[r], runHi[r]) */
  readonly runLo: Int32Array;
  readonly runHi: Int32Array;
  /** ReLU: the kinks of the current pair, sorted (kinkL[0..nKinks), unit kinkU) */
  private nKinks = 0;
  // the integrators' piece stack (lo, hi, segment, bisection depth): setPair leaves the pair's initial
  // pieces in [0, nInit), depth 0; ensureStack grows it
  pLo: Float64Array;
  pHi: Float64Array;
  pSeg: Int32Array;
  pDepth: Int32Array;
  nInit = 0;
  /** past this many initial pieces a new one is merged into the previous (Infinity: never) */
  private readonly maxInitial: number;
  // per group, the density of its last groupDensity (not flat): the groups of a piece are read together
  private readonly dens: Float64Array[];
  /** an empty stand-in for a density array that a caller reads at the node instead (groupSingle) */
  readonly noDensity = new Float64Array(0);
  // the nodes of the last piece betaDensity read (its rung and ends): λ and 1 − λ
  private readonly nodeL = new Float64Array(MAX_RUNG_NODES);
  private readonly nodeM = new Float64Array(MAX_RUNG_NODES);
  private nodeLevel = -1;
  private nodeLo = -1;
  private nodeHi = -1;
  // scratch
  private readonly kinkL: Float64Array;
  private readonly kinkU: Int32Array;
  private readonly active: Uint8Array;
  private readonly bp: Float64Array;
  i = 0;
  j = 0;

  /**
   * opts.stack: the piece stack's initial length; opts.maxInitial: see pushPiece.
   */
  constructor(problem: PairProblem, opts: { stack: number; maxInitial: number }) {
    this.P = problem;
    const { p, K, N } = problem;
    const comps = problem.components;
    this.ruleLo = comps.map((c) => new PieceRule(N, c.a, c.b));
    this.ruleHi = comps.map((c) => new PieceRule(2 * N, c.a, c.b));
    this.xs = new Float64Array(2 * N);
    this.ws = new Float64Array(2 * N);
    this.ys = new Float64Array(2 * N);
    this.cC = Float64Array.from(comps, (c) => c.c);
    this.cDens = comps.map((c) => new BetaLogDensity(c.a, c.b, c.c));
    this.window = windowPoints(comps);
    this.reach = new WindowReach(comps);
    this.windowed = this.reach.any;
    this.flat = comps.every((c) => c.a === 1 && c.b === 1);
    this.scalarLogistic = problem.mode !== "smooth" && problem.familyName === "logistic";
    this.affine = problem.mode !== "smooth";
    // an end is singular for the Kronrod rules unless every shape there is a small positive integer: then the
    // weight λ^{a−1} (or (1−λ)^{b−1}) is a low-degree polynomial, smooth up to the end (the label-free form's
    // Beta(α+1, β) at α = β = 1 is 2λ); Gauss–Jacobi piece rules take the others
    const smoothAt = (s: number) => Number.isInteger(s) && s >= 1 && s <= SMOOTH_MAX_SHAPE;
    this.singular0 = comps.some((c) => !smoothAt(c.a));
    this.singular1 = comps.some((c) => !smoothAt(c.b));
    this.piecesAreSegments = problem.mode === "affine-relu" && this.scalarLogistic && this.window.length === 0 && !this.singular0 && !this.singular1;
    const groups: Array<{ la: 0 | 1; lb: 0 | 1; slot: 0 | 1; comps: number[] }> = [];
    comps.forEach((c, k) => {
      const slot = c.slot ?? 0;
      const g = groups.find((q) => q.la === c.labelA && q.lb === c.labelB && q.slot === slot);
      if (g) g.comps.push(k);
      else groups.push({ la: c.labelA, lb: c.labelB, slot, comps: [k] });
    });
    this.groups = groups;
    this.dens = groups.map(() => new Float64Array(MAX_RUNG_NODES));
    this.groupSingle = groups.map((g) => (g.comps.length === 1 ? this.cDens[g.comps[0]] : null));
    this.flatDens = groups.map((g) => {
      let s = 0;
      for (const c of g.comps) s += this.cC[c];
      return new Float64Array(MAX_RUNG_NODES).fill(s);
    });
    this.kinkL = new Float64Array(p + 1);
    this.kinkU = new Int32Array(p + 1);
    this.active = new Uint8Array(p);
    this.runLo = new Int32Array(p);
    this.runHi = new Int32Array(p);
    this.bp = new Float64Array(4 * p + 64 * (K + 1) + 16 + this.window.length);
    this.maxInitial = opts.maxInitial;
    this.pLo = new Float64Array(opts.stack);
    this.pHi = new Float64Array(opts.stack);
    this.pSeg = new Int32Array(opts.stack);
    this.pDepth = new Int32Array(opts.stack);
  }

  /** Pair (i, j): its segments and initial pieces. */
  setPair(i: number, j: number): void {
    this.i = i;
    this.j = j;
    // the ReLU walk writes the pieces itself when they are the segments (see piecesAreSegments)
    if (!this.buildSegments()) this.initialPieces();
  }

  overflow(i: number, j: number, l: number): OverflowError {
    const where = this.P.source ? `${this.P.source}: ` : "";
    return new OverflowError(
      i + 1,
      `${where}the ${this.P.familyName} loss overflows (${l}) on the mixed pair of rows ${i + 1} and ${j + 1}`,
    );
  }

  /**
   * Affine segments of f along the pair (one for linear and smooth models). Returns true when it has also
   * written the initial pieces: a scalar logistic ReLU net without window points or singular ends, no
   * segment sharp (initialPieces would emit each segment as one piece; the walk does it as it closes them).
   */
  private buildSegments(): boolean {
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
      return false;
    }
    if (mode === "smooth") return false;
    if (K === 1) return this.reluScalarWalk(io, jo);
    // ReLU with K outputs: unit r is active where U_jr + λ(U_ir − U_jr) > 0; kinks where the sign changes. One
    // pass over the units gives the kinks (insertion sort by λ) and segment 0's coefficients
    const model = this.P.model as TwoLayerModel;
    const { V, c } = model;
    const m = p;
    const kinkL = this.kinkL;
    const kinkU = this.kinkU;
    this.ensureSeg(m + 1);
    const A = this.A;
    const B = this.B;
    const segLo = this.segLo;
    const segHi = this.segHi;
    for (let k = 0; k < K; k++) {
      A[k] = c ? c[k] : 0;
      B[k] = 0;
    }
    let nk = 0;
    for (let r = 0; r < m; r++) {
      const uj = U[jo + r];
      const ui = U[io + r];
      if (uj > 0 || (uj === 0 && ui > 0)) {
        const du = ui - uj;
        for (let k = 0; k < K; k++) {
          const v = V[k * m + r];
          A[k] += v * uj;
          B[k] += v * du;
        }
      }
      if ((uj < 0 && ui > 0) || (uj > 0 && ui < 0)) {
        insertKink(kinkL, kinkU, nk++, uj / (uj - ui), r);
      }
    }
    let s = 0;
    for (let q = 0; q < nk; q++) {
      const lam = kinkL[q];
      // coincident kinks toggle within the same segment
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
      // each unit crosses 0 at most once along the pair: active before its kink iff u_jr > 0
      const r = kinkU[q];
      const uj = U[jo + r];
      const sign = uj > 0 ? -1 : 1;
      const du = U[io + r] - uj;
      for (let k = 0; k < K; k++) {
        const v = V[k * m + r];
        A[s * K + k] += sign * v * uj;
        B[s * K + k] += sign * v * du;
      }
    }
    this.nSeg = s + 1;
    this.nKinks = nk;
    // K > 1: the initial pieces are made by initialPieces
    return false;
  }

  /**
   * buildSegments for a ReLU net with one output (the hot case), as one plain loop over locals: the kinks
   * (insertion sort by λ) and segment 0's coefficients in one pass over the units, then the walk across the
   * kinks; the same arithmetic in the same order as the general walk (the same bytes). Writes the initial
   * pieces too when they are the segments (piecesAreSegments, no sharp segment); returns whether it did.
   */
  private reluScalarWalk(io: number, jo: number): boolean {
    const U = this.P.U;
    const model = this.P.model as TwoLayerModel;
    const V = model.V;
    const m = this.P.p;
    const kinkL = this.kinkL;
    const kinkU = this.kinkU;
    this.ensureSeg(m + 1);
    const A = this.A;
    const B = this.B;
    const segLo = this.segLo;
    const segHi = this.segHi;
    let a = model.c ? model.c[0] : 0;
    let b = 0;
    let nk = 0;
    for (let r = 0; r < m; r++) {
      const uj = U[jo + r];
      const ui = U[io + r];
      if (uj > 0 || (uj === 0 && ui > 0)) {
        const v = V[r];
        a += v * uj;
        b += v * (ui - uj);
      }
      if ((uj < 0 && ui > 0) || (uj > 0 && ui < 0)) {
        insertKink(kinkL, kinkU, nk++, uj / (uj - ui), r);
      }
    }
    let direct = this.piecesAreSegments && nk + 3 < this.maxInitial;
    if (direct) this.ensureStack(nk + 2);
    const pLo = this.pLo;
    const pHi = this.pHi;
    const pSeg = this.pSeg;
    const pDepth = this.pDepth;
    let s = 0;
    let lo = 0;
    for (let q = 0; q < nk; q++) {
      const lam = kinkL[q];
      // coincident kinks toggle within the same segment
      if (lam > lo) {
        // segment s is final: store it, and its piece unless it is sharp (initialPieces' test, K = 1)
        segLo[s] = lo;
        segHi[s] = lam;
        A[s] = a;
        B[s] = b;
        if (direct) {
          if (isSharp(a, b, lo, lam)) direct = false;
          else {
            pLo[s] = lo;
            pHi[s] = lam;
            pSeg[s] = s;
            pDepth[s] = 0;
          }
        }
        s++;
        lo = lam;
      }
      // each unit crosses 0 at most once along the pair: active before its kink iff u_jr > 0
      const r = kinkU[q];
      const uj = U[jo + r];
      const sign = uj > 0 ? -1 : 1;
      const v = V[r];
      a += sign * v * uj;
      b += sign * v * (U[io + r] - uj);
    }
    segLo[s] = lo;
    segHi[s] = 1;
    A[s] = a;
    B[s] = b;
    this.nSeg = s + 1;
    this.nKinks = nk;
    if (!direct || isSharp(a, b, lo, 1)) return false;
    pLo[s] = lo;
    pHi[s] = 1;
    pSeg[s] = s;
    pDepth[s] = 0;
    this.nInit = s + 1;
    return true;
  }

  /**
   * ReLU, after setPair: the run of segments [runLo[r], runHi[r]) on which unit r is active (contiguous: it
   * changes sign at most once along the pair), by replaying buildSegments' walk over the sorted kinks. A
   * separate pass so that the loss path's segment walk stays as lean as it was.
   */
  activeRuns(): void {
    const { p, U } = this.P;
    const io = this.i * p;
    const jo = this.j * p;
    const active = this.active;
    const runLo = this.runLo;
    const runHi = this.runHi;
    for (let r = 0; r < p; r++) {
      const uj = U[jo + r];
      active[r] = uj > 0 || (uj === 0 && U[io + r] > 0) ? 1 : 0;
      // no kink: active on every segment or none
      runLo[r] = 0;
      runHi[r] = active[r] ? 1 << 30 : 0;
    }
    const segLo = this.segLo;
    let s = 0;
    for (let q = 0; q < this.nKinks; q++) {
      if (this.kinkL[q] > segLo[s]) s++;
      const r = this.kinkU[q];
      // active before the kink: segments [0, s); inactive before: [s, end)
      if (active[r]) runHi[r] = s;
      else {
        runLo[r] = s;
        runHi[r] = 1 << 30;
      }
      active[r] ^= 1;
    }
    for (let r = 0; r < p; r++) if (runHi[r] > this.nSeg) runHi[r] = this.nSeg;
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

  /**
   * Initial pieces: segments, split at sharp crossings (graded), at the window points of concentrated
   * components (mixing/window.ts), and at 1/2 when split at all.
   */
  private initialPieces(): void {
    this.nInit = 0;
    const single = this.nSeg === 1;
    const W = this.window;
    for (let s = 0; s < this.nSeg; s++) {
      const lo = this.segLo[s];
      const hi = this.segHi[s];
      let nb = 0;
      if (this.scalarLogistic) {
        // (sharpPoints' logistic case, inline: it runs for every segment of every pair)
        const b = this.B[s];
        if (isSharp(this.A[s], b, lo, hi)) nb = this.graded(-this.A[s] / b, Math.abs(b), nb);
      } else nb = this.sharpPoints(s, lo, hi, 0);
      for (let q = 0; q < W.length; q++) if (W[q] > lo && W[q] < hi) this.bp[nb++] = W[q];
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
    // not needed when no end is singular: then no piece takes the Gauss–Jacobi rules, which carry that factor)
    if (this.nInit > 1 && (this.singular0 || this.singular1)) {
      for (let k = 0; k < this.nInit; k++) {
        if (this.pLo[k] < 0.5 && this.pHi[k] > 0.5) {
          // shift the tail by one and split piece k
          this.ensureStack(this.nInit + 1);
          const pLo = this.pLo;
          const pHi = this.pHi;
          const pSeg = this.pSeg;
          for (let q = this.nInit; q > k + 1; q--) {
            pLo[q] = pLo[q - 1];
            pHi[q] = pHi[q - 1];
            pSeg[q] = pSeg[q - 1];
            this.pDepth[q] = 0;
          }
          pLo[k + 1] = 0.5;
          pHi[k + 1] = pHi[k];
          pSeg[k + 1] = pSeg[k];
          this.pDepth[k + 1] = 0;
          pHi[k] = 0.5;
          this.nInit++;
          break;
        }
      }
    }
  }

  private pushPiece(lo: number, hi: number, seg: number): void {
    const n = this.nInit;
    if (n + 2 >= this.maxInitial) {
      // merge into the previous piece rather than overflow the caller's stack (cannot happen for sane m)
      this.pHi[n - 1] = hi;
      return;
    }
    if (n >= this.pLo.length) this.ensureStack(n + 1);
    this.pLo[n] = lo;
    this.pHi[n] = hi;
    this.pSeg[n] = seg;
    this.pDepth[n] = 0;
    this.nInit = n + 1;
  }

  /** Makes the piece stack at least len long, keeping its contents. */
  ensureStack(len: number): void {
    if (len <= this.pLo.length) return;
    const c = Math.max(len, 2 * this.pLo.length);
    this.pLo = grow(this.pLo, new Float64Array(c));
    this.pHi = grow(this.pHi, new Float64Array(c));
    this.pSeg = grow(this.pSeg, new Int32Array(c));
    this.pDepth = grow(this.pDepth, new Int32Array(c));
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
      if (isSharp(a, b, lo, hi)) nb = this.graded(-a / b, Math.abs(b), nb);
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
   * A piece touching 0 (or 1) where some component's shape a (or b) is not 1: its weight is singular or
   * not smooth there, so it takes the Gauss–Jacobi piece rules (level JACOBI) instead of the Kronrod ladder.
   */
  jacobiPiece(lo: number, hi: number): boolean {
    return (lo === 0 && this.singular0) || (hi === 1 && this.singular1);
  }

  /**
   * The Kronrod rung for a fresh piece of segment seg: by how far the score moves over it (see RUNG_D), or
   * how far the piece reaches across a concentrated component's window, whichever is more.
   */
  startLevel(lo: number, hi: number, seg: number): number {
    let d = 0;
    if (this.affine) {
      const K = this.P.K;
      if (K === 1) d = Math.abs(this.B[seg]) * (hi - lo);
      else {
        const o = seg * K;
        for (let k = 0; k < K; k++) d = Math.max(d, Math.abs(this.B[o + k]));
        d *= hi - lo;
      }
    }
    if (this.windowed) d = Math.max(d, this.reach.reach(lo, hi));
    return startRung(d, this.affine ? 0 : 1);
  }

  /**
   * The density of label group gi at the nodes of Kronrod rung `level` on [lo, hi] (nodeLam / nodeMlam), for
   * reading until the next call for the same group (each group has its own array). When flat it is the
   * group's mass at every node: a constant array filled once.
   */
  groupDensity(gi: number, level: number, lo: number, hi: number): Float64Array {
    // small, so that it is inlined and the flat case costs no call
    return this.flat ? this.flatDens[gi] : this.betaDensity(gi, level, lo, hi);
  }

  /**
   * Σ over the group's components of c·p(λ) at the rung's nodes, each log density from BetaLogDensity: the
   * node's λ and 1 − λ measured from the piece's nearer end, and its offset from each component's centre
   * from the same end ((lo − μ) + h·u or (hi − μ) − h·v), so that a narrow peak is read at the node's
   * exact position, not at λ rounded to a double.
   */
  private betaDensity(gi: number, level: number, lo: number, hi: number): Float64Array {
    const dens = this.dens[gi];
    const gc = this.groups[gi].comps;
    const T = KRONROD[level].t;
    const M = T.length;
    // the nodes' λ and 1 − λ once per piece (the groups of a piece share them)
    if (level !== this.nodeLevel || lo !== this.nodeLo || hi !== this.nodeHi) {
      const h = hi - lo;
      const oml = 1 - lo;
      const omh = 1 - hi;
      for (let k = 0; k < M; k++) {
        this.nodeL[k] = nodeLam(T, M, k, lo, hi, h);
        this.nodeM[k] = nodeMlam(T, M, k, oml, omh, h);
      }
      this.nodeLevel = level;
      this.nodeLo = lo;
      this.nodeHi = hi;
    }
    const nl = this.nodeL;
    const nm = this.nodeM;
    for (let q = 0; q < gc.length; q++) {
      const D = this.cDens[gc[q]];
      if (D.poly) {
        // a polynomial density (integer shapes 1..4): products, no log or exp
        const am1 = D.am1;
        const bm1 = D.bm1;
        const k0 = D.cOverB;
        for (let k = 0; k < M; k++) {
          const v = k0 * pow3(nl[k], am1) * pow3(nm[k], bm1);
          dens[k] = q === 0 ? v : dens[k] + v;
        }
        continue;
      }
      const h = hi - lo;
      const dlo = lo - D.mu;
      const dhi = hi - D.mu;
      for (let k = 0; k < M; k++) {
        const u = T[k];
        const off = u <= 0.5 ? dlo + h * u : dhi - h * T[M - 1 - k];
        const v = Math.exp(D.log(nl[k], nm[k], off));
        dens[k] = q === 0 ? v : dens[k] + v;
      }
    }
    return dens;
  }

  /**
   * The Gauss–Jacobi piece rule of component c on [lo, hi] (N nodes, or 2N when `fine`): nodes into xs,
   * 1 − node into ys, weights (without the component's mass c) into ws; returns the node count.
   */
  jacobiRule(c: number, fine: boolean, lo: number, hi: number): number {
    return (fine ? this.ruleHi : this.ruleLo)[c].fill(lo, hi, this.xs, this.ws, 0, this.ys);
  }
}
