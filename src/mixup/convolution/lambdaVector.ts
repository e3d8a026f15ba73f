/**
 * Adaptive λ-quadrature of a scalar T(λ) and a vector φ(λ) ∈ R^V together (the gradient of the O(n)
 * path, issue 6), against a finite mixture of Beta laws on [0, 1/2] or [0, 1]; the rule of lambda.ts
 * (N- and 2N-node PieceRules per component, bisection depth first) with one more acceptance test:
 *   Σ_m |Q_2N[φ_m] − Q_N[φ_m]| ≤ (tol/4)·(Σ_m ∫_piece |φ_m| + A_φ·(hi − lo)/len),
 * A_φ = Σ_m ∫|φ_m| over the whole domain from the initial pieces (ℓ1 over the components: the vector is
 * pulled back to the points by interpolation weights of bounded ℓ1 norm, so an ℓ1 bound is what the
 * point values inherit). With V = 0 it is integrateLambda.
 */
import { PieceRule } from "../../mixing/piece.js";
import { MAX_DEPTH, type LambdaComponent, type LambdaResult, type NodeValue } from "./lambda.js";

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
): LambdaVectorResult {
  const rulesN = comps.map((c) => new PieceRule(N, c.a, c.b));
  const rules2N = comps.map((c) => new PieceRule(2 * N, c.a, c.b));
  const x = new Float64Array(2 * N);
  const w = new Float64Array(2 * N);
  const y = new Float64Array(2 * N);
  const node = new Float64Array(V);
  let evals = 0;
  const piece = (lo: number, hi: number): Piece => {
    const vN = new Float64Array(V), v2N = new Float64Array(V), vAbs = new Float64Array(V);
    let qN = 0, q2N = 0, abs = 0, err = 0, vErr = 0;
    for (let ci = 0; ci < comps.length; ci++) {
      const c = comps[ci].c;
      for (const [rules, size] of [[rulesN, N], [rules2N, 2 * N]] as const) {
        rules[ci].fill(lo, hi, x, w, 0, y);
        for (let k = 0; k < size; k++) {
          if (w[k] === 0) continue;
          const v = f(x[k], y[k], node);
          evals++;
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
  const initial = domainHi === 1 ? [piece(0, 0.5), piece(0.5, 1)] : [piece(0, 0.5)];
  const A = initial.reduce((s, p) => s + p.abs, 0);
  const Aphi = initial.reduce((s, p) => s + l1(p.vAbs), 0);
  const vec = new Float64Array(V), vecQuadErr = new Float64Array(V), vecAbs = new Float64Array(V);
  let value = 0, quadErr = 0, nodeErr = 0, vecNodeErr = 0, abs = 0, pieces = 0, unresolved = 0;
  const stack = initial.map((p) => ({ p, depth: 0 })).reverse();
  while (stack.length > 0) {
    const { p, depth } = stack.pop()!;
    const d = Math.abs(p.q2N - p.qN);
    const allowed = (tol / 4) * (p.abs + (A * (p.hi - p.lo)) / domainHi);
    let dv = 0;
    for (let m = 0; m < V; m++) dv += Math.abs(p.v2N[m] - p.vN[m]);
    const allowedV = (tol / 4) * (l1(p.vAbs) + (Aphi * (p.hi - p.lo)) / domainHi);
    const ok = d <= allowed && dv <= allowedV;
    if (ok || depth >= MAX_DEPTH || !(p.hi - p.lo > 4e-16)) {
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
      continue;
    }
    const mid = 0.5 * (p.lo + p.hi);
    stack.push({ p: piece(mid, p.hi), depth: depth + 1 });
    stack.push({ p: piece(p.lo, mid), depth: depth + 1 });
  }
  return { value, quadErr, nodeErr, vecNodeErr, abs, evals, pieces, unresolved, vec, vecQuadErr, vecAbs };
}
