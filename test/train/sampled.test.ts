import { describe, expect, it } from "vitest";
import { makeDataset, type Dataset } from "../../src/core/dataset.js";
import { Rng } from "../../src/core/rng.js";
import { family } from "../../src/losses/index.js";
import { mixupGrad } from "../../src/mixup/mixupGrad.js";
import { linearModel, lossParamGrad, paramCount, twoLayerModel } from "../../src/models/index.js";
import type { Model } from "../../src/models/types.js";
import { BatchSampler } from "../../src/train/batches.js";
import { batchScratch, mixBatch, randomPermutation, sampledMixupGrad, type LambdaMode } from "../../src/train/sampled.js";

function data(seed: number, n: number, d: number): Dataset {
  const rng = new Rng(seed);
  const X = Float64Array.from({ length: n * d }, () => rng.normal());
  const y = Float64Array.from({ length: n }, () => rng.int(2));
  return makeDataset(X, y, n, d);
}

const LINEAR = linearModel({ theta: [0.8, -1.1], bias: [0.3] });
const RELU = twoLayerModel({ W: [1.2, -0.4, 0.3, 0.9, -0.7, 0.5], m: 3, b: [0.1, -0.2, 0.05], V: [0.9, -1.3, 0.6], c: [0.1] });

/** Mean and standard error per coordinate of N draws of (loss, grad). */
function average(N: number, P: number, draw: (g: Float64Array) => number) {
  const g = new Float64Array(P);
  const s = new Float64Array(P + 1);
  const s2 = new Float64Array(P + 1);
  for (let t = 0; t < N; t++) {
    const v = draw(g);
    s[0] += v;
    s2[0] += v * v;
    for (let k = 0; k < P; k++) {
      s[k + 1] += g[k];
      s2[k + 1] += g[k] * g[k];
    }
  }
  const mean = Array.from(s, (x) => x / N);
  const se = Array.from(s2, (x, k) => Math.sqrt((x / N - mean[k] * mean[k]) / (N - 1)));
  return { mean, se };
}

/**
 * Unbiasedness within the confidence interval: |mean − target| ≤ 4.5·se per coordinate (loss and every
 * gradient entry). A coordinate fails by chance with probability 7e-6; with at most 14 coordinates per case and 9
 * cases the file fails by chance with probability < 1e-3. The exact targets are computed to tol 1e-12, far
 * below the standard errors (≥ 1e-4 here), so only the sampling error counts.
 */
function expectWithin(mean: number[], se: number[], target: number[]) {
  for (let k = 0; k < target.length; k++) {
    expect(Math.abs(mean[k] - target[k]), `coordinate ${k}: mean ${mean[k]}, target ${target[k]}, se ${se[k]}`).toBeLessThanOrEqual(4.5 * se[k]);
  }
}

