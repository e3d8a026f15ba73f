import fc from "fast-check";
import { coinNet } from "../helpers/nets.js";
import { describe, expect, it } from "vitest";
import { makeDataset, type Dataset } from "../../src/core/dataset.js";
import { OverflowError } from "../../src/core/errors.js";
import { Rng } from "../../src/core/rng.js";
import { fsum } from "../../src/core/sum.js";
import { family as familyOf } from "../../src/losses/index.js";
import type { Family, LossName } from "../../src/losses/types.js";
import { logBetaAccurate } from "../../src/mixing/lbeta.js";
import { getParams, kinksAlong, linearModel, lossParamGrad, paramCount, withParams } from "../../src/models/index.js";
import type { Model } from "../../src/models/types.js";
import { exactMixupGrad, exactMixupGradParallel, exactMixupLoss } from "../../src/mixup/index.js";
import { betaIntegral, referenceMixupLoss } from "../../proofs-checks/oracles/reference.js";
import { randomDataset, randomModel, type ModelKind } from "../../proofs-checks/instances.js";

const EPS = 2.220446049250313e-16;

/** Every model kind of the brief: linear (4 losses, ± bias), two-layer relu / softplus / tanh (± biases). */
const KINDS: ReadonlyArray<{ loss: LossName; kind: ModelKind; K: number; soft?: boolean }> = [
  { loss: "logistic", kind: "linear", K: 1 },
  { loss: "logistic", kind: "linear-bias", K: 1, soft: true },
  { loss: "squared", kind: "linear", K: 1 },
  { loss: "squared", kind: "linear-bias", K: 1 },
  { loss: "poisson", kind: "linear", K: 1 },
  { loss: "poisson", kind: "linear-bias", K: 1 },
  { loss: "softmax", kind: "linear", K: 3, soft: true },
  { loss: "softmax", kind: "linear-bias", K: 3 },
  { loss: "logistic", kind: "relu", K: 1 },
  { loss: "logistic", kind: "relu-bias", K: 1 },
  { loss: "squared", kind: "relu-bias", K: 1 },
  { loss: "softmax", kind: "relu-bias", K: 3 },
  { loss: "logistic", kind: "softplus", K: 1 },
  { loss: "logistic", kind: "softplus-nobias", K: 1 },
  { loss: "poisson", kind: "tanh", K: 1 },
  { loss: "softmax", kind: "tanh-nobias", K: 3 },
];

const SHAPES: ReadonlyArray<[number, number]> = [
  [1, 1],
  [0.2, 0.2],
  [2, 0.5],
];

interface Inst {
  name: string;
  ds: Dataset;
  model: Model;
  fam: Family;
}

function instance(seed: number, k: (typeof KINDS)[number], n: number, d: number): Inst {
  const rng = new Rng(seed);
  const ds = randomDataset(rng, n, d, k.loss, k.K, k.soft);
  const model = randomModel(rng, k.kind, d, k.loss, k.K, k.loss === "poisson" ? 0.5 : 1);
  return { name: `${k.loss}/${k.kind}`, ds, model, fam: familyOf(k.loss) };
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let q = 0; q < a.length; q++) m = Math.max(m, Math.abs(a[q]));
  return m;
}

/**
 * Brute force, independent of the pair code: every ordered pair (i, j) (i = j included for pairs = all),
 * E_{λ~Beta(α,β)} of the full backprop gradient lossParamGrad at the mixed input λx_i + (1−λ)x_j with the
 * mixed label, parameter by parameter with the adaptive GK15 betaIntegral of proofs-checks/oracles/reference.ts (split
 * at the model's kinks, singular ends substituted away), summed with fsum.
 */
function bruteGrad(inst: Inst, alpha: number, beta: number, pairs: "all" | "distinct" = "all"): { grad: Float64Array; err: number } {
  const { ds, model, fam } = inst;
  const { n, d, X, y, K } = ds;
  const P = paramCount(model);
  const lb = logBetaAccurate(alpha, beta);
  const xt = new Float64Array(d);
  const yt = new Float64Array(K);
  const out = new Float64Array(P);
  const parts: number[][] = Array.from({ length: P }, () => []);
  let err = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (pairs === "distinct" && i === j) continue;
      const cache = new Map<number, Float64Array>();
      const gradAt = (lam: number): Float64Array => {
        let g = cache.get(lam);
        if (g === undefined) {
          for (let q = 0; q < d; q++) xt[q] = lam * X[i * d + q] + (1 - lam) * X[j * d + q];
          for (let q = 0; q < K; q++) yt[q] = lam * y[i * K + q] + (1 - lam) * y[j * K + q];
          g = lossParamGrad(model, fam, xt, yt, 1, K, out).grad.slice();
          cache.set(lam, g);
        }
        return g;
      };
      const breaks = [...kinksAlong(model, X, i * d, X, j * d)];
      for (let k = 0; k < P; k++) {
        const r = betaIntegral((lam) => gradAt(lam)[k], alpha, beta, lb, breaks, 1e-14);
        parts[k].push(r.value);
        err = Math.max(err, r.err);
      }
    }
  }
  const norm = pairs === "all" ? n * n : n * (n - 1);
  // err: the largest per-pair GK15 estimate; a sum of norm of them divided by norm is at most that
  return { grad: Float64Array.from(parts, (p) => fsum(p) / norm), err };
}

