import { describe, expect, it } from "vitest";
import { checkClaim, claims } from "../../src/claims/index.js";
import { instances } from "./helpers.js";

describe("claim lemma-3.1-r1-identity: R1 = −m1·θᵀ∇L_std (linear), −(m1/2)·pᵀ∇L_std (bias-free ReLU) on centered data", () => {
  it("holds on centered data for linear models and bias-free ReLU nets", async () => {
    for (const model of ["linear", "relu"] as const) {
      const r = await checkClaim(claims["lemma-3.1-r1-identity"], instances({ model, centered: true }), { numRuns: 40, seed: 5 });
      expect(r.holds, JSON.stringify(r.result)).toBe(true);
      expect(r.skipped).toBe(0);
      expect(r.worstMargin).toBeGreaterThan(0);
    }
  });
  it("negative control: off center (the assumption dropped) the identity fails, and the unmet assumption is named", async () => {
    const r = await checkClaim(claims["lemma-3.1-r1-identity"], instances({ model: "linear", centered: false, n: [3, 6] }), { numRuns: 40, seed: 5, requireAssumptions: false });
    expect(r.holds).toBe(false);
    expect(r.result!.assumptions.unmet).toContain("centered");
    const b = await checkClaim(claims["lemma-3.1-r1-identity"], instances({ model: "relu", bias: true, centered: true }), { numRuns: 10, seed: 5 });
    expect(b.skipped).toBeGreaterThan(0);
  });
});
