import type { Dataset } from "../core/dataset.js";
import type { Family } from "../losses/types.js";
import { isHomogeneous } from "../models/index.js";
import type { Model } from "../models/types.js";
import { taylorTerms, type TaylorTerms } from "../taylor/terms.js";
import { cx, inTheta, inThetaReport, isCentered, Rcos, wrongSideText, type InTheta } from "./assumptions.js";
import { regularizerLreg, secondOrderCoefficients } from "./secondOrder.js";
import { epsRatio, tightestFromQuadratic, type TightestEps } from "./tightest.js";

/**
 * Theorems 3.1 (logistic regression) and 3.2 (ReLU nets without bias), docs/theory.md §3.7–§3.8 (reconstructed;
 * the inequality is exact): under (a) centered data, (b) c_x > 0 and (c) θ ∈ Θ,
 *   L_std + R1 + R2  ≥  L̃_adv(ε_mix) + L_reg,   ε_mix = R·c_x·m1,
 * and L_mix = that core + R3 (= 0 here) + the Lemma 3.1 remainder. Every number is reported whether or not
 * the assumptions hold: the verdict is data, not an error.
 */
export interface TheoremResult {
  assumptions: {
    centered: boolean;
    cx: number;
    inTheta: InTheta;
    /** Theorem 3.2's extra assumption: f(x) = ∇f(x)ᵀx (no biases) */
    homogeneous: boolean;
    /** labels all in {0, 1} */
    binaryLabels: boolean;
  };
  R: number;
  m1: number;
  epsMix: number;
  /** L_std + R1 + R2 */
  core: number;
  standardLoss: number;
  R1: number;
  R2: number;
  /** L̃_adv(ε_mix) */
  secondOrder: number;
  Lreg: number;
  /** L̃_adv(ε_mix) + L_reg */
  rhs: number;
  /** core − rhs */
  margin: number;
  holds: boolean;
  tightestEps: TightestEps;
  /** ε_mix/ε*, null (with ratioReason) when ε* is null or 0, or the ratio is not finite */
  ratio: number | null;
  ratioReason?: string;
}

/** Which assumption of Theorems 3.1/3.2 an input misses, and the sentence `loss` and `theorem` both print. */
export interface UnmetAssumption {
  /** the key of `theorem --json`'s assumptions (centered, cx, inTheta, noBias, homogeneous), or labels/loss/activation */
  key: "centered" | "cx" | "inTheta" | "labels" | "loss" | "noBias" | "activation" | "homogeneous";
  warning: string;
}

/**
 * Every assumption of Theorems 3.1/3.2 that the input does not meet, in report order, worded once for
 * `loss` (its adversarial warnings) and `theorem` (its assumptions): (a) centered data, (b) c_x > 0,
 * (c) labels in {0, 1} and θ ∈ Θ, the logistic loss, and the model the theorem is stated for, f = θᵀx
 * without bias (3.1, docs/theory.md §3.7) or a ReLU net without biases (3.2).
 */
export function unmetAssumptions(model: Model, family: Family, a: TheoremResult["assumptions"]): UnmetAssumption[] {
  const out: UnmetAssumption[] = [];
  if (!a.centered) out.push({ key: "centered", warning: "data are not centered (assumption (a)); `theorem --center` centers them" });
  if (!(a.cx > 0)) out.push({ key: "cx", warning: "c_x = 0: a data row is the zero vector (assumption (b)), so ε_mix = 0" });
  if (!a.binaryLabels) out.push({ key: "labels", warning: "labels are not in {0, 1}: Θ (assumption (c)) is undefined" });
  else if (!a.inTheta.holds) {
    out.push({ key: "inTheta", warning: `θ ∉ Θ (assumption (c)): ${wrongSideText(inThetaReport(a.inTheta))}` });
  }
  if (family.name !== "logistic") out.push({ key: "loss", warning: `Theorems 3.1 and 3.2 are about the logistic loss, not ${family.name}` });
  if (model.kind === "linear" && !a.homogeneous) out.push({ key: "noBias", warning: "Theorem 3.1 is about a linear model without bias" });
  if (model.kind === "relu2" && model.activation !== "relu") {
    out.push({ key: "activation", warning: `a ${model.activation} net has ∇²f ≠ 0: L̃_adv is not its second-order adversarial loss and neither theorem applies` });
  }
  if (model.kind === "relu2" && model.activation === "relu" && !a.homogeneous) {
    out.push({ key: "homogeneous", warning: "Theorem 3.2 is about ReLU nets without biases (f(x) = ∇f(x)ᵀx)" });
  }
  return out;
}

/**
 * The inequality's numbers. `terms` are Lemma 3.1's terms for these inputs when the caller has them already
 * (e.g. from taylorTermsParallel: the same bytes), computed here otherwise.
 */
export function theoremInequality(ds: Dataset, model: Model, family: Family, alpha: number, beta: number, terms?: TaylorTerms): TheoremResult {
  const t = terms ?? taylorTerms(ds, model, family, alpha, beta);
  const q = secondOrderCoefficients(ds, model, family);
  const Lreg = regularizerLreg(ds, model, family, alpha, beta);
  const R = Rcos(model, ds);
  const c = cx(ds);
  const eps = R * c * t.m1;
  // (b·ε)·ε, and a zero coefficient contributes 0 even where ε² alone would overflow
  const secondOrder = q.standardLoss + (q.a === 0 ? 0 : q.a * eps) + (q.b === 0 ? 0 : q.b * eps * eps);
  const core = t.standardLoss + t.R1 + t.R2;
  const rhs = secondOrder + Lreg;
  const tight = tightestFromQuadratic(q.a, q.b, t.R1 + t.R2 - Lreg);
  const ratio = epsRatio(eps, tight);
  let binary = true;
  for (let i = 0; i < ds.n; i++) if (ds.y[i] !== 0 && ds.y[i] !== 1) binary = false;
  return {
    assumptions: { centered: isCentered(ds), cx: c, inTheta: inTheta(model, ds), homogeneous: isHomogeneous(model), binaryLabels: binary },
    R,
    m1: t.m1,
    epsMix: eps,
    core,
    standardLoss: t.standardLoss,
    R1: t.R1,
    R2: t.R2,
    secondOrder,
    Lreg,
    rhs,
    margin: core - rhs,
    holds: core >= rhs,
    tightestEps: tight,
    ratio: ratio.value,
    ...(ratio.reason === undefined ? {} : { ratioReason: ratio.reason }),
  };
}
