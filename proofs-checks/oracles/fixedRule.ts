import type { Dataset } from "../../src/core/dataset.js";
import { Neumaier } from "../../src/core/sum.js";
import type { Family } from "../../src/losses/types.js";
import { MixedLoss } from "../../src/mixup/mixedLoss.js";
import type { Model } from "../../src/models/types.js";

/**
 * The Mixup loss with one fixed rule Σ_k w_k g(λ_k) ≈ E_{Beta(α,β)} g for every pair: no splitting,
 * no adaptivity, no error estimate. For convergence studies (how the error of an N-node Gauss–Jacobi
 * rule falls with N, and how a plain Gauss–Legendre rule times the Beta density fails to converge
 * when α < 1), and for the α → ∞ limit (the single node 1/2); never for reported values. A test oracle: it
 * lives with the checks, not in the library.
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
