/**
 * theorem-3.2 (docs/theory.md §3.8, reconstructed; the inequality is exact): for two-layer ReLU nets without
 * biases (f(x) = ∇f(x)ᵀx) on centered data with the net in Θ_NN,
 *   L_std + R1 + R2 ≥ L̃_adv(ε_mix) + L_reg,  ε_mix = R·c_x·m1,  R = min_i |cos(∇f(x_i), x_i)|,
 * L_reg with ∇f_iᵀΣ̂_X∇f_i. Biases break the homogeneity the proof uses: the negative control.
 */
import type { Rng } from "../src/core/rng.js";
import type { Check, CheckOptions } from "../src/verify/types.js";
import { controlOutcome, evaluate, relMargin, reluInstance, type Violations } from "./theorem-instances.js";
import { outcome, r6 } from "./util.js";

export const theorem32: Check = {
  id: "theorem-3.2",
  tag: "reconstructed",
  statement:
    "Two-layer ReLU nets without biases, centered data, the net in Θ_NN: L_std + R1 + R2 ≥ L̃_adv(ε_mix) + L_reg with ∇f(x_i) in place of θ, on random instances (n 8–20, d 1–5, m 2–8, α, β in [0.05, 50]).",
  control: "the same nets with biases (homogeneity lost; labels re-derived so θ ∈ Θ still holds) must produce violations",
  run(rng: Rng, opts: CheckOptions) {
    const count = opts.quick ? 150 : 1500;
    const margins: number[] = [];
    const ratios: number[] = [];
    for (let k = 0; k < count; k++) {
      const r = evaluate(reluInstance(rng));
      const ok = r.assumptions.centered && r.assumptions.inTheta.holds && r.assumptions.homogeneous;
      margins.push(ok ? relMargin(r) : -1);
      if (r.ratio !== null) ratios.push(r.ratio);
    }
    ratios.sort((a, b) => a - b);
    return outcome(
      margins,
      { smallestRelativeMargin: r6(Math.min(...margins)), ratio: { median: r6(ratios[ratios.length >> 1]), max: r6(ratios[ratios.length - 1]) } },
      [`ε_mix/ε* on random bias-free ReLU nets: median ${r6(ratios[ratios.length >> 1])}, max ${r6(ratios[ratios.length - 1])}.`],
    );
  },
  negativeControl(rng: Rng, opts: CheckOptions) {
    const count = opts.quick ? 150 : 1500;
    const v: Violations = { variant: "biases added (scale 1)", instances: 0, violations: 0, worstRelMargin: Infinity };
    for (let k = 0; k < count; k++) {
      const r = evaluate(reluInstance(rng, 1));
      v.instances++;
      if (!r.holds) v.violations++;
      v.worstRelMargin = Math.min(v.worstRelMargin, relMargin(r));
    }
    return controlOutcome([v]);
  },
};
