/**
 * Adaptive λ-quadrature of a per-node function T(λ) against a finite mixture of Beta laws restricted to
 * [0, 1/2] or [0, 1] (docs/numerics.md, "The O(n) paths for linear GLMs").
 *
 * Pieces start as [0, 1/2] (and [1/2, 1]); on each piece the N- and 2N-node PieceRules of every component
 * (which keep the end-point singularities λ^{a−1}, (1−λ)^{b−1}) give Q_N and Q_2N. A piece is accepted when
 *   |Q_2N − Q_N| ≤ (tol/4)·(∫_piece |T| + A·(hi − lo)/len),
 * A = ∫|T| over the whole domain from the initial pieces, else bisected (depth first, up to MAX_DEPTH).
 * The value is Σ Q_2N, the quadrature error estimate Σ |Q_2N − Q_N| (conservative: Q_2N is the more accurate
 * one), ≤ (tol/2)·A by construction. T is sharp in λ where the scores are clustered or the classes
 * separated (every cross pair crosses zero near the same λ): bisection resolves that, and node doubling
 * (N → 2N) on such data is tested separately from the pair sums (test/mixup/convolution.test.ts).
 */
import { PieceRule } from "../../mixing/piece.js";

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

export function integrateLambda(
  f: (lam: number, omLam: number) => NodeValue,
  comps: readonly LambdaComponent[],
  domainHi: 0.5 | 1,
  tol: number,
  N = 8,
  /** after each accepted piece: the length of [0, domainHi] covered by accepted pieces so far (reaches domainHi) */
  onPiece?: (covered: number, domainHi: number) => void,
): LambdaResult {
  const rulesN = comps.map((c) => new PieceRule(N, c.a, c.b));
  const rules2N = comps.map((c) => new PieceRule(2 * N, c.a, c.b));
  const x = new Float64Array(2 * N);
  const w = new Float64Array(2 * N);
  const y = new Float64Array(2 * N);
  let evals = 0;
  const piece = (lo: number, hi: number) => {
    const memo = new Map<number, NodeValue>();
    const at = (lam: number, om: number): NodeValue => {
      let v = memo.get(lam);
      if (v === undefined) {
        v = f(lam, om);
        evals++;
        memo.set(lam, v);
      }
      return v;
    };
    let qN = 0, q2N = 0, abs = 0, err = 0;
    for (let ci = 0; ci < comps.length; ci++) {
      const c = comps[ci].c;
      rulesN[ci].fill(lo, hi, x, w, 0, y);
      for (let k = 0; k < N; k++) if (w[k] !== 0) qN += c * w[k] * at(x[k], y[k]).value;
      rules2N[ci].fill(lo, hi, x, w, 0, y);
      for (let k = 0; k < 2 * N; k++) {
        if (w[k] === 0) continue;
        const v = at(x[k], y[k]);
        q2N += c * w[k] * v.value;
        abs += c * w[k] * v.abs;
        err += c * w[k] * v.err;
      }
    }
    return { lo, hi, qN, q2N, abs, err };
  };
  const initial = domainHi === 1 ? [piece(0, 0.5), piece(0.5, 1)] : [piece(0, 0.5)];
  const A = initial.reduce((s, p) => s + p.abs, 0);
  let value = 0, quadErr = 0, nodeErr = 0, abs = 0, pieces = 0, unresolved = 0, covered = 0;
  const stack = initial.map((p) => ({ p, depth: 0 })).reverse();
  while (stack.length > 0) {
    const { p, depth } = stack.pop()!;
    const d = Math.abs(p.q2N - p.qN);
    const allowed = (tol / 4) * (p.abs + (A * (p.hi - p.lo)) / domainHi);
    if (d <= allowed || depth >= MAX_DEPTH || !(p.hi - p.lo > 4e-16)) {
      if (!(d <= allowed)) unresolved++;
      value += p.q2N;
      quadErr += d;
      nodeErr += p.err;
      abs += p.abs;
      pieces++;
      covered += p.hi - p.lo; // dyadic lengths: the sum is exact and ends at domainHi
      onPiece?.(covered, domainHi);
      continue;
    }
    const mid = 0.5 * (p.lo + p.hi);
    stack.push({ p: piece(mid, p.hi), depth: depth + 1 });
    stack.push({ p: piece(p.lo, mid), depth: depth + 1 });
  }
  return { value, quadErr, nodeErr, abs, evals, pieces, unresolved };
}
