/**
 * The per-(α, β) form of `regularizer-forms` (docs/claims.md, "Claims as predicates"): the factor of the paper's
 * simplified regularizer in closed form against an independent quadrature. The data and the model are not used.
 */
import { dTildeInverseRatioMoment, inverseRatioQuadrature } from "../generalization/regularizer.js";
import type { ClaimInput, ClaimResult } from "./index.js";

/** Below this shape the tanh-sinh reference cannot resolve the singularity λ^{α−2} at 0 (mixing/tanhSinh.ts). */
export const QUADRATURE_SHAPE_MIN = 1.05;

/**
 * E_D̃[(1−λ)²/λ²] = [B(α−1, β+2) + B(α+2, β−1)]/B(α, β) for α, β > 1, and infinite (null) otherwise (docs/theory.md
 * §4.1) [exact]. For α, β ≥ 1.05: margin 1 − |closed − quadrature|/(1e-9·closed), the reference a tanh-sinh
 * quadrature of (1−λ)²/λ² under D̃'s density (`inverseRatioQuadrature`, accurate to ~1e-12; 1e-9 is the
 * check's tolerance and leaves room for the log-Beta ratios at shapes up to 10²). For α ≤ 1 or β ≤ 1: margin 1 if
 * the closed form reports null, else −1. Unmet "quadrature" for 1 < min(α, β) < 1.05, where the reference
 * truncates the singular end. `law: "beta"` integrates under Beta(α, β) instead (a test's negative control).
 */
export const regularizerForms = (_ds: unknown, _model: unknown, o: ClaimInput): ClaimResult => inverseRatioAgreement(o.alpha, o.beta ?? o.alpha, "dtilde");

/** regularizerForms on (α, β) with the reference under `law`. */
export function inverseRatioAgreement(alpha: number, beta: number, law: "dtilde" | "beta"): ClaimResult {
  const closed = dTildeInverseRatioMoment(alpha, beta).value;
  const met = { met: true, unmet: [] as string[] };
  if (!(alpha > 1 && beta > 1)) return { margin: closed === null ? 1 : -1, assumptions: met, details: { closed } };
  if (Math.min(alpha, beta) < QUADRATURE_SHAPE_MIN) return { margin: 0, assumptions: { met: false, unmet: ["quadrature"] }, details: { closed } };
  const q = inverseRatioQuadrature(alpha, beta, law);
  const rel = closed === null ? Infinity : Math.abs(closed - q) / closed;
  return { margin: Number.isFinite(rel) ? 1 - rel / 1e-9 : -1, assumptions: met, details: { closed, quadrature: Number.isFinite(q) ? q : null, relativeDifference: Number.isFinite(rel) ? rel : null } };
}
