import { describe, expect, it } from "vitest";
import { InputError, OverflowError } from "../../src/core/errors.js";
import { makeDataset, type Dataset } from "../../src/core/dataset.js";
import { convolveDirect, FftPlan } from "../../src/core/fft.js";
import { Rng } from "../../src/core/rng.js";
import { family } from "../../src/losses/index.js";
import type { LossName } from "../../src/losses/types.js";
import { linearModel, predict, twoLayerModel } from "../../src/models/index.js";
import type { Model } from "../../src/models/types.js";
import { closedFormMixupLoss, convolutionMixupLoss, exactMixupLoss, mixupLoss } from "../../src/mixup/index.js";
import {
  allPairsNodeSum,
  ConvolutionPairSums,
  chooseDelta,
  integrateLambda,
  type ScalarName,
} from "../../src/mixup/convolution/index.js";
import { Lagrange } from "../../src/mixup/convolution/spread.js";
import { largeMarginInstance } from "../../proofs-checks/instances.js";
import { exactLossCases } from "../helpers/fixtures.js";

const TOL = 1e-10;

type Scalar = Exclude<LossName, "softmax">;

/** n rows, d = 3; scores of size ~scale; labels in the family's domain. */
function problem(seed: number, loss: Scalar, n: number, scale: number, bias = 0.3): { ds: Dataset; model: Model } {
  const rng = new Rng(seed);
  const d = 3;
  const X = Float64Array.from({ length: n * d }, () => rng.normal());
  const y = Float64Array.from({ length: n }, () => (loss === "logistic" ? rng.int(2) : loss === "poisson" ? rng.int(4) : rng.normal()));
  const theta = Float64Array.from({ length: d }, () => scale * rng.normal());
  return { ds: makeDataset(X, y, n, d), model: linearModel({ theta, bias: [bias], loss }) };
}

/** Two tight clusters of scores at ±c (separated classes for logistic): every cross pair crosses 0 near λ = 1/2. */
function clustered(seed: number, loss: Scalar, n: number, c: number, width: number): { ds: Dataset; model: Model } {
  const rng = new Rng(seed);
  const X = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = i % 2 === 0 ? 1 : -1;
    X[i] = s * c + width * rng.normal();
    y[i] = loss === "logistic" ? (s > 0 ? 1 : 0) : loss === "poisson" ? rng.int(3) : s + rng.normal();
  }
  return { ds: makeDataset(X, y, n, 1), model: linearModel({ theta: [1], loss }) };
}

