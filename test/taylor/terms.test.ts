import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { center, makeDataset } from "../../src/core/dataset.js";
import { Rng } from "../../src/core/rng.js";
import { family as familyOf } from "../../src/losses/index.js";
import type { LossName } from "../../src/losses/types.js";
import { betaMoment, m1 as m1Of, m2 as m2Of } from "../../src/mixing/index.js";
import { getParams, lossParamGrad } from "../../src/models/index.js";
import { exactMixupLoss } from "../../src/mixup/index.js";
import {
  allPairsFromDistinct,
  preactStats,
  scaleData,
  taylorTerms,
  taylorTermsPairwise,
  taylorTermsWithMoments,
  withRemainder,
} from "../../src/taylor/index.js";
import { MODEL_KINDS, randomDataset, randomModel, type ModelKind } from "../../proofs-checks/instances.js";

const LOSSES: LossName[] = ["logistic", "squared", "poisson", "softmax"];

function instance(seed: number, loss: LossName, kind: ModelKind, n = 7, d = 3, soft = false) {
  const rng = new Rng(seed);
  const K = loss === "softmax" ? 3 : 1;
  const ds = randomDataset(rng, n, d, loss, K, soft);
  const model = randomModel(rng, kind, d, loss, K, loss === "poisson" ? 0.5 : 1);
  return { ds, model, family: familyOf(loss) };
}

describe("R1, R2, R3: covariance form against the plain double sum over pairs", () => {
  // Both are sums of O(n²) terms of size ≤ abs; rounding is a few hundred ulps of abs at n = 7, so 1e-12
  // relative to abs is two orders above rounding and far below any modelling error (e.g. a dropped term).
  for (const loss of LOSSES) {
    for (const kind of MODEL_KINDS) {
      it(`${loss}/${kind}`, () => {
        for (const [seed, soft] of [[1, false], [2, true]] as const) {
          const { ds, model, family } = instance(seed, loss, kind, 7, 3, soft && (loss === "softmax" || loss === "logistic"));
          const a = 0.3 + seed;
          const b = 2.1;
          const cov = taylorTerms(ds, model, family, a, b);
          const pw = taylorTermsPairwise(ds, model, family, cov.m1, cov.m2);
          expect(Math.abs(cov.R1 - pw.R1)).toBeLessThanOrEqual(1e-12 * cov.m1 * pw.abs1);
          expect(Math.abs(cov.R2 - pw.R2)).toBeLessThanOrEqual(1e-12 * (cov.m2 / 2) * pw.abs2);
          expect(Math.abs(cov.R3 - pw.R3)).toBeLessThanOrEqual(1e-12 * (cov.m2 / 2) * Math.max(pw.abs3, 1e-300));
          expect(cov.approx).toBe(cov.standardLoss + cov.R1 + cov.R2 + cov.R3);
        }
      });
    }
  }
  it("softmax with K = 3 soft labels on a two-layer tanh net (multi-output R3)", () => {
    const { ds, model, family } = instance(9, "softmax", "tanh", 9, 4, true);
    const cov = taylorTerms(ds, model, family, 0.7, 0.7);
    const pw = taylorTermsPairwise(ds, model, family, cov.m1, cov.m2);
    expect(cov.R3).not.toBe(0);
    expect(Math.abs(cov.R3 - pw.R3)).toBeLessThanOrEqual(1e-12 * (cov.m2 / 2) * pw.abs3);
  });
});

describe("sign facts", () => {
  it("R3 = 0 for linear models and every ReLU net, ≠ 0 for softplus and tanh nets", () => {
    for (const loss of LOSSES) {
      for (const kind of MODEL_KINDS) {
        const { ds, model, family } = instance(3, loss, kind);
        const t = taylorTerms(ds, model, family, 1, 1);
        if (kind.startsWith("linear") || kind.startsWith("relu")) expect(t.R3).toBe(0);
        else expect(Math.abs(t.R3)).toBeGreaterThan(0);
      }
    }
  });
  it("R2 ≥ 0 (every family here has h'' ⪰ 0) on random instances", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.constantFrom(...LOSSES),
        fc.constantFrom(...MODEL_KINDS),
        fc.double({ min: 0.05, max: 50, noNaN: true }),
        fc.double({ min: 0.05, max: 50, noNaN: true }),
        (seed, loss, kind, a, b) => {
          const { ds, model, family } = instance(seed, loss, kind, 6, 2);
          expect(taylorTerms(ds, model, family, a, b).R2).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 150, seed: 42 },
    );
  });
});

describe("moments", () => {
  it("uses the D̃ moments m1, m2 (m2 = m1/2), not the Beta(α, β) ones", () => {
    const { ds, model, family } = instance(4, "logistic", "linear-bias");
    const t = taylorTerms(ds, model, family, 0.4, 3);
    expect(t.m1).toBe(m1Of(0.4, 3));
    expect(t.m2).toBe(m2Of(0.4, 3));
    const wrong = taylorTermsWithMoments(ds, model, family, 1 - betaMoment(0.4, 3, 1), 0);
    expect(Math.abs(wrong.R1 - t.R1)).toBeGreaterThan(1e-3 * Math.abs(t.R1));
  });
});

