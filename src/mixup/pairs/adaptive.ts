/**
 * The adaptive accept / climb / bisect loop along one pair, shared by the loss (loss.ts) and the gradient
 * (grad.ts) integrators (docs/numerics.md, "Gauss–Kronrod ladder and adaptive bisection").
 *
 * An integrator supplies the rules on a piece (PieceRules) for NV values per node (value 0 is the loss);
 * this loop owns the pieces and their results. The pair's initial pieces (geometry.ts) are evaluated first:
 * the ∫|·| of each value over them, A_q, sets that value's absolute floor. Pieces are then processed depth
 * first. A piece is accepted when, for every value q,
 *
 *     |Q_hi − Q_lo| ≤ (tol/4)·∫_piece |v_q| + (tol/4)·A_q·(hi − lo),
 *
 * otherwise it climbs one Kronrod rung on the same piece, or, on the top rung or on the Gauss–Jacobi pair,
 * is bisected (at 1/2 for [0, 1]). Limits: depth MAX_DEPTH, width 1e-14 of the piece's distance from the nearer
 * end of [0, 1], PAIR_BUDGET evaluations per pair;
 * a piece that hits one is accepted anyway and counted as unresolved. Value 0 is summed here; the
 * integrator's `accept` takes the others.
 */
import { EPS } from "../../core/constants.js";
import { grow, JACOBI, MAX_DEPTH, PAIR_BUDGET, TOP_LEVEL, type PairGeometry } from "./geometry.js";

/** The rules of an integrator on a piece, writing Q_lo, Q_hi and ∫|·| of its NV values at slot offset o. */
export interface PieceRules {
  /** integrand evaluations so far */
  evals: number;
  /** Gauss–Kronrod rung `level` on [lo, hi] of segment seg (the Gauss value into q1, Kronrod into q2) */
  kronrod(lo: number, hi: number, seg: number, level: number, o: number): void;
  /** N- and 2N-node Gauss–Jacobi piece rules of every component (a piece touching a singular end) */
  jacobi(lo: number, hi: number, seg: number, o: number): void;
  /** an accepted piece of segment seg, its values at offset o (value 0 is already summed by the loop; called only when NV > 1) */
  accept(o: number, seg: number): void;
}

export class AdaptivePair {
  readonly NV: number;
  /** per slot, NV values each: lower-order rule, value, ∫|·| */
  q1 = new Float64Array(0);
  q2 = new Float64Array(0);
  qa = new Float64Array(0);
  /** per slot: its Kronrod rung, or JACOBI */
  level = new Int32Array(0);
  private cap = 0;
  private readonly G: PairGeometry;
  private readonly tolLocal: number;
  /** rounding allowance per accepted piece, relative to its ∫|·|: (32 + 4N)·ε */
  readonly roundK: number;
  /** per value: (tol/4)·A_q, the absolute floor per unit length */
  private readonly floor: Float64Array;
  /** of the last run: Σ|Q_hi − Q_lo| + rounding, ∫|l|, unresolved pieces (value 0) */
  err = 0;
  abs = 0;
  unresolved = 0;
  /** the value-0 sum of the last run, and R.evals when its initial pieces were done (for PAIR_BUDGET) */
  private total = 0;
  private start = 0;

  constructor(G: PairGeometry, NV: number, tol: number, N: number) {
    this.G = G;
    this.NV = NV;
    this.tolLocal = 0.25 * tol;
    this.roundK = (32 + 4 * N) * EPS;
    this.floor = new Float64Array(NV);
    this.ensure(64);
  }

  /** Makes room for cap pieces (G's stack and the results), keeping their contents. */
  private ensure(cap: number): void {
    if (cap <= this.cap) return;
    const c = Math.max(cap, 2 * this.cap);
    const NV = this.NV;
    this.G.ensureStack(c);
    this.level = grow(this.level, new Int32Array(c));
    this.q1 = grow(this.q1, new Float64Array(c * NV));
    this.q2 = grow(this.q2, new Float64Array(c * NV));
    this.qa = grow(this.qa, new Float64Array(c * NV));
    this.cap = c;
  }

  /** Evaluates piece slot k (lo, hi, seg set in G) at `level` (−2: its start rung). */
  private evalSlot(R: PieceRules, k: number, level: number): void {
    const G = this.G;
    const lo = G.pLo[k];
    const hi = G.pHi[k];
    const seg = G.pSeg[k];
    if (G.jacobiPiece(lo, hi)) {
      R.jacobi(lo, hi, seg, k * this.NV);
      this.level[k] = JACOBI;
      return;
    }
    const lv = level >= 0 ? level : G.startLevel(lo, hi, seg);
    R.kronrod(lo, hi, seg, lv, k * this.NV);
    this.level[k] = lv;
  }

  /** ∫ v_0 along the current pair (G.setPair done) against the pair measure; sets err, abs, unresolved. */
  run(R: PieceRules): number {
    const G = this.G;
    const NV = this.NV;
    const nInit = G.nInit;
    this.prepare();
    const floor = this.floor;
    for (let q = 0; q < NV; q++) floor[q] = 0;
    {
      // the initial pieces at their start rungs (evalSlot, unrolled: this runs for every piece of every pair)
      const pLo = G.pLo;
      const pHi = G.pHi;
      const pSeg = G.pSeg;
      const level = this.level;
      const qa = this.qa;
      for (let k = 0; k < nInit; k++) {
        const lo = pLo[k];
        const hi = pHi[k];
        const seg = pSeg[k];
        const o = k * NV;
        if (G.jacobiPiece(lo, hi)) {
          R.jacobi(lo, hi, seg, o);
          level[k] = JACOBI;
        } else {
          const lv = G.startLevel(lo, hi, seg);
          R.kronrod(lo, hi, seg, lv, o);
          level[k] = lv;
        }
        for (let q = 0; q < NV; q++) floor[q] += qa[o + q];
      }
    }
    return this.resolve(R);
  }

