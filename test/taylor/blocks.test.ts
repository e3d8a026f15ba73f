import { describe, expect, it } from "vitest";
import { makeDataset } from "../../src/core/dataset.js";
import { Rng } from "../../src/core/rng.js";
import { family as familyOf } from "../../src/losses/index.js";
import type { LossName } from "../../src/losses/types.js";
import { m1 as m1Of, m2 as m2Of } from "../../src/mixing/index.js";
import { blockPlan, preactStats, taylorSums, taylorTermsPairwise } from "../../src/taylor/index.js";
import { randomDataset, randomModel, type ModelKind } from "../../proofs-checks/instances.js";

/** Rows sorted by the first feature, so block means differ by O(σ) (the worst case for the merges). */
function sortedInstance(seed: number, loss: LossName, kind: ModelKind, n: number, d: number) {
  const rng = new Rng(seed);
  const K = loss === "softmax" ? 3 : 1;
  const raw = randomDataset(rng, n, d, loss, K);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => raw.X[a * d] - raw.X[b * d]);
  const X = new Float64Array(n * d);
  const y = new Float64Array(n * K);
  order.forEach((i, r) => {
    X.set(raw.X.subarray(i * d, (i + 1) * d), r * d);
    y.set(raw.y.subarray(i * K, (i + 1) * K), r * K);
  });
  const ds = makeDataset(X, y, n, d, K);
  return { ds, model: randomModel(rng, kind, d, loss, K, 1, 5), family: familyOf(loss) };
}

describe("blocked sums: exact merges of per-block partials", () => {
  it("blockPlan cuts n rows into fixed blocks", () => {
    expect(blockPlan(10, 4)).toEqual([[0, 4], [4, 8], [8, 10]]);
    expect(blockPlan(3)).toEqual([[0, 3]]);
    expect(() => blockPlan(3, 0)).toThrow(RangeError);
  });
  // block sizes 1 (every row its own block), 3, 7 and one block, against the plain double sum over pairs
  for (const [loss, kind] of [
    ["logistic", "relu-bias"],
    ["logistic", "tanh"],
    ["poisson", "softplus"],
    ["squared", "linear-bias"],
    ["softmax", "linear-bias"],
    ["softmax", "tanh"],
  ] as const) {
    it(`${loss}/${kind}: every block size agrees with the pairwise sum to 1e-12`, () => {
      const { ds, model, family } = sortedInstance(21, loss, kind, 23, 3);
      const a = 0.7;
      const b = 1.9;
      const m1 = m1Of(a, b);
      const m2 = m2Of(a, b);
      const pw = taylorTermsPairwise(ds, model, family, m1, m2);
      for (const blockRows of [1, 3, 7, 4096]) {
        const s = taylorSums(ds, model, family, { blockRows });
        const n = ds.n;
        expect(Math.abs((m1 * s.S1) / n - pw.R1)).toBeLessThanOrEqual(1e-12 * m1 * pw.abs1);
        expect(Math.abs((m2 * s.S2) / (2 * n) - pw.R2)).toBeLessThanOrEqual(1e-12 * (m2 / 2) * pw.abs2);
        expect(Math.abs((m2 * s.S3) / (2 * n) - pw.R3)).toBeLessThanOrEqual(1e-12 * (m2 / 2) * Math.max(pw.abs3, 1e-300));
      }
    });
  }
  it("a constant pre-activation column gets an exactly zero variance across blocks", () => {
    const n = 10_000;
    const p = 3;
    const rng = new Rng(4);
    const U = new Float64Array(n * p);
    for (let i = 0; i < n; i++) {
      U[i * p] = 0.1;
      U[i * p + 1] = rng.normal();
      U[i * p + 2] = 1e8 + rng.normal();
    }
    const { mean, cov } = preactStats(U, n, p);
    expect(mean[0]).toBe(0.1);
    expect(cov[0]).toBe(0);
    expect(cov[1]).toBe(0);
    expect(Math.abs(cov[4] - 1)).toBeLessThan(0.05);
    expect(Math.abs(cov[8] - 1)).toBeLessThan(0.05);
  });
});
