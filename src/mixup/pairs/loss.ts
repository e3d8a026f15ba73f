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
import { log1pExpNeg, logisticLossBar } from "../softplusTable.js";
import { pow3, type BetaLogDensity } from "../../mixing/betaDensity.js";
import { AdaptivePair, type PieceRules } from "./adaptive.js";
import { nodeLam, nodeMlam, PairGeometry, startRung } from "./geometry.js";
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
  /** form "both", logistic, affine score, polynomial densities, no windows or singular ends: bothRange */
  private readonly bothFast: boolean;
  /** bothRange's Σ ∫|·| of the labelled and the label-free value over the pieces it evaluated */
  private absBoth0 = 0;
  private absBoth1 = 0;
  // the hot case's per-pair constants: labels of the group's two ends, whether they mix, the group's mass
  private ya = 0;
  private yB = 0;
  private mixed = false;
  private mass = 0;
  // per label group, for the pair: the labels of its two ends (la, lb), whether they mix
  private readonly gya: Float64Array;
  private readonly gyb: Float64Array;
  private readonly gmix: Uint8Array;
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
  /** values per node: 1, or 2 for form "both" (labelled and label-free at once) */
  private readonly NV: number;
  /** per component, the value it adds to (PairComponent.slot) */
  private readonly cslot: Uint8Array;
  /** per group, its density array at the current piece's nodes (kronrodBoth) */
  private readonly gdens: Float64Array[];
  /** form "both" with three groups, each one component with a polynomial density (α = β, integer shapes 1..3) */
  private readonly bothPoly: boolean;
  /** form "both": the label-free value of the last pair, its error and ∫|·| */
  pairTwin = 0;
  pairTwinErr = 0;
  pairTwinAbs = 0;

  constructor(problem: PairProblem) {
    this.P = problem;
    this.G = new PairGeometry(problem, { stack: 64, maxInitial: MAX_INITIAL });
    this.NV = problem.form === "both" ? 2 : 1;
    this.loop = new AdaptivePair(this.G, this.NV, problem.tol, problem.N);
    this.cslot = Uint8Array.from(problem.components, (c) => c.slot ?? 0);
    const fam: Family = familyOf(problem.familyName);
    this.sfam = fam.vector ? null : fam;
    this.vfam = fam.vector ? fam : null;
    this.u = new Float64Array(Math.max(1, problem.p));
    this.z = new Float64Array(Math.max(1, problem.K));
    this.yv = new Float64Array(Math.max(1, problem.K));
    this.logistic = problem.familyName === "logistic";
    this.flatLogistic = problem.mode !== "smooth" && this.logistic && this.G.flat;
    const ng = this.G.groups.length;
    this.gya = new Float64Array(ng);
    this.gyb = new Float64Array(ng);
    this.gmix = Uint8Array.from(this.G.groups, (g) => (g.la !== g.lb ? 1 : 0));
    this.gdens = this.G.groups.map(() => this.G.noDensity);
    const G = this.G;
    this.bothPoly = this.NV === 2 && G.groups.length === 3 && G.groupSingle.every((D) => D !== null && D.poly);
    this.bothFast = this.bothPoly && problem.mode !== "smooth" && this.logistic && !G.windowed && !G.singular0 && !G.singular1;
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
    const groups = this.G.groups;
    for (let gi = 0; gi < groups.length; gi++) {
      this.gya[gi] = this.P.Y[groups[gi].la === 0 ? i : j];
      this.gyb[gi] = this.P.Y[groups[gi].lb === 0 ? i : j];
    }
    if (this.flatLogistic) {
      const grp = groups[0];
      this.ya = this.gya[0];
      this.yB = this.gyb[0];
      this.mixed = grp.la !== grp.lb;
      this.mass = this.G.cC[grp.comps[0]];
    }
    this.G.setPair(i, j);
    this.pairTwin = 0;
    this.pairTwinErr = 0;
    this.pairTwinAbs = 0;
    let total: number;
    if (this.flatLogistic) {
      // the initial pieces in one loop (flatRange), then the adaptive loop on them
      this.loop.prepare();
      total = this.loop.runEvaluated(this, this.flatRange(0, this.G.nInit, -1));
    } else if (this.bothFast) {
      // the same for both forms at polynomial densities (bothRange)
      this.loop.prepare();
      this.bothRange(0, this.G.nInit, -1);
      total = this.loop.runEvaluated(this, this.absBoth0, this.absBoth1);
    } else total = this.loop.run(this);
    if (!Number.isFinite(total)) throw this.G.overflow(i, j, total);
    if (!Number.isFinite(this.pairTwin)) throw this.G.overflow(i, j, this.pairTwin);
    this.pairErr = this.loop.err;
    this.pairAbs = this.loop.abs;
    this.pairUnresolved = this.loop.unresolved;
    return total;
  }

  /** The loop sums value 0 itself; form "both" takes the label-free value (1) of an accepted piece here. */
  accept(o: number): void {
    const L = this.loop;
    const v = L.q2[o + 1];
    const a = L.qa[o + 1];
    this.pairTwin += v;
    this.pairTwinAbs += a;
    this.pairTwinErr += Math.abs(v - L.q1[o + 1]) + L.roundK * a;
  }

  /**
   * Gauss–Kronrod rung `level` on [lo, hi]: the nodes are shared by every component (the density sum
   * weights them), and by the components of one label group the integrand value too. Nodes are measured
   * from the piece's nearer end (nodeLam).
   */
  kronrod(lo: number, hi: number, seg: number, level: number, o: number): void {
    // a small dispatch; flat: the piece is slot o of the geometry (one value per slot)
    if (this.flatLogistic) this.flatRange(o, o + 1, level);
    else if (this.NV === 2) this.kronrodBoth(lo, hi, seg, level, o);
    else this.kronrodGroups(lo, hi, seg, level, o);
  }

  /**
   * The common case (α = β = 1, logistic head, linear or ReLU model): one label group of mass c, no density.
   * Rung `fixed` (−1: each piece's start rung, as startLevel gives it for an affine score without windows) on
   * the pieces in slots [k0, k1) of the geometry, results into the same slots: one plain loop over locals for
   * all the initial pieces of a pair (no call per piece). The mixed label and its complement from λ and 1 − λ
   * (logisticLossBar); λ and 1 − λ from the piece's nearer end (nodeLam, nodeMlam), one branch for both.
   * Returns Σ ∫|l| over the pieces, in slot order.
   */
  private flatRange(k0: number, k1: number, fixed: number): number {
    const G = this.G;
    const L = this.loop;
    const pLo = G.pLo;
    const pHi = G.pHi;
    const pSeg = G.pSeg;
    const GA = G.A;
    const GB = G.B;
    const q1 = L.q1;
    const q2 = L.q2;
    const qa = L.qa;
    const lev = L.level;
    const mixed = this.mixed;
    const ya = this.ya;
    const yB = this.yB;
    const ua = 1 - ya;
    const uB = 1 - yB;
    const c = this.mass;
    let evals = 0;
    let absSum = 0;
    for (let p = k0; p < k1; p++) {
      const lo = pLo[p];
      const hi = pHi[p];
      const seg = pSeg[p];
      const A = GA[seg];
      const B = GB[seg];
      const h = hi - lo;
      const lv = fixed >= 0 ? fixed : startRung(Math.abs(B) * h, 0);
      const R = KRONROD[lv];
      const WK = R.wk;
      const WG = R.wg;
      const T = R.t;
      const M = T.length;
      const oml = 1 - lo;
      const omh = 1 - hi;
      let s1 = 0;
      let s2 = 0;
      // two loops rather than a test of `mixed` at every node; the Gauss nodes are the odd ones (WG is 0 at
      // the others)
      if (mixed) {
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
          // logisticLossBar inline, each mixed label formed only on its side of z = 0
          const z = A + B * lam;
          const ph = log1pExpNeg(Math.abs(z));
          const l = z > 0 ? ph + (lam * ua + mlam * uB) * z : ph - (lam * ya + mlam * yB) * z;
          s2 += WK[k] * l;
          if ((k & 1) === 1) s1 += WG[k] * l;
        }
      } else {
        for (let k = 0; k < M; k++) {
          const u = T[k];
          const lam = u <= 0.5 ? lo + h * u : hi - h * T[M - 1 - k];
          const l = logisticLossBar(A + B * lam, ya, ua);
          s2 += WK[k] * l;
          if ((k & 1) === 1) s1 += WG[k] * l;
        }
      }
      evals += M;
      q1[p] = h * c * s1;
      q2[p] = h * c * s2;
      // l ≥ 0 for labels in [0, 1] (a sum of non-negative terms), so ∫|l| = ∫l
      const a = Math.abs(h * c * s2);
      qa[p] = a;
      absSum += a;
      lev[p] = lv;
    }
    this.evals += evals;
    return absSum;
  }

  /** Rung `level` on [lo, hi] for one form: each label group's density times its loss, summed. */
  private kronrodGroups(lo: number, hi: number, seg: number, level: number, o: number): void {
    const R = KRONROD[level];
    const WK = R.wk;
    const WG = R.wg;
    const T = R.t;
    const M = T.length;
    const h = hi - lo;
    const G = this.G;
    const L = this.loop;
    const affineScalar = this.P.mode !== "smooth" && this.sfam !== null;
    const groups = G.groups;
    const oml = 1 - lo;
    const omh = 1 - hi;
    let q1 = 0;
    let q2 = 0;
    let qa = 0;
    if (affineScalar && this.logistic) {
      // every label group at once (one for the labelled form, two for the label-free one): the nodes, the
      // score and φ(|z|) serve both, each group adds its label part (logisticLossBar: the label and its
      // complement from λ and 1 − λ); l ≥ 0 and the density ≥ 0, so ∫|·| is the value
      const A = G.A[seg];
      const B = G.B[seg];
      const two = groups.length === 2;
      // a group of one component (the labelled form; the label-free one at α = β) has its density read at
      // the node here; otherwise the group's density array from the geometry
      const s0 = G.groupSingle[0];
      const s1 = two ? G.groupSingle[1] : null;
      const d0 = s0 === null ? G.groupDensity(0, level, lo, hi) : G.noDensity;
      const d1 = two && s1 === null ? G.groupDensity(1, level, lo, hi) : d0;
      const dlo0 = s0 === null ? 0 : lo - s0.mu;
      const dhi0 = s0 === null ? 0 : hi - s0.mu;
      const dlo1 = s1 === null ? 0 : lo - s1.mu;
      const dhi1 = s1 === null ? 0 : hi - s1.mu;
      const ya0 = this.gya[0];
      const yb0 = this.gyb[0];
      const mix0 = this.gmix[0] === 1;
      const ya1 = two ? this.gya[1] : 0;
      const yb1 = two ? this.gyb[1] : 0;
      const mix1 = two && this.gmix[1] === 1;
      for (let k = 0; k < M; k++) {
        const u = T[k];
        let lam: number;
        let mlam: number;
        let o0: number;
        let o1: number;
        if (u <= 0.5) {
          lam = lo + h * u;
          mlam = oml - h * u;
          o0 = dlo0 + h * u;
          o1 = dlo1 + h * u;
        } else {
          const w = T[M - 1 - k];
          lam = hi - h * w;
          mlam = omh + h * w;
          o0 = dhi0 - h * w;
          o1 = dhi1 - h * w;
        }
        const z = A + B * lam;
        const ph = log1pExpNeg(Math.abs(z));
        let v =
          (s0 === null ? d0[k] : s0.value(lam, mlam, o0)) *
          (z > 0 ? ph + (mix0 ? lam * (1 - ya0) + mlam * (1 - yb0) : 1 - ya0) * z : ph - (mix0 ? lam * ya0 + mlam * yb0 : ya0) * z);
        if (two) {
          v +=
            (s1 === null ? d1[k] : s1.value(lam, mlam, o1)) *
            (z > 0 ? ph + (mix1 ? lam * (1 - ya1) + mlam * (1 - yb1) : 1 - ya1) * z : ph - (mix1 ? lam * ya1 + mlam * yb1 : ya1) * z);
        }
        q2 += WK[k] * v;
        q1 += WG[k] * v;
      }
      qa = q2;
      this.evals += M;
    } else if (affineScalar) {
      // squared, Poisson: each group's loss from the family (no shared part worth the bookkeeping)
      const A = G.A[seg];
      const B = G.B[seg];
      const sfam = this.sfam!;
      for (let gi = 0; gi < groups.length; gi++) {
        const dens = G.groupDensity(gi, level, lo, hi);
        const ya = this.gya[gi];
        const yB = this.gyb[gi];
        const mix = this.gmix[gi] === 1;
        for (let k = 0; k < M; k++) {
          const lam = nodeLam(T, M, k, lo, hi, h);
          const v = dens[k] * sfam.loss(A + B * lam, mix ? yB + lam * (ya - yB) : ya);
          q2 += WK[k] * v;
          q1 += WG[k] * v;
          qa += WK[k] * Math.abs(v);
        }
      }
      this.evals += M;
    } else {
      for (let gi = 0; gi < groups.length; gi++) {
        const grp = groups[gi];
        const dens = G.groupDensity(gi, level, lo, hi);
        for (let k = 0; k < M; k++) {
          const v = dens[k] * this.g(nodeLam(T, M, k, lo, hi, h), nodeMlam(T, M, k, oml, omh, h), seg, grp.la, grp.lb);
          q2 += WK[k] * v;
          q1 += WG[k] * v;
          qa += WK[k] * Math.abs(v);
        }
      }
    }
    L.q1[o] = h * q1;
    L.q2[o] = h * q2;
    L.qa[o] = h * qa;
  }

  /**
   * Form "both": rung `level` on [lo, hi] for the labelled value (slot 0) and the label-free one (slot 1) at
   * the same nodes. The score, and for the logistic loss φ(|z|), are computed once per node; each label group
   * adds its density times its loss to its slot. Each value gets its own Q_lo, Q_hi and ∫|·|, so the loop
   * accepts a piece only when both meet the tolerance.
   */
  private kronrodBoth(lo: number, hi: number, seg: number, level: number, o: number): void {
    const R = KRONROD[level];
    const WK = R.wk;
    const WG = R.wg;
    const T = R.t;
    const M = T.length;
    const h = hi - lo;
    const G = this.G;
    const groups = G.groups;
    const ng = groups.length;
    if (this.bothPoly && this.logistic && this.P.mode !== "smooth") {
      // the piece is slot o / 2 of the geometry (two values per slot)
      this.bothRange(o >> 1, (o >> 1) + 1, level);
      return;
    }
    const dens = this.gdens;
    for (let gi = 0; gi < ng; gi++) dens[gi] = G.groupDensity(gi, level, lo, hi);
    const gya = this.gya;
    const gyb = this.gyb;
    const gmix = this.gmix;
    const oml = 1 - lo;
    const omh = 1 - hi;
    const affine = this.P.mode !== "smooth";
    const sfam = affine ? this.sfam : null;
    const A = affine ? G.A[seg] : 0;
    const B = affine ? G.B[seg] : 0;
    const evals = this.evals;
    const L = this.loop;
    if (affine && this.logistic && ng === 3) {
      // the groups are always [labelled (i, j mixed), label-free (i, i), label-free (j, j)] (pairComponents
      // "both"): the label-free groups share φ(|z|), so per node va = d0·l(z, ỹ), vb = (d1 + d2)·φ + z·(…);
      // every term is ≥ 0 (φ ≥ 0, and −y·z ≥ 0 for z ≤ 0), so ∫|·| is the value
      const d0 = dens[0];
      const d1 = dens[1];
      const d2 = dens[2];
      const ya = gya[0];
      const yb = gyb[0];
      const y1 = gya[1];
      const y2 = gya[2];
      let s1a = 0;
      let s2a = 0;
      let s1b = 0;
      let s2b = 0;
      for (let k = 0; k < M; k++) {
        const u = T[k];
        let lam: number;
        let mlam: number;
        if (u <= 0.5) {
          lam = lo + h * u;
          mlam = oml - h * u;
        } else {
          const w = T[M - 1 - k];
          lam = hi - h * w;
          mlam = omh + h * w;
        }
        const z = A + B * lam;
        const ph = log1pExpNeg(Math.abs(z));
        const a1 = d1[k];
        const a2 = d2[k];
        let va: number;
        let vb: number;
        if (z > 0) {
          va = d0[k] * (ph + (lam * (1 - ya) + mlam * (1 - yb)) * z);
          vb = (a1 + a2) * ph + (a1 * (1 - y1) + a2 * (1 - y2)) * z;
        } else {
          va = d0[k] * (ph - (lam * ya + mlam * yb) * z);
          vb = (a1 + a2) * ph - (a1 * y1 + a2 * y2) * z;
        }
        s2a += WK[k] * va;
        s1a += WG[k] * va;
        s2b += WK[k] * vb;
        s1b += WG[k] * vb;
      }
      this.evals = evals + M;
      L.q1[o] = h * s1a;
      L.q2[o] = h * s2a;
      L.qa[o] = h * s2a;
      L.q1[o + 1] = h * s1b;
      L.q2[o + 1] = h * s2b;
      L.qa[o + 1] = h * s2b;
      return;
    }
    let k1a = 0;
    let k2a = 0;
    let kaa = 0;
    let k1b = 0;
    let k2b = 0;
    let kab = 0;
    for (let k = 0; k < M; k++) {
      const lam = nodeLam(T, M, k, lo, hi, h);
      const mlam = nodeMlam(T, M, k, oml, omh, h);
      const z = A + B * lam;
      let va = 0;
      let vb = 0;
      let aa = 0;
      let ab = 0;
      for (let gi = 0; gi < ng; gi++) {
        const grp = groups[gi];
        const mix = gmix[gi] === 1;
        const ya = gya[gi];
        const yb = gyb[gi];
        // (a logistic head on an affine score, three groups, took the block above)
        const l = sfam !== null ? sfam.loss(z, mix ? yb + lam * (ya - yb) : ya) : this.g(lam, mlam, seg, grp.la, grp.lb);
        const v = dens[gi][k] * l;
        if (grp.slot === 0) {
          va += v;
          aa += Math.abs(v);
        } else {
          vb += v;
          ab += Math.abs(v);
        }
      }
      k2a += WK[k] * va;
      k1a += WG[k] * va;
      kaa += WK[k] * aa;
      k2b += WK[k] * vb;
      k1b += WG[k] * vb;
      kab += WK[k] * ab;
    }
    // g counts its calls; a node serves every group, so count nodes
    this.evals = evals + M;
    L.q1[o] = h * k1a;
    L.q2[o] = h * k2a;
    L.qa[o] = h * kaa;
    L.q1[o + 1] = h * k1b;
    L.q2[o + 1] = h * k2b;
    L.qa[o + 1] = h * kab;
  }

  /**
   * kronrodBoth's logistic case when each group is one component with a polynomial density (α = β, integer
   * shapes 1..3, e.g. the default α = β = 1): the densities c·λ^{a−1}(1−λ)^{b−1} read at the node, by products.
   * As flatRange, on the pieces in slots [k0, k1) at rung `fixed` (−1: each piece's start rung), in one loop;
   * sets absBoth0, absBoth1. The node loop repeats kronrodBoth's logistic one (densities from arrays) on purpose:
   * one loop with a test per node for where the density comes from made the pass 12–35% slower (measured).
   */
  private bothRange(k0: number, k1: number, fixed: number): void {
    const G = this.G;
    const L = this.loop;
    const pLo = G.pLo;
    const pHi = G.pHi;
    const pSeg = G.pSeg;
    const GA = G.A;
    const GB = G.B;
    const q1 = L.q1;
    const q2 = L.q2;
    const qa = L.qa;
    const lev = L.level;
    const g0 = G.groupSingle[0]!;
    const g1 = G.groupSingle[1]!;
    const g2 = G.groupSingle[2]!;
    const ya = this.gya[0];
    const yb = this.gyb[0];
    const y1 = this.gya[1];
    const y2 = this.gya[2];
    const c0 = g0.cOverB;
    const c1 = g1.cOverB;
    const c2 = g2.cOverB;
    const a0 = g0.am1;
    const b0 = g0.bm1;
    const a1 = g1.am1;
    const b1 = g1.bm1;
    const a2 = g2.am1;
    const b2 = g2.bm1;
    let evals = 0;
    let abs0 = 0;
    let abs1 = 0;
    for (let p = k0; p < k1; p++) {
      const lo = pLo[p];
      const hi = pHi[p];
      const seg = pSeg[p];
      const A = GA[seg];
      const B = GB[seg];
      const h = hi - lo;
      const lv = fixed >= 0 ? fixed : startRung(Math.abs(B) * h, 0);
      const R = KRONROD[lv];
      const WK = R.wk;
      const WG = R.wg;
      const T = R.t;
      const M = T.length;
      const oml = 1 - lo;
      const omh = 1 - hi;
      let s1a = 0;
      let s2a = 0;
      let s1b = 0;
      let s2b = 0;
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
        const z = A + B * lam;
        const ph = log1pExpNeg(Math.abs(z));
        const e0 = c0 * pow3(lam, a0) * pow3(mlam, b0);
        const e1 = c1 * pow3(lam, a1) * pow3(mlam, b1);
        const e2 = c2 * pow3(lam, a2) * pow3(mlam, b2);
        let va: number;
        let vb: number;
        if (z > 0) {
          va = e0 * (ph + (lam * (1 - ya) + mlam * (1 - yb)) * z);
          vb = (e1 + e2) * ph + (e1 * (1 - y1) + e2 * (1 - y2)) * z;
        } else {
          va = e0 * (ph - (lam * ya + mlam * yb) * z);
          vb = (e1 + e2) * ph - (e1 * y1 + e2 * y2) * z;
        }
        s2a += WK[k] * va;
        s2b += WK[k] * vb;
        // the Gauss nodes are the odd ones (WG is 0 at the others)
        if ((k & 1) === 1) {
          s1a += WG[k] * va;
          s1b += WG[k] * vb;
        }
      }
      evals += M;
      const o = 2 * p;
      q1[o] = h * s1a;
      q2[o] = h * s2a;
      qa[o] = h * s2a;
      q1[o + 1] = h * s1b;
      q2[o + 1] = h * s2b;
      qa[o + 1] = h * s2b;
      abs0 += h * s2a;
      abs1 += h * s2b;
      lev[p] = lv;
    }
    this.evals += evals;
    this.absBoth0 = abs0;
    this.absBoth1 = abs1;
  }

  /** Q_N, Q_2N and ∫|l| (2N) over [lo, hi] for all components (form "both": each into its slot). */
  jacobi(lo: number, hi: number, seg: number, o: number): void {
    const L = this.loop;
    for (let q = 0; q < this.NV; q++) {
      L.q1[o + q] = 0;
      L.q2[o + q] = 0;
      L.qa[o + q] = 0;
    }
    const G = this.G;
    const xs = G.xs;
    const ys = G.ys;
    const ws = G.ws;
    const comps = this.P.components;
    for (let c = 0; c < comps.length; c++) {
      const comp = comps[c];
      const oc = o + this.cslot[c];
      let cnt = G.jacobiRule(c, false, lo, hi);
      let s = 0;
      for (let k = 0; k < cnt; k++) s += ws[k] * this.g(xs[k], ys[k], seg, comp.labelA, comp.labelB);
      L.q1[oc] += comp.c * s;
      cnt = G.jacobiRule(c, true, lo, hi);
      s = 0;
      let sa = 0;
      for (let k = 0; k < cnt; k++) {
        const v = ws[k] * this.g(xs[k], ys[k], seg, comp.labelA, comp.labelB);
        s += v;
        sa += Math.abs(v);
      }
      L.q2[oc] += comp.c * s;
      L.qa[oc] += comp.c * sa;
    }
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