  /** Room for the current pair's pieces (call before writing slots; it may replace q1, q2, qa, level). */
  prepare(): void {
    this.ensure(this.G.nInit + 2 * MAX_DEPTH + 8);
  }

  /**
   * run, when the caller has evaluated the initial pieces itself (after prepare): slot k holds piece k's rules
   * at its start rung (q1, q2, qa, level), and abs0 (abs1 for a second value) = Σ qa of value 0 (1) over the
   * slots in slot order, as run sums them. The same sums as run.
   */
  runEvaluated(R: PieceRules, abs0: number, abs1 = 0): number {
    this.floor[0] = abs0;
    if (this.NV > 1) this.floor[1] = abs1;
    return this.resolve(R);
  }

  /** The initial pieces evaluated and floor[q] = Σ their ∫|v_q|: accept, climb or bisect them all. */
  private resolve(R: PieceRules): number {
    const G = this.G;
    const NV = this.NV;
    const nInit = G.nInit;
    const floor = this.floor;
    const tolLocal = this.tolLocal;
    // absolute share by piece length, not by mass: a far tail piece of negligible mass is accepted at once
    // instead of being resolved relative to its own tiny |v| (which made large α with splits run away);
    // summed over a partition the shares add up to tolLocal·A_q, so the pair stays within 2·tolLocal·∫|v|
    for (let q = 0; q < NV; q++) floor[q] *= tolLocal;
    this.total = 0;
    this.err = 0;
    this.abs = 0;
    this.unresolved = 0;
    this.start = R.evals;
    if (NV > 1) {
      this.drain(R, nInit, 0);
      return this.total;
    }
    // one value (the loss alone): the initial pieces in the order drain pops them, those that pass accepted
    // here in a plain loop, a failing one resolved by drain on the slots from its own up (the same pieces,
    // order and sums as drain over all of them: the same bytes); most pieces pass at their start rung
    const pLo = G.pLo;
    const pHi = G.pHi;
    const q1 = this.q1;
    const q2 = this.q2;
    const qa = this.qa;
    const fl = floor[0];
    const roundK = this.roundK;
    let total = 0;
    let err = 0;
    let abs = 0;
    for (let k = nInit - 1; k >= 0; k--) {
      const dq = Math.abs(q2[k] - q1[k]);
      if (dq <= tolLocal * qa[k] + fl * (pHi[k] - pLo[k])) {
        total += q2[k];
        abs += qa[k];
        err += dq + roundK * qa[k];
      } else {
        this.total = total;
        this.err = err;
        this.abs = abs;
        this.drain(R, k + 1, k);
        total = this.total;
        err = this.err;
        abs = this.abs;
      }
    }
    this.total = total;
    this.err = err;
    this.abs = abs;
    return total;
  }

  /**
   * Pops and resolves the pieces in slots [bottom, top) (depth first: accept, climb a rung, or bisect),
   * adding to total, err, abs and unresolved.
   */
  private drain(R: PieceRules, top: number, bottom: number): void {
    const G = this.G;
    const NV = this.NV;
    const floor = this.floor;
    const tolLocal = this.tolLocal;
    const roundK = this.roundK;
    let total = this.total;
    let err = this.err;
    let abs = this.abs;
    let unresolved = this.unresolved;
    const start = this.start;
    const pLo = G.pLo;
    const pHi = G.pHi;
    const pSeg = G.pSeg;
    const pDepth = G.pDepth;
    const q1 = this.q1;
    const q2 = this.q2;
    const qa = this.qa;
    while (top > bottom) {
      top--;
      const lo = pLo[top];
      const hi = pHi[top];
      const seg = pSeg[top];
      const depth = pDepth[top];
      const level = this.level[top];
      const o = top * NV;
      const len = hi - lo;
      let ok = true;
      for (let q = 0; q < NV; q++) {
        if (!(Math.abs(q2[o + q] - q1[o + q]) <= tolLocal * qa[o + q] + floor[q] * len)) {
          ok = false;
          break;
        }
      }
      // the width limit is relative to the piece's distance from the nearer end of [0, 1]: λ (and 1 − λ)
      // are resolved that finely there (the window of Beta(1, 6e13) is 1.6e-14 wide next to 0)
      if (ok || depth >= MAX_DEPTH || len <= 1e-14 * Math.min(hi, 1 - lo) || R.evals - start > PAIR_BUDGET) {
        if (!ok) unresolved++;
        total += q2[o];
        abs += qa[o];
        err += Math.abs(q2[o] - q1[o]) + roundK * qa[o];
        if (NV > 1) R.accept(o, seg);
        continue;
      }
      if (level !== JACOBI && level < TOP_LEVEL) {
        // the next Kronrod rung on the same piece (the piece stays in its slot)
        this.evalSlot(R, top, level + 1);
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
        this.evalSlot(R, top, -2);
        top++;
      }
    }
    this.total = total;
    this.err = err;
    this.abs = abs;
    this.unresolved = unresolved;
  }
}