describe("FFT and spreading", () => {
  it("FFT convolution equals direct convolution to 1e-14 of the ‖a‖₂‖b‖₂ scale; inverse∘forward = M·identity", () => {
    const rng = new Rng(1);
    for (const M of [1, 2, 4, 64, 1024, 4096]) {
      const re = Float64Array.from({ length: M }, () => rng.normal());
      const im = Float64Array.from({ length: M }, () => rng.normal());
      const r0 = re.slice(), i0 = im.slice();
      const p = FftPlan.of(M);
      p.transform(re, im);
      p.transform(re, im, true);
      for (let k = 0; k < M; k++) {
        // the textbook bound log₂M·7ε·‖x‖₂ per transform, twice; the largest |x| here is ~4
        expect(Math.abs(re[k] / M - r0[k])).toBeLessThan(1e-14 * Math.max(1, Math.log2(M)) * 4);
        expect(Math.abs(im[k] / M - i0[k])).toBeLessThan(1e-14 * Math.max(1, Math.log2(M)) * 4);
      }
    }
    const na = 300, nb = 500, M = 1024;
    const a = Float64Array.from({ length: na }, () => rng.normal());
    const b = Float64Array.from({ length: nb }, () => rng.normal());
    const direct = new Float64Array(na + nb - 1);
    convolveDirect(a, na, b, nb, direct);
    const ar = new Float64Array(M), ai = new Float64Array(M), br = new Float64Array(M), bi = new Float64Array(M);
    ar.set(a);
    br.set(b);
    const p = FftPlan.of(M);
    p.transform(ar, ai);
    p.transform(br, bi);
    const cr = new Float64Array(M), ci = new Float64Array(M);
    for (let k = 0; k < M; k++) {
      cr[k] = ar[k] * br[k] - ai[k] * bi[k];
      ci[k] = ar[k] * bi[k] + ai[k] * br[k];
    }
    p.transform(cr, ci, true);
    const scale = Math.sqrt(na * nb); // ‖a‖₂‖b‖₂ for unit normals
    for (let k = 0; k < na + nb - 1; k++) expect(Math.abs(cr[k] / M - direct[k])).toBeLessThan(3 * 10 * 7 * 2.3e-16 * scale);
  });

  it("Lagrange spreading keeps the moments of order < p (to 1e-13) and its weights sum to 1", () => {
    for (const p of [4, 8, 12, 16]) {
      const L = new Lagrange(p);
      for (const t of [0, 1e-17, 1e-9, 0.25, 0.5, 0.999999, 1 - 2 ** -52]) {
        const w = L.weights(t);
        for (let m = 0; m < p; m++) {
          let s = 0;
          for (let j = 0; j < p; j++) s += w[j] * (j - L.lo) ** m;
          expect(Math.abs(s - t ** m)).toBeLessThanOrEqual(1e-13 * Math.max(1, (p / 2) ** m));
        }
      }
    }
  });
});

describe("per-node pair sums: convolution against the compensated all-pairs sum", () => {
  const nodes = [1e-9, 0.013, 0.25, 0.4999999, 0.5, 0.77, 1 - 1e-7];
  const cases: Array<[string, Scalar, () => { ds: Dataset; model: Model }]> = [
    ["logistic, |z| ~ 3", "logistic", () => problem(11, "logistic", 200, 1.5)],
    ["logistic, |z| ~ 300 (large margins)", "logistic", () => problem(12, "logistic", 200, 150)],
    ["logistic, clustered ±40 separated classes", "logistic", () => clustered(13, "logistic", 200, 40, 0.05)],
    ["Poisson, |z| ~ 2", "poisson", () => problem(14, "poisson", 200, 0.6)],
    ["Poisson, scores up to ~40", "poisson", () => problem(15, "poisson", 200, 12)],
    ["squared, |z| ~ 100", "squared", () => problem(16, "squared", 200, 50)],
  ];
  for (const [name, loss, make] of cases) {
    it(`${name}: |conv − pairs| ≤ err estimate and ≤ 1e-12 relative, both label modes`, () => {
      const { ds, model } = make();
      const z = predict(model, ds.X, ds.n);
      let zmin = Infinity, zmax = -Infinity;
      for (const v of z) {
        zmin = Math.min(zmin, v);
        zmax = Math.max(zmax, v);
      }
      // the grid of a 1e-12 request (tol/32 per pair): what fast-exact-agrees runs
      const delta = chooseDelta(loss as ScalarName, 12, 1e-12 / 32, zmax - zmin);
      const S = new ConvolutionPairSums(z, ds.y, loss, { delta, p: 12 });
      for (const lam of nodes) {
        for (const mode of ["labelled", "label-i"] as const) {
          const c = S.at(lam, 1 - lam, mode);
          const ref = allPairsNodeSum(z, ds.y, loss, lam, 1 - lam, mode);
          const diff = Math.abs(c.value - ref);
          // the reference's own rounding: Neumaier over n² terms, ≤ 2ε·Σ|terms| + per-term few ε
          const refErr = 8 * 2.2e-16 * c.abs;
          expect(diff).toBeLessThanOrEqual(c.err + refErr);
          expect(diff).toBeLessThanOrEqual(1e-12 * c.abs);
        }
      }
    });
  }
});