describe("exactMixupGrad: value = exactMixupLoss's, every model kind, shape, form and pairs mode", () => {
  for (const k of KINDS) {
    it(`${k.loss}/${k.kind}`, () => {
      const inst = instance(11, k, 5, 3);
      for (const [a, b] of SHAPES) {
        for (const pairs of ["all", "distinct"] as const) {
          let ref: Float64Array | null = null;
          let refErr = 0;
          for (const form of ["labelled", "label-free"] as const) {
            const tol = 1e-10;
            const r = exactMixupGrad(inst.ds, inst.model, inst.fam, a, b, { tol, pairs, form });
            const L = exactMixupLoss(inst.ds, inst.model, inst.fam, a, b, { tol, pairs, form });
            // two quadratures of the same integral on different nodes: they differ by at most the sum of
            // their error bounds
            expect(Math.abs(r.value - L.value)).toBeLessThanOrEqual(r.errorEstimate + L.errorEstimate);
            expect(r.grad.length).toBe(paramCount(inst.model));
            expect(r.unresolved).toBe(0);
            expect(r.method).toBe("exact-pairs");
            expect([r.pairs, r.form, r.tol]).toEqual([pairs, form, tol]);
            expect(r.gradErrorEstimate).toBeGreaterThan(0);
            // the label-free form is the same function of θ (docs/theory.md §2.5), so the same gradient: the two
            // differ by at most the sum of their gradient error bounds
            if (ref === null) {
              ref = r.grad;
              refErr = r.gradErrorEstimate;
            } else {
              for (let q = 0; q < ref.length; q++) {
                expect(Math.abs(r.grad[q] - ref[q])).toBeLessThanOrEqual(refErr + r.gradErrorEstimate);
              }
            }
          }
        }
      }
    });
  }
});

describe("exactMixupGrad against central finite differences of exactMixupLoss", () => {
  const cases: Array<[(typeof KINDS)[number], number, number]> = [
    [KINDS[1], 1, 1],
    [KINDS[3], 0.2, 0.2],
    [KINDS[5], 2, 0.5],
    [KINDS[7], 1, 1],
    [KINDS[9], 1, 1],
    [KINDS[11], 0.2, 0.2],
    [KINDS[12], 2, 0.5],
    [KINDS[15], 1, 1],
  ];
  for (const [k, a, b] of cases) {
    it(`${k.loss}/${k.kind}, α = ${a}, β = ${b}`, () => {
      const inst = instance(23, k, 6, 3);
      const r = exactMixupGrad(inst.ds, inst.model, inst.fam, a, b, { tol: 1e-13 });
      const th = getParams(inst.model);
      const gmax = maxAbs(r.grad);
      for (let q = 0; q < th.length; q += Math.max(1, Math.floor(th.length / 6))) {
        const h = 1e-5 * Math.max(1, Math.abs(th[q]));
        const tp = th.slice();
        tp[q] += h;
        const tm = th.slice();
        tm[q] -= h;
        const Lp = exactMixupLoss(inst.ds, withParams(inst.model, tp), inst.fam, a, b, { tol: 1e-13 });
        const Lm = exactMixupLoss(inst.ds, withParams(inst.model, tm), inst.fam, a, b, { tol: 1e-13 });
        const fd = (Lp.value - Lm.value) / (2 * h);
        // central difference error: h²/6·|∂³L| ≈ 2e-11·|∂³L| with |∂³L| = O(1–10) on these O(1) instances
        // (ReLU: L_mix is piecewise smooth in θ, the ±h steps move no kink past a data point here), plus
        // the loss errors over 2h (bounded by (e₊ + e₋)/2h; in practice the adaptive partition is the same
        // at θ ± h and the errors cancel), plus our own gradient error. Measured: ≤ 2e-10·max(1, max|grad|).
        const bound = (Lp.errorEstimate + Lm.errorEstimate) / (2 * h) + 1e-8 * Math.max(1, gmax) + r.gradErrorEstimate;
        expect(Math.abs(fd - r.grad[q])).toBeLessThanOrEqual(bound);
      }
    });
  }
});