describe("preactStats", () => {
  it("matches a direct covariance, and is shift invariant (two-pass, no cancellation)", () => {
    const rng = new Rng(5);
    const n = 50;
    const p = 4;
    const U = new Float64Array(n * p);
    for (let k = 0; k < U.length; k++) U[k] = rng.normal();
    const { mean, cov } = preactStats(U, n, p);
    const shifted = U.map((v, k) => v + 1e8 * ((k % p) + 1));
    const s = preactStats(shifted, n, p);
    for (let r = 0; r < p; r++) {
      for (let q = 0; q < p; q++) {
        let direct = 0;
        for (let i = 0; i < n; i++) direct += (U[i * p + r] - mean[r]) * (U[i * p + q] - mean[q]);
        direct /= n;
        expect(Math.abs(cov[r * p + q] - direct)).toBeLessThan(1e-14);
        // the shift costs the data ~1e8·eps ≈ 1e-8 absolute per entry; a one-pass formula would lose everything
        expect(Math.abs(s.cov[r * p + q] - cov[r * p + q])).toBeLessThan(1e-7);
      }
    }
  });
});

describe("remainder", () => {
  it("is zero to quadrature accuracy for the squared loss with a linear model (quadratic in λ)", () => {
    for (const kind of ["linear", "linear-bias"] as const) {
      const { ds, model, family } = instance(6, "squared", kind, 8, 3);
      const r = withRemainder(taylorTerms(ds, model, family, 0.5, 2), exactMixupLoss(ds, model, family, 0.5, 2, { tol: 1e-12 }));
      expect(Math.abs(r.remainder)).toBeLessThanOrEqual(r.remainderError);
    }
  });
  it("falls like s⁴ under data scaling for linear logistic regression", () => {
    const { ds, model, family } = instance(7, "logistic", "linear", 8, 3);
    const rem = [1, 0.5, 0.25].map((s) => {
      const sd = scaleData(ds, s);
      return withRemainder(taylorTerms(sd, model, family, 1, 1), exactMixupLoss(sd, model, family, 1, 1, { tol: 1e-13 }));
    });
    for (const r of rem) expect(r.remainderError).toBeLessThan(1e-3 * Math.abs(r.remainder));
    const slope = Math.log2(Math.abs(rem[1].remainder / rem[2].remainder));
    expect(slope).toBeGreaterThan(3.7);
    expect(slope).toBeLessThan(4.3);
  });
  it("allPairsFromDistinct restores the all-pairs loss", () => {
    const { ds, model, family } = instance(8, "logistic", "relu-bias", 6, 2);
    const all = exactMixupLoss(ds, model, family, 1, 1, { tol: 1e-12 });
    const dis = exactMixupLoss(ds, model, family, 1, 1, { tol: 1e-12, pairs: "distinct" });
    const t = taylorTerms(ds, model, family, 1, 1);
    expect(Math.abs(allPairsFromDistinct(dis.value, t.standardLoss, ds.n) - all.value)).toBeLessThan(1e-11);
  });
});

describe("R1 identity on centered data (Lemma 3.1 with x̄ = 0)", () => {
  it("R1 = −m1·θᵀ∇_θL_std for a linear model without bias; −(m1/2)·pᵀ∇_pL_std for a bias-free ReLU net", () => {
    for (const [kind, factor] of [["linear", 1], ["relu", 0.5]] as const) {
      for (const loss of LOSSES) {
        const { ds: raw, model, family } = instance(10, loss, kind, 9, 3);
        const ds = center(raw);
        const t = taylorTerms(ds, model, family, 0.8, 1.3);
        const g = lossParamGrad(model, family, ds.X, ds.y, ds.n, ds.K).grad;
        const p = getParams(model);
        let dot = 0;
        let abs = 0;
        for (let k = 0; k < p.length; k++) {
          dot += p[k] * g[k];
          abs += Math.abs(p[k] * g[k]);
        }
        expect(Math.abs(t.R1 + factor * t.m1 * dot)).toBeLessThanOrEqual(1e-12 * t.m1 * abs);
      }
    }
  });
  it("breaks on uncentered data", () => {
    const { ds: raw, model, family } = instance(11, "logistic", "linear", 9, 3);
    const ds = makeDataset(raw.X.map((v) => v + 2), raw.y, raw.n, raw.d);
    const t = taylorTerms(ds, model, family, 1, 1);
    const g = lossParamGrad(model, family, ds.X, ds.y, ds.n, ds.K).grad;
    const dot = Array.from(model.kind === "linear" ? model.theta : []).reduce((s, v, k) => s + v * g[k], 0);
    expect(Math.abs(t.R1 + t.m1 * dot)).toBeGreaterThan(1e-3 * Math.abs(t.R1));
  });
});