describe("exact-convolution against the all-pairs quadrature (exactMixupLoss at tol 1e-12)", () => {
  const shapes: Array<[number, number]> = [
    [1, 1],
    [0.05, 0.05],
    [0.2, 0.2],
    [2, 0.5],
    [0.05, 50],
    [50, 0.05],
    [50, 50],
  ];
  // wide score ranges need ~1,000 λ nodes per run (docs/numerics.md): fewer shapes there
  const wide: Array<[number, number]> = [[0.2, 0.2], [2, 0.5], [0.05, 50]];
  const sets: Array<[string, Scalar, () => { ds: Dataset; model: Model }, Array<[number, number]>]> = [
    ["logistic", "logistic", () => problem(21, "logistic", 30, 1.5), shapes],
    ["logistic large margin |z| ~ 150", "logistic", () => problem(22, "logistic", 30, 80), wide],
    ["logistic clustered ±30", "logistic", () => clustered(23, "logistic", 30, 30, 0.02), shapes],
    ["Poisson", "poisson", () => problem(24, "poisson", 30, 0.6), shapes],
    ["Poisson clustered ±5", "poisson", () => clustered(25, "poisson", 30, 5, 0.01), shapes],
    ["squared", "squared", () => problem(26, "squared", 30, 2), shapes],
  ];
  for (const [name, loss, make, sh] of sets) {
    it(`${name}: |difference| ≤ sum of the error estimates and ≤ tol·meanAbsLoss, both forms, both pair sets`, () => {
      const { ds, model } = make();
      const F = family(loss);
      for (const [a, b] of sh) {
        for (const form of ["labelled", "label-free"] as const) {
          for (const pairs of ["all", "distinct"] as const) {
            // wide ranges: one pair set per form (each run costs ~1 s)
            if (sh === wide && (form === "labelled") !== (pairs === "all")) continue;
            const ex = exactMixupLoss(ds, model, F, a, b, { tol: 1e-12, form, pairs });
            const cv = convolutionMixupLoss(ds, model, F, a, b, { tol: TOL, form, pairs });
            const diff = Math.abs(cv.value - ex.value);
            expect(cv.method).toBe("exact-convolution");
            expect(cv.unresolved).toBe(0);
            expect(diff).toBeLessThanOrEqual(cv.errorEstimate + ex.errorEstimate);
            expect(diff).toBeLessThanOrEqual(TOL * ex.meanAbsLoss);
            expect(cv.errorEstimate).toBeLessThanOrEqual(TOL * Math.max(ex.meanAbsLoss, cv.meanAbsLoss));
          }
        }
      }
    });
  }

  it("the large-margin instance of the proofs-checks (scale 100, α = β = 0.2)", () => {
    const inst = largeMarginInstance(new Rng(3), 40, 4, 100, 0.2);
    const ex = exactMixupLoss(inst.ds, inst.model, inst.family, 0.2, 0.2, { tol: 1e-12 });
    const cv = convolutionMixupLoss(inst.ds, inst.model, inst.family, 0.2, 0.2, { tol: TOL });
    expect(Math.abs(cv.value - ex.value)).toBeLessThanOrEqual(Math.min(cv.errorEstimate + ex.errorEstimate, TOL * ex.meanAbsLoss));
  });
});

