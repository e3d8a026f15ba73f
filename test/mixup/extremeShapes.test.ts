import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_SHAPE, MIN_SHAPE } from "../../src/core/constants.js";
import { makeDataset, type Dataset } from "../../src/core/dataset.js";
import { InputError } from "../../src/core/errors.js";
import { Rng } from "../../src/core/rng.js";
import { family } from "../../src/losses/index.js";
import type { LossName } from "../../src/losses/types.js";
import { gaussJacobi } from "../../src/mixing/jacobi.js";
import { linearModel, twoLayerModel } from "../../src/models/index.js";
import type { Model } from "../../src/models/types.js";
import { closedFormMixupGrad, closedFormMixupLoss, convolutionMixupGrad, convolutionMixupLoss, exactMixupGrad, exactMixupLoss, mixupLoss, monteCarloMixupLoss, type ExactResult } from "../../src/mixup/index.js";
import { exactLossCases } from "../helpers/fixtures.js";

/**
 * Extreme Beta shapes (docs/numerics.md, "Extreme Beta shapes"): α, β from 1e-100 to 1e15. The references
 * here are independent of the quadrature: the label-free form (other components, other nodes), the O(n)
 * convolution (other method), and seeded Monte Carlo (sampling). The 30-digit mpmath values are in
 * exact.test.ts through the fixtures.
 */

/** The example of docs/cli.md: 6 rows, 2 features, hard labels; its ReLU net and linear model. */
const docsData = makeDataset(Float64Array.of(0.5, 1.2, -0.3, 0.8, 1.1, -0.4, -1.2, -0.7, 0.2, 0.1, -0.6, 1.5), Float64Array.of(1, 0, 1, 0, 1, 0), 6, 2);
const docsRelu = twoLayerModel({ W: [1.0, -0.5, 0.3, 0.8, -0.7, 0.4], m: 3, b: [0.1, -0.2, 0.0], V: [1.5, -0.8, 0.6], c: [0.05], loss: "logistic" });
const docsLin = linearModel({ theta: [1.2, -0.4], bias: [0.1], loss: "logistic" });
const logistic = family("logistic");

/** |a − b| within the two error estimates (and 8ε of the scale for rounding). */
function agree(a: ExactResult | { value: number; errorEstimate: number; meanAbsLoss: number }, b: { value: number; errorEstimate: number }): void {
  expect(Math.abs(a.value - b.value)).toBeLessThanOrEqual(a.errorEstimate + b.errorEstimate + 8 * 2.2e-16 * a.meanAbsLoss);
}

describe("extreme shapes: the regressions of the report", () => {
  it("ReLU net of docs/cli.md at α = β = 1e5, 1e6, 1e9: within the 2·10⁵-sample Monte Carlo interval, both forms", () => {
    // the report: 0.575669 ± 9.5e-13, 0.4226, 0.2423 (truth ≈ 0.68341, Monte Carlo interval [0.68226, 0.68400])
    for (const a of [1e5, 1e6, 1e9]) {
      const r = exactMixupLoss(docsData, docsRelu, logistic, a, a);
      const lf = exactMixupLoss(docsData, docsRelu, logistic, a, a, { form: "label-free" });
      expect(r.unresolved).toBe(0);
      expect(r.value).toBeGreaterThan(0.68226);
      expect(r.value).toBeLessThan(0.684);
      agree(r, lf);
    }
  });

  it("linear auto at α = β = 3e8 and (α, β) = (1, 1e9): the convolution's value, not 0 ± 0, equal to the pairs'", async () => {
    for (const [a, b] of [[3e8, 3e8], [1, 1e9], [1e9, 1]]) {
      const auto = await mixupLoss(docsData, docsLin, logistic, a, b);
      const pairs = exactMixupLoss(docsData, docsLin, logistic, a, b);
      expect(auto.method).toBe("exact-convolution");
      expect(auto.value).toBeGreaterThan(0.3);
      agree(pairs, auto as ExactResult);
    }
  });

  it("tiny shapes: α = 1e-14 finishes on the convolution, α ≤ 1e-16 builds its rules (QL failed)", async () => {
    for (const a of [1e-14, 1e-16, 1e-40, MIN_SHAPE]) {
      const auto = await mixupLoss(docsData, docsLin, logistic, a, a);
      const pairs = exactMixupLoss(docsData, docsLin, logistic, a, a);
      expect(auto.method).toBe("exact-convolution");
      agree(pairs, auto as ExactResult);
      // α → 0: L_mix → L_std with a gap of order α
      expect(Math.abs(pairs.value - 0.38860226862512887)).toBeLessThan(1e-12 + 10 * a);
    }
    for (const N of [8, 16, 200]) {
      for (const a of [1e-16, 1e-60, MIN_SHAPE]) {
        const r = gaussJacobi(N, a, 1);
        // nearly all of the mass on the first node, next to 0; the rest O(a)
        expect(r.w[0]).toBeGreaterThan(1 - 1e3 * a - 1e-15);
        expect(r.x[0]).toBeLessThan(1e3 * a);
        expect(r.w.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 14);
      }
    }
  });

  it("shapes outside [1e-100, 1e15] are refused with the reason, naming alpha or beta", () => {
    for (const [a, b, where] of [[5e-324, 1, "alpha"], [1, 1e300, "beta"], [0, 1, "alpha"], [Number.NaN, 1, "alpha"], [1, -1, "beta"], [1e-101, 1, "alpha"], [1, 2e15, "beta"]] as Array<[number, number, string]>) {
      let err: unknown;
      try {
        exactMixupLoss(docsData, docsLin, logistic, a, b);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).where).toBe(where);
      expect((err as Error).message).toContain("[1e-100, 1e15]");
      expect(() => convolutionMixupLoss(docsData, docsLin, logistic, a, b)).toThrow(InputError);
    }
    // the ends themselves are accepted
    expect(exactMixupLoss(docsData, docsLin, logistic, MIN_SHAPE, MAX_SHAPE).unresolved).toBe(0);
  });
});

