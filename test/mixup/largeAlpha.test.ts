import { describe, expect, it } from "vitest";
import { makeDataset } from "../../src/core/dataset.js";
import { Rng } from "../../src/core/rng.js";
import { family } from "../../src/losses/index.js";
import type { ScalarFamily } from "../../src/losses/types.js";
import { gaussJacobi } from "../../src/mixing/jacobi.js";
import { PieceRule } from "../../src/mixing/piece.js";
import { linearModel } from "../../src/models/index.js";
import { exactMixupLoss } from "../../src/mixup/index.js";

/**
 * Large α = β: the end-piece weights hi^a/(a·B(a,b))·(1 − hi·t)^{b−1} used to overflow times underflow
 * (∞·0 = NaN) beyond α ≈ 1500, which surfaced as a bogus "loss overflows" error on split pairs.
 */
describe("large α = β", () => {
  // (not their sum: for a = b in the thousands one 16-node end-piece rule is a poor fit to the density's
  // Gaussian peak at ½, see docs/numerics.md; the adaptive bisection takes care of that)
  it("end-piece weights are finite and non-negative at α = β = 2000 and 5000", () => {
    for (const a of [2000, 5000]) {
      const r = new PieceRule(16, a, a);
      const x = new Float64Array(16);
      const w = new Float64Array(16);
      for (const [lo, hi] of [
        [0, 0.5],
        [0.5, 1],
        [0, 0.3],
        [0.7, 1],
      ] as const) {
        r.fill(lo, hi, x, w, 0);
        for (let k = 0; k < 16; k++) {
          expect(Number.isFinite(w[k])).toBe(true);
          expect(w[k]).toBeGreaterThanOrEqual(0);
        }
      }
    }
  });

  it("linear logistic with sharp crossings (split pairs) at α = β = 5000 matches a plain Gauss–Jacobi rule", () => {
    const rng = new Rng(77);
    const n = 7;
    const d = 3;
    const X = Float64Array.from({ length: n * d }, () => rng.normal());
    const y = Float64Array.from({ length: n }, (_, i) => i % 2);
    const theta = Float64Array.from([9, -7, 5]);
    const model = linearModel({ theta, loss: "logistic" });
    const fam = family("logistic") as ScalarFamily;
    const a = 5000;
    const r = exactMixupLoss(makeDataset(X, y, n, d), model, fam, a, a, { tol: 1e-10 });
    // reference: Beta(a, a) has standard deviation ~0.007, where every pair's integrand is smooth (|slope| ≲ 60,
    // so the score moves by < 2 over ±4 sd), and a 60-node Gauss–Jacobi rule on [0, 1] is exact to rounding
    const rule = gaussJacobi(60, a, a);
    const z = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) z[i] += theta[k] * X[i * d + k];
    let ref = 0;
    let sharp = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (Math.abs(z[i] - z[j]) > 16 && z[i] * z[j] < 0) sharp++;
        for (let k = 0; k < rule.x.length; k++) {
          const lam = rule.x[k];
          ref += rule.w[k] * fam.loss(z[j] + lam * (z[i] - z[j]), y[j] + lam * (y[i] - y[j]));
        }
      }
    }
    ref /= n * n;
    expect(sharp).toBeGreaterThan(0); // the split path (graded break points, end pieces) is exercised
    expect(Number.isFinite(r.value)).toBe(true);
    expect(r.unresolved).toBe(0);
    expect(Math.abs(r.value - ref)).toBeLessThanOrEqual(1e-10 * r.meanAbsLoss);
    expect(Math.abs(r.value - ref)).toBeLessThanOrEqual(r.errorEstimate + 1e-14 * r.meanAbsLoss);
  });
});