describe("error estimates bound the error against the mpmath fixtures (30 digits)", () => {
  const cases = exactLossCases().filter((c) => c.model.kind === "linear" && c.model.K === 1 && !c.family.vector);
  it("has linear scalar cases of every family", () => {
    const fams = new Set(cases.map((c) => c.family.name));
    for (const f of ["logistic", "squared", "poisson"]) expect(fams).toContain(f);
  });
  for (const c of cases) {
    it(`${c.regime}/${c.name}: |error| ≤ errorEstimate ≤ tol·max(|L|, mean|l|)`, () => {
      const scale = Math.max(Math.abs(c.mixupLoss), c.meanAbsLoss);
      const cv = convolutionMixupLoss(c.ds, c.model, c.family, c.alpha, c.beta, { tol: TOL, pairs: c.pairs });
      expect(Math.abs(cv.value - c.mixupLoss)).toBeLessThanOrEqual(cv.errorEstimate);
      expect(cv.errorEstimate).toBeLessThanOrEqual(TOL * Math.max(scale, cv.meanAbsLoss));
      const lf = convolutionMixupLoss(c.ds, c.model, c.family, c.alpha, c.beta, { tol: TOL, pairs: c.pairs, form: "label-free" });
      expect(Math.abs(lf.value - c.labelFree)).toBeLessThanOrEqual(lf.errorEstimate);
      if (c.family.name === "squared") {
        const cf = closedFormMixupLoss(c.ds, c.model, c.family, c.alpha, c.beta, { pairs: c.pairs });
        // the closed form is exact: only rounding, bounded by its estimate (≤ ~1e-14 relative)
        expect(Math.abs(cf.value - c.mixupLoss)).toBeLessThanOrEqual(cf.errorEstimate);
        expect(cf.errorEstimate).toBeLessThanOrEqual(1e-13 * scale);
      }
    });
  }
});

describe("the λ-quadrature alone (exact all-pairs node values), by node doubling", () => {
  // sharp integrands in λ: clustered scores / separated classes put every cross pair's zero crossing at
  // the same λ; the pair sums are the exact O(n²) ones, so only the λ rule is under test
  const setups: Array<[string, Scalar, () => { ds: Dataset; model: Model }]> = [
    ["logistic clustered ±60, width 0.01", "logistic", () => clustered(31, "logistic", 40, 60, 0.01)],
    ["logistic clustered ±8, width 0.001", "logistic", () => clustered(32, "logistic", 40, 8, 0.001)],
    ["Poisson clustered ±4", "poisson", () => clustered(33, "poisson", 40, 4, 0.01)],
    ["logistic large margins", "logistic", () => problem(34, "logistic", 40, 80)],
  ];
  for (const [name, loss, make] of setups) {
    for (const [a, b] of [[1, 1], [0.05, 0.05], [2, 0.5], [0.05, 50], [50, 50]] as Array<[number, number]>) {
      it(`${name}, (α, β) = (${a}, ${b}): N = 8 and N = 16 agree within the estimate, and with exactMixupLoss`, () => {
        const { ds, model } = make();
        const z = predict(model, ds.X, ds.n);
        const f = (lam: number, om: number) => {
          const v = allPairsNodeSum(z, ds.y, loss as ScalarName, lam, om, "labelled");
          return { value: v, abs: Math.abs(v), err: 0 };
        };
        const comps = a === b ? [{ a, b, c: 2 }] : [{ a, b, c: 1 }, { a: b, b: a, c: 1 }];
        const r8 = integrateLambda(f, comps, 0.5, TOL, 8);
        const r16 = integrateLambda(f, comps, 0.5, TOL, 16);
        expect(r8.unresolved).toBe(0);
        expect(r16.unresolved).toBe(0);
        const diff = Math.abs(r8.value - r16.value);
        expect(diff).toBeLessThanOrEqual(r8.quadErr + r16.quadErr + 1e-15 * r8.abs);
        expect(r8.quadErr).toBeLessThanOrEqual(TOL * r8.abs);
        const ex = exactMixupLoss(ds, model, family(loss), a, b, { tol: 1e-12 });
        expect(Math.abs(r8.value - ex.value)).toBeLessThanOrEqual(r8.quadErr + ex.errorEstimate + 1e-15 * r8.abs);
      });
    }
  }
});