/** A random small problem of each model kind (logistic, or the named loss for linear models). */
function problem(seed: number, kind: "linear" | "relu" | "softplus" | "tanh", loss: LossName): { ds: Dataset; model: Model } {
  const rng = new Rng(seed);
  const n = 5;
  const d = 2;
  const X = Float64Array.from({ length: n * d }, () => rng.normal() * 1.5);
  const y = Float64Array.from({ length: n }, () => (loss === "poisson" ? rng.int(4) : loss === "squared" ? rng.normal() : rng.int(2)));
  const ds = makeDataset(X, y, n, d);
  const s = loss === "poisson" ? 0.5 : 2;
  if (kind === "linear") return { ds, model: linearModel({ theta: [rng.normal() * s, rng.normal() * s], bias: [rng.normal()], loss }) };
  const m = 4;
  const model = twoLayerModel({
    W: Float64Array.from({ length: m * d }, () => rng.normal() * s),
    m,
    V: Float64Array.from({ length: m }, () => rng.normal()),
    b: Float64Array.from({ length: m }, () => rng.normal()),
    c: [rng.normal()],
    activation: kind,
    loss,
  });
  return { ds, model };
}

describe("extreme shapes: property tests against independent computations", () => {
  // log-uniform shapes over the whole accepted range, each end weighted: the rewrite identity (other components,
  // other nodes) must hold within the two error estimates, with nothing unresolved
  const logShape = fc.double({ min: Math.log10(MIN_SHAPE), max: Math.log10(MAX_SHAPE), noNaN: true }).map((e) => 10 ** e);
  const kinds = ["linear", "relu", "softplus", "tanh"] as const;

  it("labelled and label-free forms agree within their estimates for α, β log-uniform in [1e-100, 1e15]", () => {
    fc.assert(
      fc.property(logShape, logShape, fc.constantFrom(...kinds), fc.integer({ min: 1, max: 1e6 }), (a, b, kind, seed) => {
        const { ds, model } = problem(seed, kind, "logistic");
        const r = exactMixupLoss(ds, model, logistic, a, b);
        const lf = exactMixupLoss(ds, model, logistic, a, b, { form: "label-free" });
        expect(r.unresolved).toBe(0);
        expect(lf.unresolved).toBe(0);
        expect(Number.isFinite(r.value) && Number.isFinite(r.errorEstimate)).toBe(true);
        expect(r.errorEstimate).toBeLessThanOrEqual(1e-10 * r.meanAbsLoss);
        agree(r, lf);
      }),
      { numRuns: 120, seed: 11 },
    );
  });

  it("linear logistic and Poisson: the pairs and the O(n) convolution agree for α, β log-uniform in [1e-100, 1e15]", () => {
    fc.assert(
      fc.property(logShape, logShape, fc.constantFrom<LossName>("logistic", "poisson"), fc.integer({ min: 1, max: 1e6 }), (a, b, loss, seed) => {
        const { ds, model } = problem(seed, "linear", loss);
        const F = family(loss);
        const r = exactMixupLoss(ds, model, F, a, b);
        const c = convolutionMixupLoss(ds, model, F, a, b);
        expect(c.unresolved).toBe(0);
        agree(r, c);
      }),
      { numRuns: 80, seed: 12 },
    );
  });

  it("the gradient: the labelled and label-free gradients agree within their bounds at extreme shapes", () => {
    for (const [a, b] of [[1e-100, 1e-100], [1e-14, 1e-14], [1e-15, 1e8], [1, 1e9], [1e5, 1e5], [1e9, 1e9], [MAX_SHAPE, MAX_SHAPE], [0.5, 1e-12]]) {
      for (const kind of kinds) {
        const { ds, model } = problem(Math.round(Math.log10(a) * 7 + Math.log10(b)) + 100, kind, "logistic");
        const g = exactMixupGrad(ds, model, logistic, a, b);
        const h = exactMixupGrad(ds, model, logistic, a, b, { form: "label-free" });
        expect(g.unresolved + h.unresolved).toBe(0);
        for (let k = 0; k < g.grad.length; k++) {
          expect(Math.abs(g.grad[k] - h.grad[k])).toBeLessThanOrEqual(g.gradErrorEstimate + h.gradErrorEstimate + 1e-15);
        }
      }
    }
  });

  it("exact values lie within 5 standard errors of seeded Monte Carlo at extreme shapes (sampling, no quadrature)", () => {
    const rng = new Rng(2026);
    for (const [a, b] of [[1e-12, 1e-12], [1e-3, 5], [2.5, 1e7], [1e6, 3e5], [1e12, 1e12]]) {
      for (const kind of ["linear", "relu"] as const) {
        const { ds, model } = problem(7, kind, "logistic");
        const r = exactMixupLoss(ds, model, logistic, a, b);
        const mc = monteCarloMixupLoss(ds, model, logistic, a, b, { samples: 100_000, rng: rng.fork(Math.round(Math.log(a * b) * 10) + (kind === "relu" ? 1 : 0)) });
        expect(mc.stdError).not.toBeNull();
        expect(Math.abs(r.value - mc.value)).toBeLessThanOrEqual(5 * mc.stdError! + 1e-12);
      }
    }
  });
});

