import { describe, expect, it } from "vitest";
import { checkClaim, claims } from "../../src/claims/index.js";
import { remainderAlpha } from "../../src/claims/remainder.js";
import { instances } from "./helpers.js";

describe("claim lemma-3.1-alpha: as α = β → 0 the remainder ∝ α and remainder/R2 settles (smooth models)", () => {
  it("holds for linear models, tanh nets (with and without biases) and softplus nets", async () => {
    for (const [model, bias] of [["linear", false], ["linear", true], ["tanh", false], ["tanh", true], ["softplus", true]] as const) {
      const r = await checkClaim(claims["lemma-3.1-alpha"], instances({ model, bias }), { numRuns: 25, seed: 31 });
      expect(r.holds, `${model} ${bias}: ${JSON.stringify(r.result)}`).toBe(true);
      expect(Number.isFinite(r.worstMargin)).toBe(true);
      expect(r.skipped, `${model} ${bias}`).toBeLessThan(5); // θ = 0 (R2 = 0) only
    }
  });
  it("negative control: Beta(α, β) moments in place of D̃'s leave a residual that tends to a constant (slope ≈ 0)", async () => {
    const r = await checkClaim((ds, model) => remainderAlpha(ds, model, "beta-moments"), instances({ model: "linear", bias: true }), { numRuns: 10, seed: 31 });
    expect(r.holds).toBe(false);
    expect(Math.abs(r.result!.details.slope as number)).toBeLessThan(0.3);
  });
  it("squared loss with a linear model (remainder identically zero) and ReLU nets are unmet assumptions", async () => {
    const { linearModel } = await import("../../src/models/index.js");
    const { makeDataset } = await import("../../src/core/dataset.js");
    const ds = makeDataset(Float64Array.from([1, -2, 0.5]), Float64Array.from([1, 0, 2]), 3, 1, 1, {});
    const sq = await claims["lemma-3.1-alpha"](ds, linearModel({ theta: [0.5], bias: null, loss: "squared" }), { alpha: 1 });
    expect(sq.assumptions.unmet).toEqual(["remainder"]);
    const relu = await checkClaim(claims["lemma-3.1-alpha"], instances({ model: "relu" }), { numRuns: 5, seed: 31 });
    expect(relu.skipped).toBe(5);
  });
});
