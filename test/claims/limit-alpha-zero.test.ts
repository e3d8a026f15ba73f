import { describe, expect, it } from "vitest";
import { checkClaim, claims } from "../../src/claims/index.js";
import { limitClaim } from "../../src/claims/more.js";
import { instances } from "./helpers.js";

describe("claim limit-alpha-zero: L_mix → L_std as α = β → 0 (gap of order α)", () => {
  it("holds for linear models and tanh and ReLU nets", async () => {
    for (const model of ["linear", "tanh", "relu"] as const) {
      const r = await checkClaim(claims["limit-alpha-zero"], instances({ model, bias: true, n: [3, 5] }), { numRuns: 8, seed: 13 });
      expect(r.holds, `${model}: ${JSON.stringify(r.result)}`).toBe(true);
      expect(Number.isFinite(r.worstMargin), model).toBe(true);
      expect(r.skipped, model).toBeLessThan(8);
    }
  });
  it("negative control: the wrong limit (the midpoint loss, α → ∞'s) as α → 0 fails", async () => {
    const { midpointLoss } = await import("../../src/claims/more.js");
    const r = await checkClaim((ds, model) => limitClaim(ds, model, "zero", midpointLoss(ds, model)), instances({ model: "linear", bias: true, n: [3, 5] }), { numRuns: 8, seed: 13 });
    expect(r.holds).toBe(false);
  });
});
