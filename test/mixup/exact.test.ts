import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeDataset } from "../../src/core/dataset.js";
import { Rng } from "../../src/core/rng.js";
import { standardLoss } from "../../src/losses/index.js";
import { predict } from "../../src/models/index.js";
import { exactMixupLoss } from "../../src/mixup/index.js";
import { referenceMixupLoss } from "../../proofs-checks/oracles/reference.js";
import { COMBOS, largeMarginInstance, randomInstance } from "../../proofs-checks/instances.js";
import { exactLossCases } from "../helpers/fixtures.js";

const TOL = 1e-10;

describe("exact Mixup loss against the mpmath fixtures (30 digits)", () => {
  const cases = exactLossCases();
  it("has cases in every regime", () => {
    const regimes = new Set(cases.map((c) => c.regime));
    for (const r of ["alpha-small", "alpha-large", "asymmetric", "large-margin", "relu-kinks", "distinct"]) expect(regimes).toContain(r);
  });
  for (const c of cases) {
    it(`${c.regime}/${c.name}: |error| ≤ tol·max(|L|, mean|l|) and ≤ errorEstimate, both forms`, () => {
      const scale = Math.max(Math.abs(c.mixupLoss), c.meanAbsLoss);
      for (const form of ["labelled", "label-free"] as const) {
        const r = exactMixupLoss(c.ds, c.model, c.family, c.alpha, c.beta, { tol: TOL, pairs: c.pairs, form });
        const err = Math.abs(r.value - c.mixupLoss);
        // the reference is good to ~1e-25: the whole difference is our error
        expect(err).toBeLessThanOrEqual(TOL * scale);
        expect(err).toBeLessThanOrEqual(r.errorEstimate);
        expect(r.unresolved).toBe(0);
        // meanAbsLoss only sets the tolerance's scale: it is the same quadrature applied to |l|, not split
        // where l changes sign (squared, Poisson), so it is good to ~1e-3 there and to 1e-10 elsewhere
        if (form === "labelled") expect(Math.abs(r.meanAbsLoss - c.meanAbsLoss)).toBeLessThanOrEqual(1e-2 * c.meanAbsLoss);
      }
      // standard loss: a mean of n values, 1e-14 relative is a few ulps
      const s = standardLoss(c.family, predict(c.model, c.ds.X, c.ds.n), c.ds.y, c.ds.n, c.ds.K);
      expect(Math.abs(s - c.standardLoss)).toBeLessThanOrEqual(1e-14 * Math.abs(c.standardLoss) + 1e-300);
    });
  }
});

describe("exact Mixup loss against an independent adaptive quadrature in input space", () => {
  it("random small data sets, every loss and model, α, β in [0.05, 50]", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: COMBOS.length - 1 }), (seed, k) => {
        const inst = randomInstance(new Rng(seed), COMBOS[k], 4, 2);
        const r = exactMixupLoss(inst.ds, inst.model, inst.family, inst.alpha, inst.beta, { tol: TOL });
        const ref = referenceMixupLoss(inst.ds, inst.model, inst.family, inst.alpha, inst.beta, { relTol: 1e-14 });
        const err = Math.abs(r.value - ref.value);
        // reference error (its own estimate) counts against us: it is ~1e-14 relative
        expect(err).toBeLessThanOrEqual(TOL * Math.max(Math.abs(r.value), r.meanAbsLoss) + ref.errorEstimate);
        expect(err).toBeLessThanOrEqual(r.errorEstimate + ref.errorEstimate);
      }),
      { numRuns: 40, seed: 7 },
    );
  });
  it("large margins (|f| in the hundreds): softplus nearly a kink along cross pairs", () => {
    for (const [scale, a, b] of [
      [100, 1, 1],
      [300, 0.2, 0.2],
      [400, 2, 0.5],
      [250, 0.05, 0.05],
    ]) {
      const inst = largeMarginInstance(new Rng(scale), 6, 3, scale, a, b);
      const r = exactMixupLoss(inst.ds, inst.model, inst.family, a, b, { tol: TOL });
      const ref = referenceMixupLoss(inst.ds, inst.model, inst.family, a, b, { relTol: 1e-14 });
      expect(Math.abs(r.value - ref.value)).toBeLessThanOrEqual(TOL * r.meanAbsLoss + ref.errorEstimate);
      expect(Math.abs(r.value - ref.value)).toBeLessThanOrEqual(r.errorEstimate + ref.errorEstimate);
    }
  });
});

describe("structure", () => {
  it("L_mix(α, β) = L_mix(β, α) over all ordered pairs, and is invariant under row permutation", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: COMBOS.length - 1 }), (seed, k) => {
        const rng = new Rng(seed);
        const inst = randomInstance(rng, COMBOS[k], 5, 2);
        const a = exactMixupLoss(inst.ds, inst.model, inst.family, inst.alpha, inst.beta);
        const b = exactMixupLoss(inst.ds, inst.model, inst.family, inst.beta, inst.alpha);
        expect(Math.abs(a.value - b.value)).toBeLessThanOrEqual(a.errorEstimate + b.errorEstimate);
        // reverse the rows
        const { n, d, K } = inst.ds;
        const X = new Float64Array(n * d);
        const y = new Float64Array(n * K);
        for (let i = 0; i < n; i++) {
          X.set(inst.ds.X.subarray((n - 1 - i) * d, (n - i) * d), i * d);
          y.set(inst.ds.y.subarray((n - 1 - i) * K, (n - i) * K), i * K);
        }
        const c = exactMixupLoss(makeDataset(X, y, n, d, K), inst.model, inst.family, inst.alpha, inst.beta);
        expect(Math.abs(a.value - c.value)).toBeLessThanOrEqual(a.errorEstimate + c.errorEstimate);
      }),
      { numRuns: 30, seed: 11 },
    );
  });
  it("the label-free rewrite agrees within the error estimates (fast-check)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: COMBOS.length - 1 }), (seed, k) => {
        const inst = randomInstance(new Rng(seed), COMBOS[k], 5, 3);
        const a = exactMixupLoss(inst.ds, inst.model, inst.family, inst.alpha, inst.beta);
        const b = exactMixupLoss(inst.ds, inst.model, inst.family, inst.alpha, inst.beta, { form: "label-free" });
        expect(Math.abs(a.value - b.value)).toBeLessThanOrEqual(a.errorEstimate + b.errorEstimate);
      }),
      { numRuns: 40, seed: 3 },
    );
  });
  it("distinct pairs: n²·L_all = n(n−1)·L_distinct + n·L_std", () => {
    const inst = randomInstance(new Rng(5), COMBOS[6], 6, 2);
    const all = exactMixupLoss(inst.ds, inst.model, inst.family, 0.7, 0.7);
    const dis = exactMixupLoss(inst.ds, inst.model, inst.family, 0.7, 0.7, { pairs: "distinct" });
    const s = standardLoss(inst.family, predict(inst.model, inst.ds.X, 6), inst.ds.y, 6, 1);
    expect(Math.abs(36 * all.value - (30 * dis.value + 6 * s))).toBeLessThanOrEqual(36 * (all.errorEstimate + dis.errorEstimate));
  });
  it("n = 1: L_mix = L_std exactly", () => {
    const inst = randomInstance(new Rng(9), COMBOS[0], 1, 3);
    const r = exactMixupLoss(inst.ds, inst.model, inst.family, 0.3, 2);
    const s = standardLoss(inst.family, predict(inst.model, inst.ds.X, 1), inst.ds.y, 1, 1);
    expect(r.value).toBe(s);
  });
});
