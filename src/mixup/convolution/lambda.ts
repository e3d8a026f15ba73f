/**
 * Adaptive λ-quadrature of a per-node function T(λ) against a finite mixture of Beta laws restricted to
 * [0, 1/2] or [0, 1] (docs/numerics.md, "The O(n) paths for linear GLMs").
 *
 * Pieces start as [0, 1/2] (and [1/2, 1]), split at the window points of concentrated components
 * (mixing/window.ts: the mass of Beta(α, β) for large α + β sits in a window of width ~1/√(α+β)); on each piece the N- and 2N-node PieceRules of every component
 * (which keep the end-point singularities λ^{a−1}, (1−λ)^{b−1}) give Q_N and Q_2N. A piece is accepted when
 *   |Q_2N − Q_N| ≤ (tol/4)·(∫_piece |T| + A·(hi − lo)/len),
 * A = ∫|T| over the whole domain from the initial pieces, else bisected (depth first, up to MAX_DEPTH).
 * The value is Σ Q_2N, the quadrature error estimate Σ |Q_2N − Q_N| (conservative: Q_2N is the more accurate
 * one), ≤ (tol/2)·A by construction. T is sharp in λ where the scores are clustered or the classes
 * separated (every cross pair crosses zero near the same λ): bisection resolves that, and node doubling
 * (N → 2N) on such data is tested separately from the pair sums (test/mixup/convolution.test.ts).
 *
 * The gradient integrates a vector φ(λ) ∈ R^V with T (integrateLambdaVector), with one more acceptance test:
 *   Σ_m |Q_2N[φ_m] − Q_N[φ_m]| ≤ (tol/4)·(Σ_m ∫_piece |φ_m| + A_φ·(hi − lo)/len),
 * A_φ = Σ_m ∫|φ_m| over the whole domain from the initial pieces (ℓ1 over the components: the vector is
 * pulled back to the points by interpolation weights of bounded ℓ1 norm). integrateLambda is the case V = 0.
 */
import { PieceRule } from "../../mixing/piece.js";
import { windowPoints } from "../../mixing/window.js";

export interface LambdaComponent {
  a: number;
  b: number;
  c: number;
}

export interface NodeValue {
  value: number;
  abs: number;
  err: number;
}

export interface LambdaResult {
  value: number;
  /** Σ |Q_2N − Q_N| over the accepted pieces */
  quadErr: number;
  /** ∫ err(λ) (the per-node error bounds integrated with the 2N rule) */
  nodeErr: number;
  /** ∫ |T|-scale (the per-node `abs`) */
  abs: number;
  evals: number;
  pieces: number;
  unresolved: number;
}

export const MAX_DEPTH = 40;

/** A node's scalar part and the max-norm error bound of the vector it wrote. */
export interface VectorNodeValue extends NodeValue {
  vecErr: number;
}

export interface LambdaVectorResult extends LambdaResult {
  /** ∫ vecErr(λ) (2N rule over the accepted pieces) */
  vecNodeErr: number;
  /** Σ over accepted pieces of Q_2N[φ] */
  vec: Float64Array;
  /** Σ over accepted pieces of |Q_2N[φ] − Q_N[φ]|, per component */
  vecQuadErr: Float64Array;
  /** ∫|φ_m| (2N rule), per component */
  vecAbs: Float64Array;
}

interface Piece {
  lo: number;
  hi: number;
  qN: number;
  q2N: number;
  abs: number;
  err: number;
  vErr: number;
  vN: Float64Array;
  v2N: Float64Array;
  vAbs: Float64Array;
}

