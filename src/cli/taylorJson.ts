import type { TaylorWithRemainder } from "../taylor/index.js";
import { finiteOrReason, nonFiniteText, type NullableFields } from "./json.js";

/**
 * JSON fields of Lemma 3.1's terms and remainder (docs/theory.md §3.1), shared by `loss --json` (its `taylor`
 * block) and `taylor --json` (each row). Any non-finite value becomes null with a `<field>Reason` beside it.
 */

/** What each derived field is computed from, so a reason can name the input that is not finite. */
const DEPENDS: Record<string, { formula: string; inputs: string[] }> = {
  approx: { formula: "standardLoss + R1 + R2 + R3", inputs: ["standardLoss", "R1", "R2", "R3"] },
  remainder: { formula: "mixupLoss − approx", inputs: ["mixupLoss", "approx"] },
  remainderError: {
    formula: "the exact loss's error estimate plus a rounding allowance from |mixupLoss|, |standardLoss|, |R1|, |R2|, |R3|",
    inputs: ["mixupLoss", "standardLoss", "R1", "R2", "R3"],
  },
  remainderOverR2: { formula: "remainder / R2", inputs: ["remainder", "R2"] },
  remainderCi95: { formula: "the Monte Carlo interval of L_mix shifted by −approx", inputs: ["approx"] },
};

/** The reason text for a null Taylor field, given every value computed (by name). */
export function taylorReason(values: Record<string, number | null | undefined>): (field: string, x: number | null) => string {
  return (field, x) => {
    if (field === "remainderOverR2" && values.R2 === 0) {
      return "R2 = 0 (no second-order term, e.g. a constant model): remainder / R2 is undefined";
    }
    const dep = DEPENDS[field];
    if (dep) {
      const bad = dep.inputs.filter((k) => {
        const v = values[k];
        return v !== undefined && !(v !== null && Number.isFinite(v));
      });
      if (bad.length) return `${field} = ${dep.formula}, and ${bad.join(", ")} ${bad.length > 1 ? "are" : "is"} not finite`;
    }
    return `${field} is ${nonFiniteText(x)} in float64 (an overflow in Lemma 3.1's terms for this model and data)`;
  };
}

/** The exact-method fields: m1, m2, R1, R2, R3, approx, remainder, remainderError, remainderOverR2. */
export function taylorFields(t: TaylorWithRemainder): NullableFields {
  const fields = {
    m1: t.m1,
    m2: t.m2,
    R1: t.R1,
    R2: t.R2,
    R3: t.R3,
    approx: t.approx,
    remainder: t.remainder,
    remainderError: t.remainderError,
    remainderOverR2: t.remainderOverR2,
  };
  return finiteOrReason(fields, taylorReason({ ...fields, mixupLoss: t.mixupLoss, standardLoss: t.standardLoss }));
}
