import { describe, expect, it } from "vitest";
import { makeDataset, type Dataset } from "../../src/core/dataset.js";
import { InputError } from "../../src/core/errors.js";
import { Rng } from "../../src/core/rng.js";
import { family } from "../../src/losses/index.js";
import type { LossName } from "../../src/losses/types.js";
import { linearModel, twoLayerModel } from "../../src/models/index.js";
import type { Model } from "../../src/models/types.js";
import { exactMixupGrad } from "../../src/mixup/index.js";
import { convolutionMixupGrad } from "../../src/mixup/convolution/grad.js";
import { mixupGrad } from "../../src/mixup/mixupGrad.js";

type Scalar = Exclude<LossName, "softmax">;

function problem(seed: number, loss: Scalar, n: number, scale: number): { ds: Dataset; model: Model } {
  const rng = new Rng(seed);
  const d = 3;
  const X = Float64Array.from({ length: n * d }, () => rng.normal());
  const y = Float64Array.from({ length: n }, () => (loss === "logistic" ? rng.int(2) : loss === "poisson" ? rng.int(4) : rng.normal()));
  const theta = Float64Array.from({ length: d }, () => scale * rng.normal());
  return { ds: makeDataset(X, y, n, d), model: linearModel({ theta, bias: [0.2], loss }) };
}

describe("the two exact gradients agree (convolution O(n) vs all-pairs quadrature: no shared code past the loss family)", () => {
  for (const [loss, alpha, beta, form] of [
    ["logistic", 1, 1, "labelled"],
    ["logistic", 0.2, 0.2, "labelled"],
    ["logistic", 2, 0.5, "label-free"],
    ["poisson", 0.5, 2, "labelled"],
    ["poisson", 1, 1, "label-free"],
  ] as const) {
    it(`${loss}, (α, β) = (${alpha}, ${beta}), ${form}, both pair sets`, () => {
      const { ds, model } = problem(31, loss, 150, loss === "poisson" ? 0.4 : 1.5);
      const fam = family(loss);
      for (const pairs of ["all", "distinct"] as const) {
        const c = convolutionMixupGrad(ds, model, fam, alpha, beta, { tol: 1e-11, pairs, form });
        const p = exactMixupGrad(ds, model, fam, alpha, beta, { tol: 1e-11, pairs, form });
        expect(Math.abs(c.value - p.value)).toBeLessThanOrEqual(c.errorEstimate + p.errorEstimate);
        for (let q = 0; q < c.grad.length; q++) {
          // each estimate bounds its own error, so the gap is within their sum; and both are ≤ tol·scale
          expect(Math.abs(c.grad[q] - p.grad[q])).toBeLessThanOrEqual(c.gradErrorEstimate + p.gradErrorEstimate);
        }
        expect(c.gradErrorEstimate).toBeLessThanOrEqual(1e-11 * c.gradScale);
      }
    });
  }
});

describe("mixupGrad: the method", () => {
  it("auto: closed form for squared, convolution for logistic/Poisson, pairs for nets", async () => {
    const sq = problem(1, "squared", 40, 1);
    expect((await mixupGrad(sq.ds, sq.model, family("squared"), 1, 1)).method).toBe("exact-closed-form");
    const lg = problem(2, "logistic", 40, 1);
    expect((await mixupGrad(lg.ds, lg.model, family("logistic"), 1, 1)).method).toBe("exact-convolution");
    const rng = new Rng(3);
    const net = twoLayerModel({
      W: Float64Array.from({ length: 12 }, () => rng.normal()),
      m: 4,
      V: Float64Array.from({ length: 4 }, () => rng.normal()),
      loss: "logistic",
    });
    const r = await mixupGrad(lg.ds, net, family("logistic"), 1, 1, { workers: 1 });
    expect(r.method).toBe("exact-pairs");
    expect(r.grad.length).toBe(12 + 4);
  });

  it("auto falls back to pairs when the scores are too wide for the grid; explicit methods that do not apply are bad input", async () => {
    // scores up to ~1e5 wide: more than 2^17 bins at tol 1e-10
    const X = Float64Array.of(-50000, 0, 3, 50000);
    const ds = makeDataset(X, Float64Array.of(0, 1, 0, 1), 4, 1);
    const model = linearModel({ theta: [1], loss: "logistic" });
    const r = await mixupGrad(ds, model, family("logistic"), 1, 1, { workers: 1 });
    expect(r.method).toBe("exact-pairs");
    await expect(mixupGrad(ds, model, family("logistic"), 1, 1, { method: "convolution" })).rejects.toThrow(InputError);
    await expect(mixupGrad(ds, model, family("logistic"), 1, 1, { method: "closed-form" })).rejects.toThrow(/closed-form/);
    await expect(mixupGrad(ds, model, family("logistic"), 1, 1, { method: "mc" as never })).rejects.toThrow(/no Monte Carlo/);
  });
});

describe("auto's cost model (convolution/cost.ts)", () => {
  it("few rows with very wide scores go to pairs; many rows or narrow scores to the convolution", async () => {
    const { expectedSeconds } = await import("../../src/mixup/convolution/cost.js");
    // measured on the 2-core machine (docs/numerics.md): n = 100, range ~1,900: convolution 40 s, pairs 0.04 s
    const wide = expectedSeconds(100, 1900, "logistic", 1e-10, 2);
    expect(wide.convolution).toBeGreaterThan(100 * wide.pairs);
    // n = 1000, range ~19: convolution 0.003 s, pairs 0.22 s
    const narrow = expectedSeconds(1000, 19, "logistic", 1e-10, 2);
    expect(narrow.convolution).toBeLessThan(narrow.pairs / 10);
    // and mixupLoss/mixupGrad follow it
    const rng = new Rng(4);
    const n = 60;
    const X = Float64Array.from({ length: n }, () => 500 * rng.normal());
    const ds = makeDataset(X, Float64Array.from({ length: n }, () => rng.int(2)), n, 1);
    const model = linearModel({ theta: [1], loss: "logistic" });
    const { mixupLoss } = await import("../../src/mixup/index.js");
    expect((await mixupLoss(ds, model, family("logistic"), 1, 1, { workers: 1 })).method).toBe("exact-pairs");
    expect((await mixupGrad(ds, model, family("logistic"), 1, 1, { workers: 1 })).method).toBe("exact-pairs");
  });
});
