import type { Dataset } from "../core/dataset.js";
import { Neumaier } from "../core/sum.js";
import type { Family } from "../losses/types.js";
import { MixedLoss } from "./mixedLoss.js";
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
  const loss = new MixedLoss(ds, model, family);
  const acc = new Neumaier();
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < nodes.length; k++) s += weights[k] * loss.at(i, j, nodes[k], nodes[k]);
      acc.add(s);
    }
  }
  return acc.value / (n * n);
}
