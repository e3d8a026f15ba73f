import type { Dataset } from "../core/dataset.js";
import { Neumaier } from "../core/sum.js";
import type { Family, ScalarFamily } from "../losses/types.js";
import { activationFns, firstLayerWidth, headFromPreact, preactivations } from "../models/index.js";
import type { Model, TwoLayerModel } from "../models/types.js";
import { lossDerivatives } from "./lossDerivatives.js";
import { preactStats } from "./preactStats.js";
import { syrkUpper } from "../core/gemm.js";

/**
 * Sums over rows of the ingredients of Lemma 3.1 (paper.md §3), before the D̃ moments: with
 * g_i(a) = l(θ, x_i + a(r − x_i), y_i) and r uniform over the rows,
 *   S1 = Σ_i E_r g_i'(0)  = Σ_i (h'(f_i) − y_i)ᵀ ∇f_i (x̄ − x_i)
 *   S2 = Σ_i E_r[(r − x_i)ᵀ ∇f_iᵀ h''(f_i) ∇f_i (r − x_i)]          (the R2 part of E_r g_i''(0))
 *   S3 = Σ_i E_r[Σ_k (h'(f_i) − y_i)_k (r − x_i)ᵀ ∇²f_ik (r − x_i)]   (the R3 part)
 * so R1 = m1·S1/n, R2 = (m2/2)·S2/n, R3 = (m2/2)·S3/n.
 *
 * Everything is taken in first-layer space u = Ax + a (models/types.ts): ∇f = J A with J the head's
 * Jacobian in u, and the first two moments of A(r − x_i) over r are ū − u_i and G + (ū − u_i)(ū − u_i)ᵀ,
 * G the covariance of the pre-activations (preactStats.ts). Never a sum over pairs.
 * Cost: O(n·p·d) for the pre-activations, then for a two-layer net with one output the weighted Gram
 * matrix M = Σ_i h''(f_i) c_i c_iᵀ (c_i = v ⊙ σ'(u_i)) in O(n·m²/2) and S2's covariance part as tr(G M);
 * for K outputs, O(K·m²) per row.
 */
export interface TaylorSums {
  S1: number;
  S2: number;
  S3: number;
  /** f(x_i), n×K */
  scores: Float64Array;
}

export function taylorSums(ds: Dataset, model: Model, family: Family): TaylorSums {
  const p = firstLayerWidth(model);
  const U = preactivations(model, ds.X, ds.n);
  const { mean, cov } = preactStats(U, ds.n, p);
  if (model.kind === "relu2" && model.K === 1 && !family.vector) return scalarNetSums(ds, model, family, U, mean, cov);
  return perRowSums(ds, model, family, U, mean, cov);
}

/** Two-layer net with one output and a scalar family: M = Σ h''_i c_i c_iᵀ once, S2 = tr(G M) + Σ h''_i (c_iᵀΔ̄_i)². */
function scalarNetSums(
  ds: Dataset,
  model: TwoLayerModel,
  family: ScalarFamily,
  U: Float64Array,
  mean: Float64Array,
  G: Float64Array,
): TaylorSums {
  const { n } = ds;
  const { m, V } = model;
  const fns = activationFns(model.activation);
  const smooth = model.activation !== "relu";
  const scores = new Float64Array(n);
  const C = new Float64Array(n * m);
  const w = new Float64Array(n);
  const s1 = new Neumaier();
  const q2 = new Neumaier();
  const s3 = new Neumaier();
  for (let i = 0; i < n; i++) {
    const o = i * m;
    headFromPreact(model, U, o, scores, i);
    const f = scores[i];
    const gf = family.dloss(f, ds.y[i]);
    const hf = family.h2(f);
    w[i] = hf;
    let t = 0; // c_iᵀ Δ̄_i = ∇f_iᵀ(x̄ − x_i)
    let r3 = 0;
    for (let r = 0; r < m; r++) {
      const u = U[o + r];
      const c = V[r] * fns.d1(u);
      C[o + r] = c;
      const db = mean[r] - u;
      t += c * db;
      if (smooth) r3 += V[r] * fns.d2(u) * (G[r * m + r] + db * db);
    }
    s1.add(gf * t);
    q2.add(hf * t * t);
    if (smooth) s3.add(gf * r3);
  }
  const M = syrkUpper(C, n, m, new Float64Array(m * m), w);
  const tr = new Neumaier();
  for (let k = 0; k < m * m; k++) tr.add(G[k] * M[k]);
  return { S1: s1.value, S2: tr.value + q2.value, S3: s3.value, scores };
}

/** Any model and family, row by row: C_i = J_i G J_iᵀ (K×K) restricted to the active units. */
function perRowSums(ds: Dataset, model: Model, family: Family, U: Float64Array, mean: Float64Array, G: Float64Array): TaylorSums {
  const { n, K } = ds;
  const p = firstLayerWidth(model);
  const scores = new Float64Array(n * K);
  for (let i = 0; i < n; i++) headFromPreact(model, U, i * p, scores, i * K);
  const s1 = new Neumaier();
  const s2 = new Neumaier();
  const s3 = new Neumaier();
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
    let a1 = 0;
    let a2 = 0;
    for (let k = 0; k < K; k++) {
      a1 += gf[k] * t[k];
      for (let l = 0; l < K; l++) a2 += Hf[k * K + l] * (C[l * K + k] + t[k] * t[l]);
    }
    s1.add(a1);
    s2.add(a2);
    if (smooth) {
      const { m, V } = two!;
      let a3 = 0;
      for (let r = 0; r < m; r++) {
        let om = 0;
        for (let k = 0; k < K; k++) om += gf[k] * V[k * m + r];
        a3 += om * fns!.d2(U[uo + r]) * (G[r * p + r] + dbar[r] * dbar[r]);
      }
      s3.add(a3);
    }
  }
  return { S1: s1.value, S2: s2.value, S3: s3.value, scores };
}
