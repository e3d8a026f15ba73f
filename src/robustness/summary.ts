import type { Dataset } from "../core/dataset.js";
import type { Rng } from "../core/rng.js";
import type { Family } from "../losses/types.js";
import type { Model } from "../models/types.js";
import { inThetaReport, type InThetaReport } from "./assumptions.js";
import { attack } from "./attacks.js";
import { certifiedUpperBound } from "./certified.js";
import { exactAdversarialLoss } from "./exactAdversarial.js";
import { robustLoss } from "./robustMetrics.js";
import { theoremInequality, unmetAssumptions } from "./theorem.js";
import type { TaylorTerms } from "../taylor/terms.js";

/**
 * Section 3's quantities for one data set and model at ε = ε_mix (docs/theory.md §3): the `adversarial` block of
 * `mixup-theory loss --json`. `secondOrder` = L̃_adv(ε_mix) and `exact` = L_adv(ε_mix), both in ℓ2 (radius
 * ε_mix·√d); for nets `exact` is null and `upper` (certified, interval bounds) and `lower` (PGD) stand
 * beside it. `warnings` lists every assumption of Theorems 3.1/3.2 the input does not meet.
 */
export interface AdversarialSummary {
  R: number;
  cx: number;
  m1: number;
  epsMix: number;
  radius: { l2: number; linf: number };
  /** the count and the first 20 violating rows; null (with inThetaReason) when the labels are not in {0, 1} */
  inTheta: InThetaReport | null;
  inThetaReason?: string;
  centered: boolean;
  secondOrder: number;
  exact: number | null;
  exactReason?: string;
  upper?: number | null;
  upperReason?: string;
  lower?: number | null;
  lowerReason?: string;
  regularizer: number;
  tightestEps: number | null;
  tightestEpsReason?: string;
  ratio: number | null;
  ratioReason?: string;
  warnings: string[];
}

/** Why the block does not exist for this model (softmax: attacks only), or null. */
export function adversarialUnavailable(model: Model, family: Family): string | null {
  if (family.vector || model.K !== 1) {
    return "Section 3's bounds are for one scalar output; for softmax use `mixup-theory robust` (attacks)";
  }
  return null;
}

export function adversarialSummary(
  ds: Dataset,
  model: Model,
  family: Family,
  alpha: number,
  beta: number,
  rng: Rng,
  terms?: TaylorTerms,
): AdversarialSummary {
  const t = theoremInequality(ds, model, family, alpha, beta, terms);
  const eps = t.epsMix;
  const a = t.assumptions;
  const warnings = unmetAssumptions(model, family, a).map((u) => u.warning);
  const l2 = eps * Math.sqrt(ds.d);
  const out: AdversarialSummary = {
    R: t.R,
    cx: a.cx,
    m1: t.m1,
    epsMix: eps,
    radius: { l2, linf: eps },
    inTheta: a.binaryLabels ? inThetaReport(a.inTheta) : null,
    ...(a.binaryLabels ? {} : { inThetaReason: "labels are not in {0, 1}" }),
    centered: a.centered,
    secondOrder: t.secondOrder,
    exact: null,
    regularizer: t.Lreg,
    tightestEps: t.tightestEps.value,
    ...(t.tightestEps.reason ? { tightestEpsReason: t.tightestEps.reason } : {}),
    ratio: t.ratio,
    ...(t.ratioReason === undefined ? {} : { ratioReason: t.ratioReason }),
    warnings,
  };
  // ε_mix ≤ max|x|/2 is finite, but its ℓ2 radius ε_mix·√d can overflow for data near 1.8e308: then the
  // adversarial losses at that radius are undefined, not an error about an option (the user gave no ε)
  if (!(Number.isFinite(eps) && Number.isFinite(l2))) {
    const why = `the ℓ2 radius ε_mix·√d = ${eps}·√${ds.d} is beyond float64`;
    out.exactReason = why;
    if (model.kind === "relu2") Object.assign(out, { upper: null, upperReason: why, lower: null, lowerReason: why });
    return out;
  }
  const ex = exactAdversarialLoss(ds, model, family, eps, "2");
  out.exact = ex.value;
  if (ex.value === null) out.exactReason = ex.reason;
  if (model.kind === "relu2") {
    const up = certifiedUpperBound(ds, model, family, eps, "2");
    out.upper = up.value;
    if (up.value === null) out.upperReason = up.reason;
    const lo = robustLoss(ds, model, family, attack(ds, model, family, eps, { attack: "pgd", norm: "2", rng }));
    out.lower = lo.value;
    if (lo.value === null) out.lowerReason = lo.reason;
  }
  return out;
}
