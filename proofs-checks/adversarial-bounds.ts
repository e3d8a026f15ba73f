/**
 * adversarial-bounds (docs/theory.md §3.3–§3.5 and §3.10, exact): for linear models FGSM attains the exact ℓ∞ worst case
 * max(l(z − ε‖θ‖₁), l(z + ε‖θ‖₁)) (equality to 1e-12, so an attack that does nothing fails); the ℓ2 ball of
 * radius ε√d contains the ℓ∞ ball of radius ε, so exact ℓ∞ ≤ exact ℓ2; L̃_adv lies below L_adv when every
 * margin s_iθᵀx_i ≥ ε√d‖θ‖₂ and above it for large radii (it is not a bound either way); for nets, the PGD
 * loss (a lower bound) never exceeds the certified interval bound.
 */
import { center, makeDataset } from "../src/core/dataset.js";
import type { Rng } from "../src/core/rng.js";
import { family as familyOf } from "../src/losses/index.js";
import type { LossName } from "../src/losses/types.js";
import { linearModel, predict } from "../src/models/index.js";
import { attack, certifiedUpperBound, exactAdversarialLoss, fgsm, robustLoss } from "../src/robustness/index.js";
import { secondOrderAdversarialLoss, secondOrderCoefficients } from "../src/robustness/secondOrder.js";
import type { Check, CheckOptions } from "../src/verify/types.js";
import { logUniform, normals, randomModel } from "./instances.js";
import { outcome, r6 } from "./util.js";

/** FGSM and the closed form evaluate the same worst-case score up to rounding of the step: 1e-12 relative. */
const REL = 1e-12;

/** A centered linear problem with labels by sign (logistic) or a noisy teacher (squared). */
function linearInstance(rng: Rng, loss: LossName) {
  const n = 6 + rng.int(10);
  const d = 1 + rng.int(5);
  const X = center(makeDataset(normals(rng, n * d), new Float64Array(n), n, d)).X;
  const model = linearModel({ theta: normals(rng, d, logUniform(rng, 0.2, 3)), loss });
  const z = predict(model, X, n);
  const y = loss === "logistic" ? z.map((v) => (v > 0 ? 1 : 0)) : z.map((v) => v + 0.5 * rng.normal());
  return { ds: makeDataset(X, y, n, d), model, family: familyOf(loss) };
}

