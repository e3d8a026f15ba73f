import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { alphaBeta, dataset } from "../../src/arbitraries/index.js";
import { checkClaim, claims, type ClaimInstance } from "../../src/claims/index.js";
import { inverseRatioAgreement } from "../../src/claims/regularizer.js";
import { linearModel } from "../../src/models/index.js";

/** (α, β) from the library's arbitrary; the claim does not read the data or the model. */
function shapes(lo: number, hi: number): fc.Arbitrary<ClaimInstance> {
  const model = linearModel({ theta: [0], bias: null, loss: "logistic" });
  return fc.tuple(dataset({ n: [2, 2], d: [1, 1] }), alphaBeta({ lo, hi })).map(([ds, ab]) => ({ ds, model, ...ab }));
}

describe("claim regularizer-forms: E_D̃[(1−λ)²/λ²] closed form = tanh-sinh quadrature (α, β > 1), null otherwise", () => {
  it("holds for α, β in [1.05, 100], to 1e-9 relative", async () => {
    const r = await checkClaim(claims["regularizer-forms"], shapes(1.05, 100), { numRuns: 60, seed: 37 });
    expect(r.holds, JSON.stringify(r.result)).toBe(true);
    expect(r.skipped).toBe(0);
    expect(r.worstMargin).toBeGreaterThan(0.5); // measured: relative differences ~1e-15
  });
  it("α ≤ 1 or β ≤ 1: the closed form reports the moment infinite (null)", async () => {
    const r = await checkClaim(claims["regularizer-forms"], shapes(0.01, 1), { numRuns: 30, seed: 37 });
    expect(r.holds).toBe(true);
    expect(r.worstMargin).toBe(1);
  });
  it("negative control: the quadrature under Beta(α, β) in place of D̃ disagrees; 1 < α < 1.05 is an unmet assumption", async () => {
    const r = await checkClaim((_ds, _m, o) => inverseRatioAgreement(o.alpha, o.beta ?? o.alpha, "beta"), shapes(1.05, 100), { numRuns: 20, seed: 37 });
    expect(r.holds).toBe(false);
    const near = inverseRatioAgreement(1.01, 2, "dtilde");
    expect(near.assumptions.unmet).toEqual(["quadrature"]);
  });
});