describe("closed form for the squared loss", () => {
  it("is exact on integer data (equal to the rational value to rounding)", () => {
    // z = 1, 2, 4, y = 0, 1, −1; α = β = 1: c = 1/6; mean l = (0.5 + 0 + 12)/3 = 12.5/3;
    // z̄ = 7/3, ȳ = 0: L = (2/3)(12.5/3) + (1/6)(49/9) = 25/9 + 49/54 = 199/54
    const ds = makeDataset(Float64Array.from([1, 2, 4]), Float64Array.from([0, 1, -1]), 3, 1);
    const model = linearModel({ theta: [1], loss: "squared" });
    const r = closedFormMixupLoss(ds, model, family("squared"), 1, 1);
    expect(Math.abs(r.value - 199 / 54)).toBeLessThanOrEqual(4e-16 * (199 / 54));
    expect(r.errorEstimate).toBeGreaterThanOrEqual(Math.abs(r.value - 199 / 54));
    const ex = exactMixupLoss(ds, model, family("squared"), 1, 1, { tol: 1e-13 });
    expect(Math.abs(ex.value - 199 / 54)).toBeLessThanOrEqual(ex.errorEstimate);
  });
});

describe("method dispatch, bad input and determinism", () => {
  const { ds, model } = problem(41, "logistic", 25, 1.5);
  it("auto picks convolution for logistic/Poisson, closed form for squared, pairs for nets and softmax", async () => {
    expect((await mixupLoss(ds, model, family("logistic"), 0.5, 0.5)).method).toBe("exact-convolution");
    const sq = problem(42, "squared", 25, 1.5);
    expect((await mixupLoss(sq.ds, sq.model, family("squared"), 0.5, 0.5)).method).toBe("exact-closed-form");
    expect((await mixupLoss(sq.ds, sq.model, family("squared"), 0.5, 0.5, { method: "convolution" })).method).toBe("exact-convolution");
    expect((await mixupLoss(ds, model, family("logistic"), 0.5, 0.5, { method: "pairs" })).method).toBe("exact-pairs");
    const net = twoLayerModel({ W: [1, 0, 0, 0, 1, 0], m: 2, V: [1, -1], loss: "logistic" });
    expect((await mixupLoss(ds, net, family("logistic"), 0.5, 0.5)).method).toBe("exact-pairs");
  });

  it("a method that does not apply is an InputError naming --method", async () => {
    const net = twoLayerModel({ W: [1, 0, 0, 0, 1, 0], m: 2, V: [1, -1], loss: "logistic", activation: "relu" });
    for (const [m, mdl, fam] of [
      ["convolution", net, family("logistic")],
      ["closed-form", net, family("squared")],
      ["closed-form", model, family("logistic")],
    ] as const) {
      const err = await mixupLoss(ds, mdl, fam, 1, 1, { method: m }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).where).toBe("--method");
      expect((err as Error).message).toMatch(/--method/);
    }
    const soft = linearModel({ theta: [1, 0, 0, 0, 1, 0], K: 2, loss: "softmax" });
    const y = new Float64Array(2 * ds.n);
    for (let i = 0; i < ds.n; i++) y[2 * i + (i % 2)] = 1;
    const sds = makeDataset(ds.X, y, ds.n, ds.d, 2);
    const e2 = await mixupLoss(sds, soft, family("softmax"), 1, 1, { method: "convolution" }).catch((e: unknown) => e);
    expect((e2 as InputError).where).toBe("--method");
  });

  it("Poisson overflow names the row", () => {
    const ds2 = makeDataset(Float64Array.from([1, 800, 2]), Float64Array.from([0, 1, 2]), 3, 1);
    const m = linearModel({ theta: [1], loss: "poisson" });
    expect(() => convolutionMixupLoss(ds2, m, family("poisson"), 1, 1)).toThrow(OverflowError);
    expect(() => convolutionMixupLoss(ds2, m, family("poisson"), 1, 1)).toThrow(/row 2/);
  });

  it("the same bytes on repeated calls", () => {
    const a = convolutionMixupLoss(ds, model, family("logistic"), 0.3, 2);
    const b = convolutionMixupLoss(ds, model, family("logistic"), 0.3, 2);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});
