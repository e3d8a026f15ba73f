import { describe, expect, it } from "vitest";
import { checkClaim, claims } from "../../src/claims/index.js";
import { instances } from "./helpers.js";

describe("claim theorem-4.2: theorem-4.1's chain on the features relu(W·x) of the model's first layer", () => {
  it("holds for bias-free ReLU nets", async () => {
    const r = await checkClaim(claims["theorem-4.2"], instances({ model: "relu", n: [3, 8], d: [1, 3] }), { numRuns: 15, seed: 19 });
    expect(r.holds, JSON.stringify(r.result)).toBe(true);
    expect(r.skipped).toBeLessThan(15);
  });
  it("a linear model or first-layer biases are unmet assumptions, not failures", async () => {
    const lin = await checkClaim(claims["theorem-4.2"], instances({ model: "linear" }), { numRuns: 5, seed: 19 });
    expect(lin.skipped).toBe(5);
    const r = await claims["theorem-4.2"](...(() => {
      const ds = { n: 2, d: 1, K: 1, X: Float64Array.from([1, -1]), y: Float64Array.from([1, 0]) } as never;
      return [ds, { kind: "relu2", activation: "relu", m: 1, d: 1, W: Float64Array.from([1]), b: Float64Array.from([0.5]), V: Float64Array.from([1]), c: null, K: 1, loss: "logistic" } as never, { alpha: 1 }] as const;
    })());
    expect(r.assumptions.unmet).toEqual(["bias"]);
  });
});