describe("exactMixupGrad against a brute-force reference (tiny data, lossParamGrad at every node)", () => {
  for (const k of [KINDS[0], KINDS[2], KINDS[4], KINDS[6], KINDS[8], KINDS[10], KINDS[11], KINDS[13], KINDS[14]]) {
    for (const [a, b] of SHAPES) {
      it(`${k.loss}/${k.kind}, α = ${a}, β = ${b}`, () => {
        const inst = instance(5, k, 4, 2);
        const ref = bruteGrad(inst, a, b);
        const gmax = maxAbs(ref.grad);
        for (const form of ["labelled", "label-free"] as const) {
          const r = exactMixupGrad(inst.ds, inst.model, inst.fam, a, b, { tol: 1e-13, form });
          let worst = 0;
          for (let q = 0; q < ref.grad.length; q++) {
            const e = Math.abs(r.grad[q] - ref.grad[q]);
            worst = Math.max(worst, e);
            // our bound plus the reference's own GK15 estimate
            expect(e).toBeLessThanOrEqual(r.gradErrorEstimate + ref.err);
          }
          // tol = 1e-13 per pair relative to ∫|moment|, and ∫|moment| ≤ ~10·|grad| on these instances, so
          // ~1e-12 relative; the reference (relTol 1e-14) adds rounding of ~1e-15. Measured: ≤ 1e-14.
          expect(worst).toBeLessThanOrEqual(1e-12 * gmax);
        }
      });
    }
  }
  it("distinct pairs", () => {
    const inst = instance(9, KINDS[10], 4, 2);
    const ref = bruteGrad(inst, 0.2, 0.2, "distinct");
    const r = exactMixupGrad(inst.ds, inst.model, inst.fam, 0.2, 0.2, { tol: 1e-13, pairs: "distinct" });
    for (let q = 0; q < ref.grad.length; q++) expect(Math.abs(r.grad[q] - ref.grad[q])).toBeLessThanOrEqual(r.gradErrorEstimate + ref.err);
  });
});

describe("error estimates bound the true error (vs the brute force)", () => {
  it("random tiny instances, α, β log-uniform in [0.05, 50]", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: KINDS.length - 1 }), (seed, kk) => {
        const rng = new Rng(seed);
        const alpha = Math.exp(Math.log(0.05) + rng.uniform() * Math.log(1000));
        const beta = rng.uniform() < 0.5 ? alpha : Math.exp(Math.log(0.05) + rng.uniform() * Math.log(1000));
        const inst = instance(seed + 1, KINDS[kk], 4, 2);
        const ref = bruteGrad(inst, alpha, beta);
        const r = exactMixupGrad(inst.ds, inst.model, inst.fam, alpha, beta, { tol: 1e-8 });
        expect(r.unresolved).toBe(0);
        let worst = 0;
        for (let q = 0; q < ref.grad.length; q++) worst = Math.max(worst, Math.abs(r.grad[q] - ref.grad[q]));
        // the reference is good to its own estimate (relTol 1e-14): the rest is our error
        expect(worst).toBeLessThanOrEqual(r.gradErrorEstimate + ref.err);
        // coarse (tol 1e-3, 2/4-node Gauss–Jacobi pieces): errors of ~1e-9 relative become visible, and the
        // estimate must still cover them (measured: error ≤ 0.3 × estimate over all kinds and shapes)
        const c = exactMixupGrad(inst.ds, inst.model, inst.fam, alpha, beta, { tol: 1e-3, N: 2 });
        for (let q = 0; q < ref.grad.length; q++) expect(Math.abs(c.grad[q] - ref.grad[q])).toBeLessThanOrEqual(c.gradErrorEstimate + ref.err);
        const L = referenceMixupLoss(inst.ds, inst.model, inst.fam, alpha, beta, { relTol: 1e-14 });
        expect(Math.abs(c.value - L.value)).toBeLessThanOrEqual(c.errorEstimate + L.errorEstimate);
        expect(Math.abs(r.value - L.value)).toBeLessThanOrEqual(r.errorEstimate + L.errorEstimate);
      }),
      { numRuns: 30, seed: 3 },
    );
  });
  it("large and small α", () => {
    for (const [a, b] of [
      [50, 50],
      [0.05, 0.05],
      [40, 0.1],
    ] as const) {
      for (const k of [KINDS[0], KINDS[9], KINDS[12]]) {
        const inst = instance(31, k, 4, 2);
        const ref = bruteGrad(inst, a, b);
        for (const tol of [1e-8, 1e-12]) {
          const r = exactMixupGrad(inst.ds, inst.model, inst.fam, a, b, { tol });
          const L = exactMixupLoss(inst.ds, inst.model, inst.fam, a, b, { tol });
          expect(Math.abs(r.value - L.value)).toBeLessThanOrEqual(r.errorEstimate + L.errorEstimate);
          for (let q = 0; q < ref.grad.length; q++) expect(Math.abs(r.grad[q] - ref.grad[q])).toBeLessThanOrEqual(r.gradErrorEstimate + ref.err);
        }
      }
    }
  });
});

