/**
 * Both forms in one pass (exactMixupLossBothParallel, form "both"): the labelled loss and its label-free
 * rewrite on shared pieces and nodes, each with its own error estimate. Tested as each form alone is: against
 * the 30-digit mpmath fixtures and the independent input-space quadrature, in every regime (α < 1 with the
 * Gauss–Jacobi end pieces, large α with window points, α ≠ β, large margins, ReLU kinks, distinct pairs).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { family } from "../../src/losses/index.js";
import { exactMixupLoss, exactMixupLossBothParallel, mixupLossBothForms } from "../../src/mixup/index.js";
import { GradIntegrator } from "../../src/mixup/pairs/grad.js";
import { makePairProblem } from "../../src/mixup/pairs/problem.js";
import { referenceMixupLoss } from "../../proofs-checks/oracles/reference.js";
import { COMBOS, randomInstance } from "../../proofs-checks/instances.js";
import { exactLossCases } from "../helpers/fixtures.js";

const TOL = 1e-10;

describe("both forms in one pass against the mpmath fixtures (30 digits)", () => {
  for (const c of exactLossCases()) {
    it(`${c.regime}/${c.name}: each value within tol·scale of the reference and within its own error estimate`, async () => {
      const scale = Math.max(Math.abs(c.mixupLoss), c.meanAbsLoss);
      const r = await exactMixupLossBothParallel(c.ds, c.model, c.family, c.alpha, c.beta, { tol: TOL, pairs: c.pairs, workers: 1 });
      for (const v of [r.labelled, r.labelFree]) {
        const err = Math.abs(v.value - c.mixupLoss);
        // the reference is good to ~1e-25: the whole difference is ours
        expect(err).toBeLessThanOrEqual(TOL * scale);
        expect(err).toBeLessThanOrEqual(v.errorEstimate);
        expect(v.unresolved).toBe(0);
      }
      expect(r.labelled.form).toBe("labelled");
      expect(r.labelFree.form).toBe("label-free");
      // the nodes are shared: one count for both
      expect(r.labelFree.nodes).toBe(r.labelled.nodes);
    });
  }
});

describe("both forms in one pass against the independent input-space quadrature", () => {
  it("random small data sets, every loss and model, α, β in [0.05, 50]", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: COMBOS.length - 1 }), async (seed, k) => {
        const inst = randomInstance(new Rng(seed), COMBOS[k], 4, 2);
        const r = await exactMixupLossBothParallel(inst.ds, inst.model, inst.family, inst.alpha, inst.beta, { tol: TOL, workers: 1 });
        const ref = referenceMixupLoss(inst.ds, inst.model, inst.family, inst.alpha, inst.beta, { relTol: 1e-14 });
        for (const v of [r.labelled, r.labelFree]) {
          const err = Math.abs(v.value - ref.value);
          // the reference's own error (~1e-14 relative) counts against us
          expect(err).toBeLessThanOrEqual(TOL * Math.max(Math.abs(v.value), v.meanAbsLoss) + ref.errorEstimate);
          expect(err).toBeLessThanOrEqual(v.errorEstimate + ref.errorEstimate);
        }
      }),
      { numRuns: 40, seed: 11 },
    );
  });

  it("integer shapes α = β ∈ {1, 2, 3} (every density a polynomial: the products path), logistic nets and linear", async () => {
    for (const kind of ["relu", "relu-bias", "linear"] as const) {
      const combo = COMBOS.find((c) => c.kind === kind && c.loss === "logistic")!;
      for (const a of [1, 2, 3]) {
        const inst = randomInstance(new Rng(40 + a), combo, 5, 2);
        const r = await exactMixupLossBothParallel(inst.ds, inst.model, inst.family, a, a, { tol: TOL, workers: 1 });
        const ref = referenceMixupLoss(inst.ds, inst.model, inst.family, a, a, { relTol: 1e-14 });
        for (const v of [r.labelled, r.labelFree]) {
          const err = Math.abs(v.value - ref.value);
          expect(err).toBeLessThanOrEqual(TOL * Math.max(Math.abs(v.value), v.meanAbsLoss) + ref.errorEstimate);
          expect(err).toBeLessThanOrEqual(v.errorEstimate + ref.errorEstimate);
        }
      }
    }
  });

  it("agrees with each form computed alone, within the two error estimates", async () => {
    for (let k = 0; k < COMBOS.length; k++) {
      const inst = randomInstance(new Rng(100 + k), COMBOS[k], 12, 3);
      const r = await exactMixupLossBothParallel(inst.ds, inst.model, inst.family, inst.alpha, inst.beta, { tol: TOL, workers: 1 });
      const a = exactMixupLoss(inst.ds, inst.model, inst.family, inst.alpha, inst.beta, { tol: TOL, form: "labelled" });
      const b = exactMixupLoss(inst.ds, inst.model, inst.family, inst.alpha, inst.beta, { tol: TOL, form: "label-free" });
      expect(Math.abs(r.labelled.value - a.value)).toBeLessThanOrEqual(r.labelled.errorEstimate + a.errorEstimate);
      expect(Math.abs(r.labelFree.value - b.value)).toBeLessThanOrEqual(r.labelFree.errorEstimate + b.errorEstimate);
    }
  });
});

describe("both forms in one pass: threads, dispatch, scope", () => {
  it("the same bytes on one thread and on two (fixed chunks reduced in order)", async () => {
    // a ReLU net over 300 rows: 45,150 pairs in 3 chunks of chunkPlan
    const relu = COMBOS.find((c) => c.kind === "relu" && c.loss === "logistic")!;
    const inst = randomInstance(new Rng(5), relu, 300, 4);
    const one = await exactMixupLossBothParallel(inst.ds, inst.model, inst.family, 1, 1, { tol: TOL, workers: 1 });
    const two = await exactMixupLossBothParallel(inst.ds, inst.model, inst.family, 1, 1, { tol: TOL, workers: 2 });
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
  });

  it("mixupLossBothForms: one pass for nets and softmax (pairs), two calls for a linear fast path", async () => {
    const relu = randomInstance(new Rng(3), COMBOS.find((c) => c.kind === "relu")!, 8, 2);
    const r = await mixupLossBothForms(relu.ds, relu.model, relu.family, 0.5, 2, { workers: 1 });
    expect(r.labelled.method).toBe("exact-pairs");
    expect(r.labelFree.nodes).toBe(r.labelled.nodes);
    const lin = randomInstance(new Rng(3), COMBOS.find((c) => c.kind === "linear-bias" && c.loss === "squared")!, 8, 2);
    const s = await mixupLossBothForms(lin.ds, lin.model, lin.family, 0.5, 2, {});
    expect(s.labelled.method).toBe("exact-closed-form");
    expect(Math.abs(s.labelled.value - s.labelFree.value)).toBeLessThanOrEqual(s.labelled.errorEstimate + s.labelFree.errorEstimate);
  });

  it("the gradient integrates one form: a problem of form both is refused", () => {
    const inst = randomInstance(new Rng(1), COMBOS[0], 4, 2);
    const P = makePairProblem(inst.ds, inst.model, family(inst.model.loss), 1, 1, { form: "both" });
    expect(() => new GradIntegrator(P)).toThrow(/one form/);
  });
});
