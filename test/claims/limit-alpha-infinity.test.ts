import { describe, expect, it } from "vitest";
import { checkClaim, claims } from "../../src/claims/index.js";
import { limitClaim } from "../../src/claims/more.js";
import { family, standardLoss } from "../../src/losses/index.js";
import { predict } from "../../src/models/index.js";
import { instances } from "./helpers.js";

describe("claim limit-alpha-infinity: L_mix → the midpoint loss as α = β → ∞ (gap ~ 1/α, ReLU ≥ α^{-1/2})", () => {
  it("holds for linear models and tanh and ReLU nets", async () => {
    for (const model of ["linear", "tanh", "relu"] as const) {
      const r = await checkClaim(claims["limit-alpha-infinity"], instances({ model, bias: true, n: [3, 5] }), { numRuns: 8, seed: 13 });
      expect(r.holds, `${model}: ${JSON.stringify(r.result)}`).toBe(true);
      expect(Number.isFinite(r.worstMargin), model).toBe(true);
      expect(r.skipped, model).toBeLessThan(8);
    }
  });
  it("negative control: the wrong limit (L_std) as α → ∞ fails", async () => {
    const r = await checkClaim(
      (ds, model) => limitClaim(ds, model, "infinity", standardLoss(family(model.loss), predict(model, ds.X, ds.n), ds.y, ds.n, ds.K)),
      instances({ model: "linear", bias: true, n: [3, 5] }),
      { numRuns: 8, seed: 13 },
    );
    expect(r.holds).toBe(false);
  });
});