describe("exactMixupGrad: n = 1 and errors", () => {
  it("n = 1, all pairs: the standard-loss gradient of the single point (lossParamGrad)", () => {
    for (const k of KINDS) {
      const inst = instance(41, k, 1, 3);
      const r = exactMixupGrad(inst.ds, inst.model, inst.fam, 0.3, 0.7);
      const s = lossParamGrad(inst.model, inst.fam, inst.ds.X, inst.ds.y, 1, inst.ds.K);
      // the same products in the same order (one diagonal term, a compensated sum of one value): at most
      // a rounding or two of difference
      for (let q = 0; q < s.grad.length; q++) expect(Math.abs(r.grad[q] - s.grad[q])).toBeLessThanOrEqual(4 * EPS * Math.abs(s.grad[q]));
      expect(Math.abs(r.value - s.loss)).toBeLessThanOrEqual(4 * EPS * Math.abs(s.loss));
    }
  });
  it("distinct pairs need n ≥ 2; Poisson overflow names the rows, as the loss path", () => {
    const inst = instance(41, KINDS[0], 1, 3);
    expect(() => exactMixupGrad(inst.ds, inst.model, inst.fam, 1, 1, { pairs: "distinct" })).toThrow(RangeError);
    const X = Float64Array.from([0, 1, 2, 800]);
    const ds = makeDataset(X, Float64Array.from([1, 2, 0, 1]), 4, 1);
    const model = linearModel({ theta: [1], loss: "poisson" });
    expect(() => exactMixupGrad(ds, model, familyOf("poisson"), 1, 1)).toThrow(OverflowError);
    expect(() => exactMixupGrad(ds, model, familyOf("poisson"), 1, 1)).toThrow(/row \d+: the poisson loss may reach/);
  });
  it("exactMixupGradParallel from TS sources runs in this thread: same bytes as exactMixupGrad", async () => {
    const inst = instance(3, KINDS[9], 30, 3);
    const one = exactMixupGrad(inst.ds, inst.model, inst.fam, 1, 1);
    const par = await exactMixupGradParallel(inst.ds, inst.model, inst.fam, 1, 1, { workers: 2 });
    expect(Array.from(par.grad)).toEqual(Array.from(one.grad));
    expect(par.value).toBe(one.value);
  });
});

describe("exactMixupGradParallel (compiled, real worker threads)", () => {
  it("the same bytes with 1, 2 and 3 threads, equal to exactMixupGrad; an overflowing input is refused naming the row", async () => {
    const dist = "../../dist/src";
    const mix = await import(`${dist}/mixup/index.js`);
    const { chunkPlan } = await import(`${dist}/mixup/pairs/index.js`); // internal: the chunk plan
    const { family } = await import(`${dist}/losses/index.js`);
    const models = await import(`${dist}/models/index.js`);
    const n = 300;
    const { ds, net } = coinNet(models.twoLayerModel, 8, n, 3, 6, 0.3);
    const fam = family("logistic");
    expect(chunkPlan(n).length).toBeGreaterThanOrEqual(3);
    const key = (r: { grad: Float64Array }) => JSON.stringify({ ...r, grad: Array.from(r.grad) });
    const one = await mix.exactMixupGradParallel(ds, net, fam, 0.5, 0.5, { workers: 1 });
    const two = await mix.exactMixupGradParallel(ds, net, fam, 0.5, 0.5, { workers: 2 });
    const three = await mix.exactMixupGradParallel(ds, net, fam, 0.5, 0.5, { workers: 3 });
    expect(key(two)).toBe(key(one));
    expect(key(three)).toBe(key(one));
    expect(key(mix.exactMixupGrad(ds, net, fam, 0.5, 0.5))).toBe(key(one));
    const Xb = Float64Array.from(ds.X);
    Xb[(n - 1) * ds.d] = 400;
    const pois = models.linearModel({ theta: Float64Array.from([2, -1, 3]), loss: "poisson" });
    await expect(mix.exactMixupGradParallel(makeDataset(Xb, ds.y, n, ds.d), pois, family("poisson"), 1, 1, { workers: 2 })).rejects.toThrow(/row \d+: the poisson loss may reach/);
  });
});