export function integrateLambdaVector(
  f: (lam: number, omLam: number, vec: Float64Array) => VectorNodeValue,
  V: number,
  comps: readonly LambdaComponent[],
  domainHi: 0.5 | 1,
  tol: number,
  N = 8,
  /** after each accepted piece: the length of [0, domainHi] covered by accepted pieces so far (reaches domainHi) */
  onPiece?: (covered: number, domainHi: number) => void,
): LambdaVectorResult {
  const rulesN = comps.map((c) => new PieceRule(N, c.a, c.b));
  const rules2N = comps.map((c) => new PieceRule(2 * N, c.a, c.b));
  const x = new Float64Array(2 * N);
  const w = new Float64Array(2 * N);
  const y = new Float64Array(2 * N);
  let evals = 0;
  const piece = (lo: number, hi: number): Piece => {
    const vN = new Float64Array(V), v2N = new Float64Array(V), vAbs = new Float64Array(V);
    let qN = 0, q2N = 0, abs = 0, err = 0, vErr = 0;
    // components with the same nodes (the label-free form at α = β) evaluate each node once
    const memo = new Map<number, { v: VectorNodeValue; vec: Float64Array }>();
    const at = (lam: number, om: number) => {
      let r = memo.get(lam);
      if (r === undefined) {
        const vec = new Float64Array(V);
        r = { v: f(lam, om, vec), vec };
        evals++;
        memo.set(lam, r);
      }
      return r;
    };
    for (let ci = 0; ci < comps.length; ci++) {
      const c = comps[ci].c;
      for (const [rules, size] of [[rulesN, N], [rules2N, 2 * N]] as const) {
        rules[ci].fill(lo, hi, x, w, 0, y);
        for (let k = 0; k < size; k++) {
          if (w[k] === 0) continue;
          const { v, vec: node } = at(x[k], y[k]);
          const cw = c * w[k];
          if (size === N) {
            qN += cw * v.value;
            for (let m = 0; m < V; m++) vN[m] += cw * node[m];
          } else {
            q2N += cw * v.value;
            abs += cw * v.abs;
            err += cw * v.err;
            vErr += cw * v.vecErr;
            for (let m = 0; m < V; m++) {
              v2N[m] += cw * node[m];
              vAbs[m] += cw * Math.abs(node[m]);
            }
          }
        }
      }
    }
    return { lo, hi, qN, q2N, abs, err, vErr, vN, v2N, vAbs };
  };
  const l1 = (a: Float64Array): number => {
    let s = 0;
    for (let m = 0; m < V; m++) s += Math.abs(a[m]);
    return s;
  };
  // [0, 1/2] (and [1/2, 1]), split at the window points of concentrated components (mixing/window.ts)
  const cuts = [0, ...Array.from(windowPoints(comps)).filter((v) => v < domainHi && v !== 0.5), 0.5, ...(domainHi === 1 ? [1] : [])];
  cuts.sort((p, q) => p - q);
  const initial: Piece[] = [];
  for (let k = 0; k + 1 < cuts.length; k++) initial.push(piece(cuts[k], cuts[k + 1]));
  const A = initial.reduce((s, p) => s + p.abs, 0);
  const Aphi = initial.reduce((s, p) => s + l1(p.vAbs), 0);
  const vec = new Float64Array(V), vecQuadErr = new Float64Array(V), vecAbs = new Float64Array(V);
  let value = 0, quadErr = 0, nodeErr = 0, vecNodeErr = 0, abs = 0, pieces = 0, unresolved = 0, covered = 0;
  const stack = initial.map((p) => ({ p, depth: 0 })).reverse();
  while (stack.length > 0) {
    const { p, depth } = stack.pop()!;
    const d = Math.abs(p.q2N - p.qN);
    const allowed = (tol / 4) * (p.abs + (A * (p.hi - p.lo)) / domainHi);
    let dv = 0;
    for (let m = 0; m < V; m++) dv += Math.abs(p.v2N[m] - p.vN[m]);
    const allowedV = (tol / 4) * (l1(p.vAbs) + (Aphi * (p.hi - p.lo)) / domainHi);
    const ok = d <= allowed && dv <= allowedV;
    // (the width limit relative to the piece's distance from the nearer end, where λ is resolved that finely)
    if (ok || depth >= MAX_DEPTH || !(p.hi - p.lo > 4e-16 * Math.min(p.hi, 1 - p.lo))) {
      if (!ok) unresolved++;
      value += p.q2N;
      quadErr += d;
      nodeErr += p.err;
      vecNodeErr += p.vErr;
      abs += p.abs;
      pieces++;
      for (let m = 0; m < V; m++) {
        vec[m] += p.v2N[m];
        vecQuadErr[m] += Math.abs(p.v2N[m] - p.vN[m]);
        vecAbs[m] += p.vAbs[m];
      }
      covered += p.hi - p.lo; // dyadic lengths: the sum is exact and ends at domainHi
      onPiece?.(covered, domainHi);
      continue;
    }
    const mid = 0.5 * (p.lo + p.hi);
    stack.push({ p: piece(mid, p.hi), depth: depth + 1 });
    stack.push({ p: piece(p.lo, mid), depth: depth + 1 });
  }
  return { value, quadErr, nodeErr, vecNodeErr, abs, evals, pieces, unresolved, vec, vecQuadErr, vecAbs };
}

/** The scalar case: ∫ T dμ alone (V = 0). */
export function integrateLambda(
  f: (lam: number, omLam: number) => NodeValue,
  comps: readonly LambdaComponent[],
  domainHi: 0.5 | 1,
  tol: number,
  N = 8,
  onPiece?: (covered: number, domainHi: number) => void,
): LambdaResult {
  const r = integrateLambdaVector(
    (lam, om) => {
      const v = f(lam, om);
      return { value: v.value, abs: v.abs, err: v.err, vecErr: 0 };
    },
    0,
    comps,
    domainHi,
    tol,
    N,
    onPiece,
  );
  return { value: r.value, quadErr: r.quadErr, nodeErr: r.nodeErr, abs: r.abs, evals: r.evals, pieces: r.pieces, unresolved: r.unresolved };
}
