import type { Dataset } from "../core/dataset.js";
import type { Family } from "../losses/types.js";
import type { Model } from "../models/types.js";
import { taylorTerms } from "../taylor/terms.js";
import { regularizerLreg, secondOrderCoefficients } from "./secondOrder.js";

/**
 * The tightest radius (docs/theory.md §3.9, beyond): the largest ε ≥ 0 with
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

/**
 * The largest ε ≥ 0 with a·ε + b·ε² ≤ c (a, b ≥ 0). Where a² + 4bc overflows, √(a² + 4bc) is formed as
 * hypot(a, 2√b·√c), so coefficients of 1e200 do not turn into ε* = 0. Non-finite inputs (an overflow upstream) give null with
 * a reason, never NaN.
 */
export function tightestFromQuadratic(a: number, b: number, c: number): TightestEps {
  const bad = [["R1 + R2 − L_reg", c], ["the ε coefficient a", a], ["the ε² coefficient b", b]].filter(([, v]) => !Number.isFinite(v as number));
  if (bad.length > 0) {
    return { value: null, reason: `${bad.map(([k, v]) => `${k} is ${String(v)}`).join(", ")} in float64, so ε* is undefined`, c, a, b };
  }
  if (!(c >= 0)) return { value: null, reason: `no ε ≥ 0 qualifies: R1 + R2 − L_reg = ${c} < 0`, c, a, b };
  if (a === 0 && b === 0) return { value: null, reason: "every ε qualifies: L̃_adv does not grow with ε (a = b = 0: zero input gradients, or h′ − y and h″ vanish on every row)", c, a, b };
  const disc = a * a + 4 * b * c;
  const root = Number.isFinite(disc) ? Math.sqrt(disc) : Math.hypot(a, 2 * Math.sqrt(b) * Math.sqrt(c));
  const value = (2 * c) / (a + root);
  if (!Number.isFinite(value)) return { value: null, reason: `ε* = 2c/(a + √(a² + 4bc)) is beyond float64 (a = ${a}, b = ${b}, c = ${c})`, c, a, b };
  return { value, c, a, b };
}

/**
 * ε_mix/ε* (how much of the tightest radius the theorem gives), or null with a reason: when ε* is
 * undefined, when ε* = 0 (then R1 + R2 − L_reg = 0 and no radius above 0 qualifies: one row, identical rows,
 * all-zero rows), or when ε_mix is not finite.
 */
export function epsRatio(epsMix: number, tight: TightestEps): { value: number | null; reason?: string } {
  if (tight.value === null) return { value: null, reason: `ε* is undefined: ${tight.reason}` };
  if (tight.value === 0) {
    return { value: null, reason: `ε* = 0 (R1 + R2 − L_reg = ${tight.c}: no radius above 0 qualifies), so ε_mix/ε* is undefined` };
  }
  const r = epsMix / tight.value;
  return Number.isFinite(r) ? { value: r } : { value: null, reason: `ε_mix/ε* = ${epsMix}/${tight.value} is not finite` };
}
