/**
 * lemma-3.1-identity (docs/theory.md §3.1, exact): R1, R2, R3 in the covariance form of the library (first-layer
 * covariance G = A Σ_c Aᵀ, O(n·p²)) equal the plain double sum over all n² pairs of the second-order
 * expansion of l(θ, x_i + (1−λ)(x_j − x_i), y_i) in input space (the model's own ∇ₓf, ∇²ₓf), weighted by
 * the D̃ moments m1, m2: for every family and model kind, to 1e-12 relative to the sum of |pair terms|.
 */
import type { Rng } from "../src/core/rng.js";
import { family as familyOf, LOSS_NAMES } from "../src/losses/index.js";
import { betaMoment } from "../src/mixing/beta.js";
import { m1 as m1Of, m2 as m2Of } from "../src/mixing/dtilde.js";
import { taylorTermsPairwise, taylorTermsWithMoments } from "../src/taylor/index.js";
import type { Check, CheckOptions } from "../src/verify/types.js";
import { logUniform, MODEL_KINDS, randomDataset, randomModel } from "./instances.js";
import { outcome, r6 } from "./util.js";

/** Both sides are sums of n² terms of size ≤ abs: rounding is ~n²·ε·abs ≈ 1e-14·abs at n ≤ 8. */
const REL = 1e-12;

function compare(rng: Rng, opts: CheckOptions, moments: "dtilde" | "beta") {
  const n = opts.quick ? 6 : 8;
  const reps = opts.quick ? 1 : 2;
  const margins: number[] = [];
  const rows: unknown[] = [];
  for (const loss of LOSS_NAMES) {
    for (const kind of MODEL_KINDS) {
      for (let r = 0; r < reps; r++) {
        const K = loss === "softmax" ? 3 : 1;
        const soft = (loss === "softmax" || loss === "logistic") && r === 1;
        const ds = randomDataset(rng, n, 3, loss, K, soft);
        const model = randomModel(rng, kind, 3, loss, K, loss === "poisson" ? 0.5 : 1);
        const family = familyOf(loss);
        const alpha = logUniform(rng, 0.05, 50);
        const beta = logUniform(rng, 0.05, 50);
        const m1 = m1Of(alpha, beta);
        const m2 = m2Of(alpha, beta);
        const pw = taylorTermsPairwise(ds, model, family, m1, m2);
        // the control feeds the covariance form the Beta(α, β) moments of 1 − λ instead of the D̃ ones
        const c1 = moments === "dtilde" ? m1 : betaMoment(beta, alpha, 1);
        const c2 = moments === "dtilde" ? m2 : betaMoment(beta, alpha, 2);
        const cov = taylorTermsWithMoments(ds, model, family, c1, c2);
        const e1 = Math.abs(cov.R1 - pw.R1) / (REL * m1 * pw.abs1);
        const e2 = Math.abs(cov.R2 - pw.R2) / (REL * (m2 / 2) * pw.abs2);
        const e3 = pw.abs3 === 0 ? (cov.R3 === 0 ? 0 : Infinity) : Math.abs(cov.R3 - pw.R3) / (REL * (m2 / 2) * pw.abs3);
        const worst = Math.max(e1, e2, e3);
        margins.push(1 - worst);
        rows.push({
          instance: `${loss}/${kind}${soft ? " (soft labels)" : ""}`,
          alpha: r6(alpha),
          beta: r6(beta),
          R1: cov.R1,
          R2: cov.R2,
          R3: cov.R3,
          pairwise: { R1: pw.R1, R2: pw.R2, R3: pw.R3 },
          errorInUnitsOfTolerance: r6(worst),
        });
      }
    }
  }
  return outcome(margins, { tolerance: REL, moments, instances: rows });
}

export const lemma31Identity: Check = {
  id: "lemma-3.1-identity",
  tag: "exact",
  statement:
    "R1, R2, R3 in covariance form (x̄ − x_i and Σ_c + (x̄ − x_i)(x̄ − x_i)ᵀ, via the first-layer covariance) equal the double sum over all n² pairs of the second-order expansion with the D̃ moments m1, m2, to 1e-12 relative, for every loss family and every model (linear ± bias; relu, softplus, tanh nets ± biases; softmax with K = 3, hard and soft labels).",
  control: "the covariance form with the Beta(α, β) moments E[1−λ], E[(1−λ)²] in place of the D̃ ones must miss",
  run: (rng, opts) => compare(rng, opts, "dtilde"),
  negativeControl: (rng, opts) => compare(rng, opts, "beta"),
};
