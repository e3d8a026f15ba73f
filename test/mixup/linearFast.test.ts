import { describe, expect, it } from "vitest";
import { makeDataset } from "../../src/core/dataset.js";
import { Rng } from "../../src/core/rng.js";
import { family } from "../../src/losses/index.js";
import { linearModel } from "../../src/models/index.js";
import { PairIntegrator } from "../../src/mixup/pairIntegrator.js";
import { makePairProblem } from "../../src/mixup/pairProblem.js";

/** The private single-piece path of the linear logistic model at α = β = 1, as the test sees it. */
interface FastPath {
  linearFlatPair(i: number, j: number): boolean;
  fastValue: number;
  pairErr: number;
  pairAbs: number;
}

describe("linear logistic fast path (α = β = 1)", () => {
  it("gives the same bytes as the general pair integrator, pair by pair, and defers sharp pairs", () => {
    const rng = new Rng(31);
    const n = 40;
    const d = 4;
    const X = Float64Array.from({ length: n * d }, () => rng.normal());
    const y = Float64Array.from({ length: n }, () => (rng.uniform() < 0.5 ? 1 : 0));
    // scores of size ~6·|x|: most pairs smooth, some with sharp crossings (|Δz| > 16), every rung used
    const model = linearModel({ theta: Float64Array.from([5, -3, 2, 1]), loss: "logistic" });
    const P = makePairProblem(makeDataset(X, y, n, d), model, family("logistic"), 1, 1);
    const fast = new PairIntegrator(P);
    const general = new PairIntegrator(P);
    const f = fast as unknown as FastPath;
    const g = general as unknown as FastPath;
    let taken = 0;
    let deferred = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const v = general.integratePair(i, j);
        if (f.linearFlatPair(i, j)) {
          taken++;
          expect(f.fastValue).toBe(v);
          expect(f.pairErr).toBe(g.pairErr);
          expect(f.pairAbs).toBe(g.pairAbs);
        } else deferred++;
      }
    }
    expect(taken).toBeGreaterThan(100);
    expect(deferred).toBeGreaterThan(10);
  });
});