describe("extreme shapes against 50-digit mpmath (test/fixtures/extreme-shapes, two integration methods agreeing to 1e-35)", () => {
  const TOL = 1e-10;
  for (const c of exactLossCases("extreme-shapes")) {
    const scale = (r: { value: number; meanAbsLoss: number }) => Math.max(Math.abs(r.value), r.meanAbsLoss, c.meanAbsLoss);
    it(`${c.name}: the loss in both forms and its gradient, |error| ≤ errorEstimate ≤ tol·scale`, () => {
      for (const form of ["labelled", "label-free"] as const) {
        const r = exactMixupLoss(c.ds, c.model, c.family, c.alpha, c.beta, { tol: TOL, pairs: c.pairs, form });
        const err = Math.abs(r.value - c.mixupLoss);
        expect(r.unresolved).toBe(0);
        expect(err).toBeLessThanOrEqual(r.errorEstimate);
        expect(r.errorEstimate).toBeLessThanOrEqual(TOL * scale(r));
      }
      const ref = c.gradDecimalData ?? c.grad!;
      const g = exactMixupGrad(c.ds, c.model, c.family, c.alpha, c.beta, { tol: TOL, pairs: c.pairs });
      expect(Math.abs(g.value - c.mixupLoss)).toBeLessThanOrEqual(g.errorEstimate);
      for (let k = 0; k < ref.length; k++) expect(Math.abs(g.grad[k] - ref[k])).toBeLessThanOrEqual(g.gradErrorEstimate);
    });
    if (c.model.kind === "linear" && !c.family.vector) {
      it(`${c.name}: the O(n) path (${c.family.name === "squared" ? "closed form" : "convolution"}) and its gradient`, async () => {
        const o = { tol: TOL, pairs: c.pairs };
        const e = c.family.name === "squared" ? closedFormMixupLoss(c.ds, c.model, c.family, c.alpha, c.beta, o) : convolutionMixupLoss(c.ds, c.model, c.family, c.alpha, c.beta, o);
        expect(Math.abs(e.value - c.mixupLoss)).toBeLessThanOrEqual(e.errorEstimate);
        // auto: whichever method its cost model picks (pairs for few rows with very wide scores)
        const r = (await mixupLoss(c.ds, c.model, c.family, c.alpha, c.beta, o)) as ExactResult;
        expect(Math.abs(r.value - c.mixupLoss)).toBeLessThanOrEqual(r.errorEstimate);
        const g = c.family.name === "squared" ? closedFormMixupGrad(c.ds, c.model, c.family, c.alpha, c.beta, { pairs: c.pairs }) : convolutionMixupGrad(c.ds, c.model, c.family, c.alpha, c.beta, { tol: TOL, pairs: c.pairs });
        const ref = c.gradDecimalData ?? c.grad!;
        for (let k = 0; k < ref.length; k++) expect(Math.abs(g.grad[k] - ref[k])).toBeLessThanOrEqual(g.gradErrorEstimate);
      });
    }
  }
});