describe("the sampled Mixup gradient is unbiased for the exact one (docs/theory.md §2.4)", () => {
  // n = 4: the diagonal pairs carry weight 1/n of L_mix, so the all-pairs target and the distinct-pairs one
  // (a permutation without fixed points) are far apart next to the standard errors
  const ds = data(3, 4, 2);
  const fam = family("logistic");
  const idx = Int32Array.from({ length: ds.n }, (_, i) => i);
  for (const [name, model] of [
    ["linear logistic", LINEAR],
    ["ReLU net", RELU],
  ] as const) {
    for (const [alpha, beta] of [
      [0.4, 0.4],
      [2, 0.5],
    ]) {
      for (const mode of ["per-batch", "per-sample"] as LambdaMode[]) {
        it(`${name}, Beta(${alpha}, ${beta}), λ ${mode}: a full batch (B = n) averages to L_mix and ∇L_mix over all n² pairs`, async () => {
          const exact = await mixupGrad(ds, model as Model, fam, alpha, beta, { method: "pairs", tol: 1e-12 });
          const distinct = await mixupGrad(ds, model as Model, fam, alpha, beta, { method: "pairs", pairs: "distinct", tol: 1e-12 });
          const rng = new Rng(11);
          const s = batchScratch(ds.n, ds.d, ds.K);
          const P = paramCount(model);
          const { mean, se } = average(40000, P, (g) => sampledMixupGrad(ds, model, fam, idx, ds.n, alpha, beta, mode, rng, s, g));
          expectWithin(mean, se, [exact.value, ...exact.grad]);
          // power: the wrong target L_distinct lies more than 10 se away on some coordinate
          const wrong = [distinct.value, ...distinct.grad];
          expect(Math.max(...wrong.map((w, k) => Math.abs(w - mean[k]) / se[k]))).toBeGreaterThan(10);
        });
      }
    }
  }

  it("minibatches of B < n from BatchSampler average to (1/B)·∇L_std + (1 − 1/B)·∇L_distinct", async () => {
    const big = data(5, 8, 2);
    const B = 3;
    const distinct = await mixupGrad(big, LINEAR, fam, 1, 1, { method: "pairs", pairs: "distinct", tol: 1e-12 });
    const std = lossParamGrad(LINEAR, fam, big.X, big.y, big.n, 1);
    const target = [std.loss / B + (1 - 1 / B) * distinct.value, ...Array.from(std.grad, (g, k) => g / B + (1 - 1 / B) * distinct.grad[k])];
    const rng = new Rng(12);
    const batches = new BatchSampler(big.n, B, rng.fork(1));
    const mix = rng.fork(2);
    const s = batchScratch(B, big.d, big.K);
    const { mean, se } = average(30000, 3, (g) => sampledMixupGrad(big, LINEAR, fam, batches.next(), B, 1, 1, "per-sample", mix, s, g));
    expectWithin(mean, se, target);
  });
});

describe("mixBatch", () => {
  it("mixes inputs and labels with the same λ and partner; per-batch shares one λ, per-sample draws B", () => {
    const ds = data(4, 5, 3);
    const idx = Int32Array.from([4, 0, 2, 1, 3]);
    for (const mode of ["per-batch", "per-sample"] as LambdaMode[]) {
      const s = batchScratch(5, 3, 1);
      mixBatch(ds, idx, 5, 0.7, 1.3, mode, new Rng(2), s);
      for (let k = 0; k < 5; k++) {
        const a = idx[k];
        const b = idx[s.perm[k]];
        const l = s.lam[k];
        expect(s.Y[k]).toBe(l * ds.y[a] + (1 - l) * ds.y[b]);
        for (let q = 0; q < 3; q++) expect(s.X[k * 3 + q]).toBe(l * ds.X[a * 3 + q] + (1 - l) * ds.X[b * 3 + q]);
      }
      const distinctLams = new Set(s.lam).size;
      expect(distinctLams).toBe(mode === "per-batch" ? 1 : 5);
    }
  });

  it("randomPermutation is uniform over all 3! permutations, fixed points included (chi-square, 60000 draws)", () => {
    const rng = new Rng(9);
    const counts = new Map<string, number>();
    const p = new Int32Array(3);
    const N = 60000;
    for (let t = 0; t < N; t++) {
      const key = randomPermutation(rng, p, 3).join("");
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    let chi2 = 0;
    for (const c of counts.values()) chi2 += (c - N / 6) ** 2 / (N / 6);
    expect(chi2).toBeLessThan(25.7); // χ²(5) at the 1e-4 level
  });

  it("BatchSampler: each epoch visits ⌊n/B⌋·B distinct rows; a full batch is all rows in order and draws nothing", () => {
    const bs = new BatchSampler(10, 3, new Rng(1));
    const seen = new Set<number>();
    for (let k = 0; k < 3; k++) for (const i of bs.next()) seen.add(i);
    expect(seen.size).toBe(9);
    const full = new BatchSampler(4, 4, new Rng(1));
    expect(Array.from(full.next())).toEqual([0, 1, 2, 3]);
    expect(() => new BatchSampler(4, 5, new Rng(1))).toThrow(RangeError);
  });
});
