import type { Dataset } from "../core/dataset.js";
import type { Family } from "../losses/types.js";
import { isHomogeneous } from "../models/index.js";
import type { Model } from "../models/types.js";
import { taylorTerms } from "../taylor/terms.js";
import { cx, inTheta, isCentered, Rcos, type InTheta } from "./assumptions.js";
import { regularizerLreg, secondOrderCoefficients } from "./secondOrder.js";
import { tightestFromQuadratic, type TightestEps } from "./tightest.js";

/**
 * Theorems 3.1 (logistic regression) and 3.2 (ReLU nets without bias), paper.md §4 (reconstructed;
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
  /** ε_mix/ε*, null when ε* is */
  ratio: number | null;
}

export function theoremInequality(ds: Dataset, model: Model, family: Family, alpha: number, beta: number): TheoremResult {
  const t = taylorTerms(ds, model, family, alpha, beta);
  const q = secondOrderCoefficients(ds, model, family);
  const Lreg = regularizerLreg(ds, model, family, alpha, beta);
  const R = Rcos(model, ds);
  const c = cx(ds);
  const eps = R * c * t.m1;
  const secondOrder = q.standardLoss + q.a * eps + q.b * eps * eps;
  const core = t.standardLoss + t.R1 + t.R2;
  const rhs = secondOrder + Lreg;
  const tight = tightestFromQuadratic(q.a, q.b, t.R1 + t.R2 - Lreg);
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
    ratio: tight.value === null ? null : eps / tight.value,
  };
}
