import type { Dataset } from "../core/dataset.js";
import type { Family } from "../losses/types.js";
import type { Model } from "../models/types.js";
import { taylorTerms } from "../taylor/terms.js";
import { regularizerLreg, secondOrderCoefficients } from "./secondOrder.js";

/**
 * The tightest radius (paper.md §4, beyond): the largest ε ≥ 0 with
 *   L_std + R1 + R2 − L_reg ≥ L̃_adv(ε) = L_std + a·ε + b·ε²,
 * i.e. the positive root of b·ε² + a·ε − c = 0 with c = R1 + R2 − L_reg, taken as 2c/(a + √(a² + 4bc))
 * (no cancellation). ε_mix/ε* measures how much Theorems 3.1/3.2 give away; > 1 means the theorem's
 * inequality fails on this instance.
 */
export interface TightestEps {
  /** ε*, or null with `reason` */
  value: number | null;
  reason?: string;
  /** c = R1 + R2 − L_reg, a, b: the quadratic */
  c: number;
  a: number;
  b: number;
}

export function tightestEps(ds: Dataset, model: Model, family: Family, alpha: number, beta: number): TightestEps {
  const t = taylorTerms(ds, model, family, alpha, beta);
  const { a, b } = secondOrderCoefficients(ds, model, family);
  const c = t.R1 + t.R2 - regularizerLreg(ds, model, family, alpha, beta);
  return tightestFromQuadratic(a, b, c);
}

/** The largest ε ≥ 0 with a·ε + b·ε² ≤ c (a, b ≥ 0). */
export function tightestFromQuadratic(a: number, b: number, c: number): TightestEps {
  if (!(c >= 0)) return { value: null, reason: `no ε ≥ 0 qualifies: R1 + R2 − L_reg = ${c} < 0`, c, a, b };
  if (a === 0 && b === 0) return { value: null, reason: "every ε qualifies: L̃_adv does not grow with ε (zero input gradients)", c, a, b };
  return { value: (2 * c) / (a + Math.sqrt(a * a + 4 * b * c)), c, a, b };
}
