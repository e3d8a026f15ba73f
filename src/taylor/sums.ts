import type { Dataset } from "../core/dataset.js";
import type { Family } from "../losses/types.js";
import { activationFns, firstLayerWidth, headFromPreact, preactivations } from "../models/index.js";
import type { Model } from "../models/types.js";
import { preactStats } from "./preactStats.js";

/**
 * Per-row ingredients of Lemma 3.1 (paper.md §3), before the D̃ moments: with g_i(a) = l(θ, x_i + a(r − x_i), y_i)
 * and r uniform over the rows,
 *   d1[i] = E_r g_i'(0)  = (h'(f_i) − y_i)ᵀ ∇f_i (x̄ − x_i)
 *   d2[i] = E_r[(r − x_i)ᵀ ∇f_iᵀ h''(f_i) ∇f_i (r − x_i)]          (the R2 part of E_r g_i''(0))
 *   d3[i] = E_r[Σ_k (h'(f_i) − y_i)_k (r − x_i)ᵀ ∇²f_ik (r − x_i)]   (the R3 part)
 * so R1 = m1·mean(d1), R2 = (m2/2)·mean(d2), R3 = (m2/2)·mean(d3).
 *
 * Everything is taken in first-layer space u = Ax + a (models/types.ts): ∇f = J A with J the head's
 * Jacobian in u, and E_r of the first two moments of A(r − x_i) are ū − u_i and G + (ū − u_i)(ū − u_i)ᵀ,
 * G the covariance of the pre-activations (preactStats.ts). Cost O(n·p·d) for the pre-activations plus
 * O(n·p²) (K = 1) — never a sum over pairs. ReLU units with σ' = 0 are skipped.
 */
export interface RowTerms {
  d1: Float64Array;
  d2: Float64Array;
  d3: Float64Array;
  /** f(x_i), n×K */
  scores: Float64Array;
}

export function taylorRowTerms(ds: Dataset, model: Model, family: Family): RowTerms {
  const { n, K } = ds;
  const p = firstLayerWidth(model);
  const U = preactivations(model, ds.X, n);
  const { mean, cov: G } = preactStats(U, n, p);
  const scores = new Float64Array(n * K);
  for (let i = 0; i < n; i++) headFromPreact(model, U, i * p, scores, i * K);
  const d1 = new Float64Array(n);
  const d2 = new Float64Array(n);
  const d3 = new Float64Array(n);
  const gf = new Float64Array(K); // h'(f) − y
  const Hf = new Float64Array(K * K); // h''(f)
  const dbar = new Float64Array(p); // ū − u_i
  const t = new Float64Array(K); // J (ū − u_i)
  const C = new Float64Array(K * K); // J G Jᵀ
  const two = model.kind === "relu2" ? model : null;
  const J = new Float64Array(K * p); // head Jacobian restricted to the active units (two-layer)
  const act = new Int32Array(p);
  const q = new Float64Array(p);
  const fns = two ? activationFns(two.activation) : null;
  const smooth = two !== null && two.activation !== "relu";
  for (let i = 0; i < n; i++) {
    const uo = i * p;
    lossDerivatives(family, scores, i * K, ds.y, i * K, K, gf, Hf);
    for (let r = 0; r < p; r++) dbar[r] = mean[r] - U[uo + r];
    if (two === null) {
      // linear: J = I, p = K
      for (let k = 0; k < K; k++) t[k] = dbar[k];
      C.set(G);
    } else {
      const { m, V } = two;
      let na = 0;
      for (let r = 0; r < m; r++) {
        const s = fns!.d1(U[uo + r]);
        if (s === 0) continue;
        act[na] = r;
        for (let k = 0; k < K; k++) J[k * p + na] = V[k * m + r] * s;
        na++;
      }
      for (let k = 0; k < K; k++) {
        let s = 0;
        for (let a = 0; a < na; a++) s += J[k * p + a] * dbar[act[a]];
        t[k] = s;
      }
      for (let k = 0; k < K; k++) {
        // q = G J_kᵀ on the active set, then C_kl = J_l · q
        for (let a = 0; a < na; a++) {
          const row = act[a] * p;
          let s = 0;
          for (let b = 0; b < na; b++) s += G[row + act[b]] * J[k * p + b];
          q[a] = s;
        }
        for (let l = k; l < K; l++) {
          let s = 0;
          for (let a = 0; a < na; a++) s += J[l * p + a] * q[a];
          C[k * K + l] = s;
          C[l * K + k] = s;
        }
      }
    }
    let s1 = 0;
    let s2 = 0;
    for (let k = 0; k < K; k++) {
      s1 += gf[k] * t[k];
      for (let l = 0; l < K; l++) s2 += Hf[k * K + l] * (C[l * K + k] + t[k] * t[l]);
    }
    d1[i] = s1;
    d2[i] = s2;
    if (smooth) {
      const { m, V } = two!;
      let s3 = 0;
      for (let r = 0; r < m; r++) {
        let w = 0;
        for (let k = 0; k < K; k++) w += gf[k] * V[k * m + r];
        s3 += w * fns!.d2(U[uo + r]) * (G[r * p + r] + dbar[r] * dbar[r]);
      }
      d3[i] = s3;
    }
  }
  return { d1, d2, d3, scores };
}

/** h'(f) − y into gf (K) and h''(f) into Hf (K×K) at scores z[zOff..), labels y[yOff..). */
export function lossDerivatives(
  family: Family,
  z: Float64Array,
  zOff: number,
  y: Float64Array,
  yOff: number,
  K: number,
  gf: Float64Array,
  Hf: Float64Array,
): void {
  if (family.vector) {
    family.dloss(z, zOff, K, y, yOff, gf, 0);
    family.h2(z, zOff, K, Hf, 0);
  } else {
    gf[0] = family.dloss(z[zOff], y[yOff]);
    Hf[0] = family.h2(z[zOff]);
  }
}
