import type { Dataset } from "../core/dataset.js";
import { Neumaier } from "../core/sum.js";
import type { Family } from "../losses/types.js";
import { firstLayerWidth, headFromPreact, outputs, preactivations } from "../models/index.js";
import type { Model } from "../models/types.js";

/**
 * The Mixup loss with one fixed rule Σ_k w_k g(λ_k) ≈ E_{Beta(α,β)} g for every pair: no splitting,
 * no adaptivity, no error estimate. For convergence studies (how the error of an N-node Gauss–Jacobi
 * rule falls with N, and how a plain Gauss–Legendre rule times the Beta density fails to converge
 * when α < 1), never for reported values.
 */
export function fixedRuleMixupLoss(
  ds: Dataset,
  model: Model,
  family: Family,
  nodes: ArrayLike<number>,
  weights: ArrayLike<number>,
): number {
  const { n } = ds;
  const p = firstLayerWidth(model);
  const K = outputs(model);
  const U = preactivations(model, ds.X, n);
  const u = new Float64Array(p);
  const z = new Float64Array(K);
  const yv = new Float64Array(K);
  const Y = ds.y;
  const acc = new Neumaier();
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < nodes.length; k++) {
        const lam = nodes[k];
        for (let r = 0; r < p; r++) u[r] = U[j * p + r] + lam * (U[i * p + r] - U[j * p + r]);
        headFromPreact(model, u, 0, z, 0);
        let l: number;
        if (family.vector) {
          for (let q = 0; q < K; q++) yv[q] = Y[j * K + q] + lam * (Y[i * K + q] - Y[j * K + q]);
          l = family.loss(z, 0, K, yv, 0);
        } else l = family.loss(z[0], Y[j] + lam * (Y[i] - Y[j]));
        s += weights[k] * l;
      }
      acc.add(s);
    }
  }
  return acc.value / (n * n);
}
