import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { family as familyOf } from "../../src/losses/index.js";
import type { LossName } from "../../src/losses/types.js";
import { exactMixupLoss } from "../../src/mixup/index.js";
import { directRemainder, scaleData, taylorTerms, withRemainder } from "../../src/taylor/index.js";
import { randomDataset, randomModel, type ModelKind } from "../../proofs-checks/instances.js";

const CASES: Array<[LossName, ModelKind]> = [
  ["logistic", "linear"],
  ["logistic", "linear-bias"],
  ["poisson", "linear-bias"],
  ["softmax", "linear-bias"],
  ["logistic", "tanh"],
  ["logistic", "softplus-nobias"],
  ["poisson", "tanh"],
  ["softmax", "tanh"],
  ["squared", "softplus"],
];

describe("directRemainder: the Taylor remainder integrated directly", () => {
  for (const [loss, kind] of CASES) {
    it(`${loss}/${kind}: equals L_mix − approx from the exact loss within both error bounds`, () => {
      const rng = new Rng(21);
      const K = loss === "softmax" ? 3 : 1;
      const base = randomDataset(rng, 9, 3, loss, K);
      const model = randomModel(rng, kind, 3, loss, K, 0.7);
      const family = familyOf(loss);
      for (const [s, a, b] of [[1, 0.5, 2], [0.3, 3, 3], [0.05, 0.2, 0.7]]) {
        const ds = scaleData(base, s);
        const d = directRemainder(ds, model, family, a, b);
        const r = withRemainder(taylorTerms(ds, model, family, a, b), exactMixupLoss(ds, model, family, a, b, { tol: 1e-14 }));
        expect(Math.abs(d.value - r.remainder)).toBeLessThanOrEqual(d.errorEstimate + r.remainderError);
        // the direct route resolves what the subtraction cannot: its bound is far below the remainder
        expect(d.errorEstimate).toBeLessThan(1e-5 * Math.abs(d.value));
      }
    });
  }
  it("is zero to rounding for the squared loss with a linear model, and refuses ReLU nets", () => {
    const rng = new Rng(22);
    const ds = randomDataset(rng, 8, 3, "squared");
    const model = randomModel(rng, "linear-bias", 3, "squared");
    const d = directRemainder(ds, model, familyOf("squared"), 0.4, 0.4);
    expect(Math.abs(d.value)).toBeLessThanOrEqual(d.errorEstimate);
    // O(1) terms cancel exactly: the bound is the rounding allowance, a few hundred ulps at most
    expect(d.errorEstimate).toBeLessThan(1e-13);
    const relu = randomModel(rng, "relu", 3, "squared");
    expect(() => directRemainder(ds, relu, familyOf("squared"), 1, 1)).toThrow(/ReLU/);
  });
});
