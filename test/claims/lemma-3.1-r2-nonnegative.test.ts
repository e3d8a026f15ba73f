import { describe, expect, it } from "vitest";
import { checkClaim, claims } from "../../src/claims/index.js";
import { instances } from "./helpers.js";

describe("claim lemma-3.1-r2-nonnegative: R2 ≥ 0 (every h'' here is PSD)", () => {
  it("holds for linear models and ReLU and tanh nets", async () => {
    for (const model of ["linear", "relu", "tanh"] as const) {
      const r = await checkClaim(claims["lemma-3.1-r2-nonnegative"], instances({ model, bias: true }), { numRuns: 50, seed: 23 });
      expect(r.holds, `${model}: ${JSON.stringify(r.result)}`).toBe(true);
      expect(r.worstMargin).toBeGreaterThanOrEqual(0);
    }
  });
  it("negative control: the claim with R2's sign flipped fails (the margin is R2 itself, not a constant)", async () => {
    const flipped = async (...a: Parameters<(typeof claims)["lemma-3.1-r2-nonnegative"]>) => {
      const r = await claims["lemma-3.1-r2-nonnegative"](...a);
      return { ...r, margin: -r.margin };
    };
    const r = await checkClaim(flipped, instances({ model: "linear", bias: true, n: [3, 6] }), { numRuns: 20, seed: 23 });
    expect(r.holds).toBe(false);
  });
});
