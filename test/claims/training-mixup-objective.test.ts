import { describe, expect, it } from "vitest";
import { checkClaim, claims } from "../../src/claims/index.js";
import { gradientAgreement } from "../../src/claims/more.js";
import { family } from "../../src/losses/index.js";
import { lossParamGrad } from "../../src/models/index.js";
import { instances } from "./helpers.js";

describe("claim training-mixup-objective: the exact Mixup gradients = central differences of the exact loss", () => {
  it("holds for linear models (all pairs and O(n)) and tanh nets (all pairs)", async () => {
    for (const [model, runs] of [["linear", 10], ["tanh", 5]] as const) {
      const r = await checkClaim(claims["training-mixup-objective"], instances({ model, bias: true, n: [2, 5] }), { numRuns: runs, seed: 9 });
      expect(r.holds, JSON.stringify(r.result)).toBe(true);
    }
  });
  it("negative control: the gradient of L_std in place of L_mix's disagrees", async () => {
    const r = await checkClaim(
      (ds, model, o) => gradientAgreement(ds, model, o, [{ grad: lossParamGrad(model, family(model.loss), ds.X, ds.y, ds.n, ds.K).grad, gradErrorEstimate: 0 }]),
      instances({ model: "linear", bias: true, n: [3, 5] }),
      { numRuns: 10, seed: 9 },
    );
    expect(r.holds).toBe(false);
  });
});
