/**
 * rewrite-identity (docs/theory.md §2.5, exact): because l is affine in y, the Mixup loss equals its
 * label-free form L_mix = (1/n²) Σ_{i,j} E_{λ~D̃} l(θ, λx_i + (1−λ)x_j, y_i), D̃ = α/(α+β)·Beta(α+1,β)
 * + β/(α+β)·Beta(β+1,α). Both sides are computed independently (their own Gauss–Jacobi nodes) and
 * must agree within the sum of their error estimates.
 */
import { EPS } from "../src/core/constants.js";
import type { Rng } from "../src/core/rng.js";
import { exactMixupLoss } from "../src/mixup/index.js";
import type { Check, CheckOptions } from "../src/verify/types.js";
import { COMBOS, randomInstance } from "./instances.js";
import { referenceMixupLoss } from "./oracles/reference.js";
import { outcome, r6, step } from "./util.js";

/**
 * The right side by the rewrite under test: "label-free" is the exact label-free form (own nodes);
 * "naive" is the deliberately wrong rewrite, Beta(α, β) in place of D̃ with the label of the pair's first
 * row, by the reference oracle (the negative control).
 */
async function compare(rng: Rng, opts: CheckOptions, rewrite: "label-free" | "naive") {
  const reps = opts.quick ? 1 : 3;
  const n = opts.quick ? 5 : 8;
  const margins: number[] = [];
  const rows: unknown[] = [];
  for (const combo of COMBOS) {
    for (let r = 0; r < reps; r++) {
      await step(opts, "instances", rows.length, COMBOS.length * reps);
      const inst = randomInstance(rng, combo, n, 3);
      const a = exactMixupLoss(inst.ds, inst.model, inst.family, inst.alpha, inst.beta, { tol: 1e-10 });
      const b =
        rewrite === "label-free"
          ? exactMixupLoss(inst.ds, inst.model, inst.family, inst.alpha, inst.beta, { tol: 1e-10, form: rewrite })
          : referenceMixupLoss(inst.ds, inst.model, inst.family, inst.alpha, inst.beta, { relTol: 1e-12, label: "first" });
      const diff = Math.abs(a.value - b.value);
      const allowed = Math.max(a.errorEstimate + b.errorEstimate, 8 * EPS * a.meanAbsLoss);
      margins.push((allowed - diff) / allowed);
      rows.push({ instance: inst.name, alpha: r6(inst.alpha), beta: r6(inst.beta), mixup: a.value, rewrite: b.value, diff, allowed });
    }
  }
  return { margins, rows };
}

export const rewriteIdentity: Check = {
  id: "rewrite-identity",
  tag: "exact",
  statement:
    "L_mix computed with mixed labels under Beta(α, β) equals the label-free form under D̃ = α/(α+β)·Beta(α+1,β) + β/(α+β)·Beta(β+1,α), within the two quadratures' error estimates, for every loss family and model kind and α, β in [0.05, 50].",
  control: "the naive rewrite with Beta(α, β) in place of D̃ (labels of one end) must disagree",
  async run(rng, opts) {
    const { margins, rows } = await compare(rng, opts, "label-free");
    return outcome(margins, { instances: rows, summary: `largest |difference|/allowed ${r6(1 - Math.min(...margins))}` });
  },
  async negativeControl(rng, opts) {
    const { margins, rows } = await compare(rng, opts, "naive");
    return outcome(margins, { instances: rows });
  },
};
