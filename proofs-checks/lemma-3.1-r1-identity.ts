/**
 * lemma-3.1-r1-identity (docs/theory.md §3.1, exact): on centered data (x̄ = 0) R1 = −(m1/n) Σ (h'(f_i) − y_i)
 * ∇f_iᵀx_i, and ∇f_iᵀx_i = f_i for a model positively homogeneous in x. Since f is 1-homogeneous in θ for a
 * linear model without bias and 2-homogeneous in all parameters p for a bias-free ReLU net,
 *   R1 = −m1·θᵀ∇_θL_std (linear),   R1 = −(m1/2)·pᵀ∇_pL_std (bias-free ReLU),
 * the step that turns R1 into the ε-linear term of Theorems 3.1 and 3.2.
 */
import { center } from "../src/core/dataset.js";
import type { Rng } from "../src/core/rng.js";
import { LOSS_NAMES } from "../src/losses/index.js";
import { lemma31R1Identity as r1Claim } from "../src/claims/more.js";
import type { Check, CheckOptions } from "../src/verify/types.js";
import { logUniform, randomDataset, randomModel } from "./instances.js";
import { outcome, r6 } from "./util.js";
import { makeDataset } from "../src/core/dataset.js";

/** Both sides are O(n·P) sums of products; 1e-12 of Σ|p_k·g_k| is ~100× their rounding at n ≤ 20. */
const REL = 1e-12;

function study(rng: Rng, opts: CheckOptions, centered: boolean) {
  const n = opts.quick ? 10 : 20;
  const reps = opts.quick ? 1 : 3;
  const margins: number[] = [];
  const rows: unknown[] = [];
  for (const kind of ["linear", "relu"] as const) {
    for (const loss of LOSS_NAMES) {
      for (let r = 0; r < reps; r++) {
        const K = loss === "softmax" ? 3 : 1;
        const raw = randomDataset(rng, n, 3, loss, K);
        const model = randomModel(rng, kind, 3, loss, K, loss === "poisson" ? 0.5 : 1, 6);
        // the control shifts the centered data by a random vector of length ~1
        const shift = centered ? [0, 0, 0] : [rng.normal(), rng.normal(), rng.normal()];
        const c = center(raw);
        const ds = centered ? c : makeDataset(c.X.map((v, k) => v + shift[k % 3]), c.y, c.n, c.d, c.K);
        const alpha = logUniform(rng, 0.1, 10);
        const beta = logUniform(rng, 0.1, 10);
        // the claim computes both sides (src/claims/more.ts); off center it still gives the margin
        const res = r1Claim(ds, model, { alpha, beta });
        margins.push(res.margin);
        rows.push({ instance: `${loss}/${kind}`, centered, R1: res.details.R1, rhs: res.details.rhs, errorInUnitsOfTolerance: r6(1 - res.margin) });
      }
    }
  }
  return outcome(margins, { tolerance: REL, instances: rows });
}

export const lemma31R1Identity: Check = {
  id: "lemma-3.1-r1-identity",
  tag: "exact",
  statement:
    "On centered data R1 = −m1·θᵀ∇_θL_std for linear models without bias and R1 = −(m1/2)·pᵀ∇_pL_std for bias-free ReLU nets (p all parameters), to 1e-12 relative, for every loss family.",
  control: "the same data shifted off center must break the identity",
  run: (rng, opts) => study(rng, opts, true),
  negativeControl: (rng, opts) => study(rng, opts, false),
};
