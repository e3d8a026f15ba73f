import { describe, expect, it } from "vitest";
import { checkClaim, claims } from "../../src/claims/index.js";
import { limitClaim } from "../../src/claims/more.js";
import { family, standardLoss } from "../../src/losses/index.js";
import { predict } from "../../src/models/index.js";
import { instances } from "./helpers.js";

describe("claims limit-alpha-zero and limit-alpha-infinity: L_mix → L_std (gap ~ α), → the midpoint loss (gap ~ 1/α, ReLU ≥ α^{-1/2})", () => {
  it("hold for linear models and tanh and ReLU nets", async () => {
    for (const id of ["limit-alpha-zero", "limit-alpha-infinity"] as const) {
      for (const model of ["linear", "tanh", "relu"] as const) {
        const r = await checkClaim(claims[id], instances({ model, bias: true, n: [3, 5] }), { numRuns: 8, seed: 13 });
        expect(r.holds, `${id} ${model}: ${JSON.stringify(r.result)}`).toBe(true);
        expect(r.skipped, `${id} ${model}`).toBeLessThan(8);
      }
    }
  });
  it("negative control: the wrong limit (L_std as α → ∞) fails", async () => {
    const r = await checkClaim(
      (ds, model) => limitClaim(ds, model, "infinity", standardLoss(family(model.loss), predict(model, ds.X, ds.n), ds.y, ds.n, ds.K)),
      instances({ model: "linear", bias: true, n: [3, 5] }),
      { numRuns: 8, seed: 13 },
    );
    expect(r.holds).toBe(false);
  });
});
