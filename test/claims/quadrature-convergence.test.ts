import { describe, expect, it } from "vitest";
import { checkClaim, claims } from "../../src/claims/index.js";
import { estimateHonesty } from "../../src/claims/more.js";
import { instances } from "./helpers.js";

describe("claim quadrature-convergence: the exact loss at tol 1e-6, 1e-8, 1e-10 is within its error estimate and tol of the tol-1e-13 value", () => {
  it("holds for linear models and ReLU and tanh nets, α, β in [0.05, 20]", async () => {
    for (const model of ["linear", "relu", "tanh"] as const) {
      const r = await checkClaim(claims["quadrature-convergence"], instances({ model, bias: true, alpha: [0.05, 20] }), { numRuns: 10, seed: 17 });
      expect(r.holds, `${model}: ${JSON.stringify(r.result)}`).toBe(true);
    }
  });
  it("negative control: error estimates and tolerances shrunk a millionfold are exceeded", async () => {
    const r = await checkClaim((ds, model, o) => estimateHonesty(ds, model, o, 1e-6), instances({ model: "relu", bias: true, alpha: [0.05, 20] }), { numRuns: 10, seed: 17 });
    expect(r.holds).toBe(false);
  });
});