function study(rng: Rng, opts: CheckOptions, wrongDual: boolean) {
  const count = opts.quick ? 30 : 200;
  const margins: number[] = [];
  const rows: Array<Record<string, unknown>> = [];
  let worstFgsm = 0;
  let worstNest = Infinity;
  let below = 0;
  let above = 0;
  for (let k = 0; k < count; k++) {
    const loss: LossName = k % 2 === 0 ? "logistic" : "squared";
    const { ds, model, family } = linearInstance(rng, loss);
    const eps = logUniform(rng, 0.01, 1);
    // the claim: FGSM's loss equals the exact ℓ∞ worst case; the control computes the "exact" value with the
    // ℓ2 norm of θ in place of its ℓ1 dual (radius ε in ℓ2), which FGSM then exceeds
    const exactInf = wrongDual ? exactAdversarialLoss(ds, model, family, eps / Math.sqrt(ds.d), "2") : exactAdversarialLoss(ds, model, family, eps, "inf");
    const fg = robustLoss(ds, model, family, fgsm(ds, model, family, eps, "inf"));
    const exact2 = exactAdversarialLoss(ds, model, family, eps, "2");
    if (exactInf.value === null || fg.value === null || exact2.value === null) {
      margins.push(-1);
      continue;
    }
    const rel = Math.abs(fg.value - exactInf.value) / Math.abs(exactInf.value);
    worstFgsm = Math.max(worstFgsm, rel);
    const nest = (exact2.value - exactInf.value) / Math.abs(exact2.value);
    worstNest = Math.min(worstNest, nest);
    let m = Math.min(1 - rel / REL, nest >= -REL ? 1 : -1);
    if (loss === "logistic" && !wrongDual) {
      // L̃_adv ≤ L_adv at a radius below every margin; L̃_adv > L_adv at a large radius
      const th = model.theta;
      const nrm = Math.sqrt(th.reduce((s, v) => s + v * v, 0));
      const z = predict(model, ds.X, ds.n);
      let minMargin = Infinity;
      for (let i = 0; i < ds.n; i++) minMargin = Math.min(minMargin, (2 * ds.y[i] - 1) * z[i]);
      const small = (0.9 * minMargin) / (Math.sqrt(ds.d) * nrm);
      if (small > 0) {
        const lo = secondOrderAdversarialLoss(ds, model, family, small) <= exactAdversarialLoss(ds, model, family, small, "2").value! * (1 + REL);
        if (lo) below++;
        else m = Math.min(m, -1);
      }
      // large: past the root of b·ε² + (a − √d‖θ‖)·ε = log 2, where L̃_adv exceeds log 2 + ε√d‖θ‖ ≥ L_adv(ε)
      const { a, b } = secondOrderCoefficients(ds, model, family);
      const c = Math.sqrt(ds.d) * nrm;
      const big = 1.5 * ((c - a + Math.sqrt((a - c) ** 2 + 4 * b * Math.LN2)) / (2 * b));
      const hi = secondOrderAdversarialLoss(ds, model, family, big) > exactAdversarialLoss(ds, model, family, big, "2").value!;
      if (hi) above++;
      else m = Math.min(m, -1);
    }
    margins.push(m);
    if (k < 10) rows.push({ loss, n: ds.n, d: ds.d, eps: r6(eps), fgsm: fg.value, exactInf: exactInf.value, exact2: exact2.value });
  }
  // nets: PGD (lower bound) ≤ certified interval bound (upper), ℓ∞ and ℓ2
  const nets = opts.quick ? 6 : 30;
  let worstGap = Infinity;
  for (let k = 0; k < nets && !wrongDual; k++) {
    const d = 1 + rng.int(4);
    const n = 5 + rng.int(6);
    const ds = makeDataset(normals(rng, n * d), Float64Array.from({ length: n }, () => rng.int(2)), n, d);
    const kinds = ["relu", "relu-bias", "softplus", "tanh"] as const;
    const model = randomModel(rng, kinds[k % 4], d, "logistic", 1, 1, 6);
    const family = familyOf("logistic");
    for (const norm of ["inf", "2"] as const) {
      const eps = logUniform(rng, 0.01, 0.5);
      const lower = robustLoss(ds, model, family, attack(ds, model, family, eps, { attack: "pgd", norm, rng: rng.fork(k) })).value!;
      const upper = certifiedUpperBound(ds, model, family, eps, norm).value!;
      const gap = (upper - lower) / Math.abs(upper);
      worstGap = Math.min(worstGap, gap);
      margins.push(Math.min(1, gap));
    }
  }
  return outcome(margins, {
    worstFgsmRelativeGap: r6(worstFgsm),
    worstNesting: r6(worstNest),
    secondOrderBelowAtSmallRadius: below,
    secondOrderAboveAtLargeRadius: above,
    worstCertifiedMinusPgd: Number.isFinite(worstGap) ? r6(worstGap) : null,
    examples: rows,
  });
}

export const adversarialBounds: Check = {
  id: "adversarial-bounds",
  tag: "exact",
  statement:
    "Linear models: FGSM attains the exact ℓ∞ worst case max(l(z ± ε‖θ‖₁)) to 1e-12; exact ℓ∞ ≤ exact ℓ2 at radius ε√d; L̃_adv ≤ L_adv when every margin exceeds ε√d‖θ‖₂ and L̃_adv > L_adv at large radii (neither bounds the other); nets: PGD loss ≤ certified interval bound (ℓ∞ and ℓ2).",
  control: "the exact ℓ∞ value computed with the wrong dual norm (‖θ‖₂ in place of ‖θ‖₁) must disagree with FGSM",
  run: (rng, opts) => study(rng, opts, false),
  negativeControl: (rng, opts) => study(rng, opts, true),
};
