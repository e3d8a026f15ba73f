import type { Dataset } from "../core/dataset.js";
import { Neumaier } from "../core/sum.js";
import type { Family } from "../losses/types.js";
import { gradX, hessX, outputAt } from "../models/index.js";
import type { Model } from "../models/types.js";
import { lossDerivatives } from "./lossDerivatives.js";

/** Pair averages of the second-order expansion and the R terms they give with moments (m1, m2). */
export interface PairwiseTaylor {
  /** (1/(|rows|·n)) Σ_{i∈rows} Σ_j g_ij'(0) */
  A1: number;
  /** the same for the h'' part of g_ij''(0) */
  A2: number;
  /** the same for the ∇²f part of g_ij''(0) */
  A3: number;
  R1: number;
  R2: number;
  R3: number;
  /** mean |g_ij'(0)|, mean |h'' part|, mean |∇²f part|: the scales of A1, A2, A3 (for relative tolerances) */
  abs1: number;
  abs2: number;
  abs3: number;
  /** pairs summed */
  pairs: number;
}

/**
 * Lemma 3.1's terms as a plain double sum over pairs (docs/theory.md §3.1), the independent reference for the
 * covariance form (terms.ts): for every i in `rows` (default all) and every j, with δ = x_j − x_i and
 * g_ij(a) = l(θ, x_i + aδ, y_i),
 *   g_ij'(0)  = (h'(f_i) − y_i)ᵀ ∇f_i δ,
 *   g_ij''(0) = (∇f_i δ)ᵀ h''(f_i) (∇f_i δ) + Σ_k (h'(f_i) − y_i)_k δᵀ ∇²f_ik δ,
 * all in input space from the model's own ∇ₓf and ∇²ₓf. O(|rows|·n·K·d²): for tests, checks and the
 * naive benchmark baseline, never for production. Compensated sums throughout.
 */
export function taylorTermsPairwise(
  ds: Dataset,
  model: Model,
  family: Family,
  m1: number,
  m2: number,
  rows?: ArrayLike<number>,
): PairwiseTaylor {
  const { n, d, K, X, y } = ds;
  const f = new Float64Array(K);
  const Jf = new Float64Array(K * d);
  const Hx = new Float64Array(K * d * d);
  const gf = new Float64Array(K);
  const Hf = new Float64Array(K * K);
  const delta = new Float64Array(d);
  const t = new Float64Array(K);
  const s1 = new Neumaier();
  const s2 = new Neumaier();
  const s3 = new Neumaier();
  let b1 = 0;
  let b2 = 0;
  let b3 = 0;
  const nr = rows ? rows.length : n;
  for (let ii = 0; ii < nr; ii++) {
    const i = rows ? rows[ii] : ii;
    outputAt(model, X, i * d, f, 0);
    gradX(model, X, i * d, Jf, 0);
    hessX(model, X, i * d, Hx, 0);
    lossDerivatives(family, f, 0, y, i * K, K, gf, Hf);
    for (let j = 0; j < n; j++) {
      for (let q = 0; q < d; q++) delta[q] = X[j * d + q] - X[i * d + q];
      for (let k = 0; k < K; k++) {
        let s = 0;
        for (let q = 0; q < d; q++) s += Jf[k * d + q] * delta[q];
        t[k] = s;
      }
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      for (let k = 0; k < K; k++) {
        a1 += gf[k] * t[k];
        for (let l = 0; l < K; l++) a2 += t[k] * Hf[k * K + l] * t[l];
        const o = k * d * d;
        let quad = 0;
        for (let q = 0; q < d; q++) {
          let s = 0;
          for (let r = 0; r < d; r++) s += Hx[o + q * d + r] * delta[r];
          quad += delta[q] * s;
        }
        a3 += gf[k] * quad;
      }
      s1.add(a1);
      s2.add(a2);
      s3.add(a3);
      b1 += Math.abs(a1);
      b2 += Math.abs(a2);
      b3 += Math.abs(a3);
    }
  }
  const pairs = nr * n;
  const A1 = s1.value / pairs;
  const A2 = s2.value / pairs;
  const A3 = s3.value / pairs;
  return {
    A1,
    A2,
    A3,
    R1: m1 * A1,
    R2: (m2 / 2) * A2,
    R3: (m2 / 2) * A3,
    abs1: b1 / pairs,
    abs2: b2 / pairs,
    abs3: b3 / pairs,
    pairs,
  };
}
