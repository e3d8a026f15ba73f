import { describe, expect, it } from "vitest";
import { InputError } from "../../src/core/errors.js";
import { Rng } from "../../src/core/rng.js";
import {
  DATASET_NAMES,
  applyPreprocessing,
  gaussianBlobs,
  gaussianMixture,
  lowRankGaussian,
  mixtureMeans,
  namedDataset,
  preprocess,
  twoMoons,
} from "../../src/data/index.js";
import type { Dataset } from "../../src/core/dataset.js";

/**
 * Sample moments of the rows of class c: means, variances, covariance of (x1, x2), each with its standard
 * error estimated from the same sample (sd of the summands / √m).
 */
function moments(ds: Dataset, c: number) {
  const rows: [number, number][] = [];
  for (let i = 0; i < ds.n; i++) if (ds.y[i] === c) rows.push([ds.X[2 * i], ds.X[2 * i + 1]]);
  const m = rows.length;
  const mean = (f: (r: [number, number]) => number) => rows.reduce((s, r) => s + f(r), 0) / m;
  const se = (f: (r: [number, number]) => number) => {
    const mu = mean(f);
    return Math.sqrt(rows.reduce((s, r) => s + (f(r) - mu) ** 2, 0) / (m - 1) / m);
  };
  const m1 = mean((r) => r[0]);
  const m2 = mean((r) => r[1]);
  const v1 = (r: [number, number]) => (r[0] - m1) ** 2;
  const v2 = (r: [number, number]) => (r[1] - m2) ** 2;
  const c12 = (r: [number, number]) => (r[0] - m1) * (r[1] - m2);
  return {
    m,
    mean: [m1, m2],
    meanSe: [se((r) => r[0]), se((r) => r[1])],
    var: [mean(v1), mean(v2)],
    varSe: [se(v1), se(v2)],
    cov: mean(c12),
    covSe: se(c12),
  };
}

// 5 standard errors: a correct generator misses by more with probability ≈ 6e-7 per check (normal
// approximation of a mean over 5·10⁴ points); the seed is fixed, so the test is deterministic anyway.
const Z = 5;

describe("twoMoons angles: 'uniform' (t ~ U(0, π) i.i.d.)", () => {
  it("class means and covariances match the definition within 5 standard errors over 10⁵ points", () => {
    const noise = 0.2;
    const ds = twoMoons(new Rng(11), 100000, noise, { angles: "uniform" });
    // E cos t = 0, E sin t = 2/π, Var cos t = 1/2, Var sin t = 1/2 − 4/π², Cov(cos t, sin t) = E sin(2t)/2 = 0
    const vc = 0.5 + noise ** 2;
    const vs = 0.5 - 4 / Math.PI ** 2 + noise ** 2;
    const want = [
      { mean: [0, 2 / Math.PI], var: [vc, vs] }, // outer: (cos t, sin t)
      { mean: [1, 0.5 - 2 / Math.PI], var: [vc, vs] }, // inner: (1 − cos t, 1 − sin t − 0.5)
    ];
    for (const c of [0, 1]) {
      const s = moments(ds, c);
      expect(s.m).toBe(50000);
      for (const k of [0, 1]) {
        expect(Math.abs(s.mean[k] - want[c].mean[k])).toBeLessThan(Z * s.meanSe[k]);
        expect(Math.abs(s.var[k] - want[c].var[k])).toBeLessThan(Z * s.varSe[k] + Z * s.meanSe[k] ** 2);
      }
      expect(Math.abs(s.cov)).toBeLessThan(Z * s.covSe);
    }
  });

  it("the default is linspace (today's bytes); uniform draws new angles per seed", () => {
    expect(twoMoons(new Rng(3), 50, 0.1).X).toEqual(twoMoons(new Rng(3), 50, 0.1, { angles: "linspace" }).X);
    const a = twoMoons(new Rng(3), 50, 0, { angles: "uniform" });
    expect(a.X).toEqual(twoMoons(new Rng(3), 50, 0, { angles: "uniform" }).X);
    expect(a.X).not.toEqual(twoMoons(new Rng(4), 50, 0, { angles: "uniform" }).X);
    for (let i = 0; i < 50; i++) {
      const r = a.y[i] === 0 ? Math.hypot(a.X[2 * i], a.X[2 * i + 1]) : Math.hypot(a.X[2 * i] - 1, a.X[2 * i + 1] - 0.5);
      expect(r).toBeCloseTo(1, 12);
    }
    expect(a.X.buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});

describe("gaussianMixture", () => {
  it("k = 2 gives the bytes of gaussianBlobs", () => {
    for (const [n, d, sep, std] of [[101, 3, 4, 1], [7, 1, 2, 0.5], [64, 10, 0, 2]]) {
      const a = gaussianMixture(new Rng(5), n, d, { separation: sep, std });
      const b = gaussianBlobs(new Rng(5), n, d, { separation: sep, std });
      expect(Buffer.from(a.X.buffer).equals(Buffer.from(b.X.buffer))).toBe(true);
      expect(Buffer.from(a.y.buffer).equals(Buffer.from(b.y.buffer))).toBe(true);
    }
  });

  it("k ≥ 3: means pairwise `separation` apart, centred at 0; labels i mod k; sample means within 5 SE", () => {
    for (const [k, d] of [[3, 2], [4, 5], [10, 9]]) {
      const mu = mixtureMeans(k, d, 3);
      for (let a = 0; a < k; a++) {
        for (let b = a + 1; b < k; b++) {
          let s = 0;
          for (let q = 0; q < d; q++) s += (mu[a * d + q] - mu[b * d + q]) ** 2;
          expect(Math.sqrt(s)).toBeCloseTo(3, 13);
        }
      }
      for (let q = 0; q < d; q++) {
        let s = 0;
        for (let a = 0; a < k; a++) s += mu[a * d + q];
        expect(Math.abs(s)).toBeLessThan(1e-14);
      }
    }
    const k = 3;
    const d = 2;
    const n = 30000;
    const std = 0.7;
    const ds = gaussianMixture(new Rng(2), n, d, { k, separation: 3, std });
    const mu = mixtureMeans(k, d, 3);
    expect([...ds.y.subarray(0, 6)]).toEqual([0, 1, 2, 0, 1, 2]);
    const sum = new Float64Array(k * d);
    for (let i = 0; i < n; i++) for (let q = 0; q < d; q++) sum[ds.y[i] * d + q] += ds.X[i * d + q];
    const se = std / Math.sqrt(n / k);
    for (let j = 0; j < k * d; j++) expect(Math.abs(sum[j] / (n / k) - mu[j])).toBeLessThan(Z * se);
  });

  it("rejects k > d + 1 for k ≥ 3 and k < 2", () => {
    expect(() => gaussianMixture(new Rng(1), 10, 2, { k: 4 })).toThrow(RangeError);
    expect(() => gaussianMixture(new Rng(1), 10, 2, { k: 1 })).toThrow(RangeError);
  });
});

/** Rank of the rows of an n×d matrix: modified Gram–Schmidt (twice), a row is new if its residual > 1e-9·‖row‖. */
function numericalRank(X: Float64Array, n: number, d: number): number {
  const basis: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    const v = Float64Array.from(X.subarray(i * d, (i + 1) * d));
    const norm0 = Math.hypot(...v);
    for (let pass = 0; pass < 2; pass++) {
      for (const b of basis) {
        let dot = 0;
        for (let q = 0; q < d; q++) dot += b[q] * v[q];
        for (let q = 0; q < d; q++) v[q] -= dot * b[q];
      }
    }
    const norm = Math.hypot(...v);
    if (norm > 1e-9 * norm0) basis.push(v.map((x) => x / norm));
  }
  return basis.length;
}

describe("lowRankGaussian", () => {
  it("X has numerical rank r; labels in {0, 1}; deterministic", () => {
    for (const [d, r] of [[20, 3], [8, 8], [30, 1]]) {
      const ds = lowRankGaussian(new Rng(9), 200, d, r);
      expect(numericalRank(ds.X, 200, d)).toBe(r);
      expect([...ds.y].every((v) => v === 0 || v === 1)).toBe(true);
      expect(ds.X).toEqual(lowRankGaussian(new Rng(9), 200, d, r).X);
      expect(ds.y).toEqual(lowRankGaussian(new Rng(9), 200, d, r).y);
      expect(ds.X).not.toEqual(lowRankGaussian(new Rng(10), 200, d, r).X);
    }
  });

  it("mean ‖x‖²/d ≈ 1 within 5 standard errors (‖x‖²/d = ‖z‖²/r, variance 2/r); both labels occur about equally", () => {
    const n = 20000;
    const d = 50;
    const r = 3;
    const ds = lowRankGaussian(new Rng(4), n, d, r);
    let s = 0;
    for (let i = 0; i < n * d; i++) s += ds.X[i] * ds.X[i];
    expect(Math.abs(s / n / d - 1)).toBeLessThan(Z * Math.sqrt(2 / r / n));
    // P(y = 1) = E σ(scale·wᵀz) = 1/2 (wᵀz is symmetric): binomial SE √(1/(4n))
    const ones = ds.y.reduce((a, v) => a + v, 0);
    expect(Math.abs(ones / n - 0.5)).toBeLessThan(Z * Math.sqrt(0.25 / n));
  });

  it("rejects r > d", () => {
    expect(() => lowRankGaussian(new Rng(1), 10, 3, 4)).toThrow(RangeError);
  });
});

describe("preprocess / applyPreprocessing", () => {
  it("standardize: train features mean 0 and sd 1; a constant feature is only centered; test uses the train statistics", () => {
    const X = new Float64Array([1, 5, 2, 2, 5, 4, 3, 5, 9, 4, 5, 1]); // 4 rows × 3, feature 2 constant
    const train: Dataset = { n: 4, d: 3, K: 1, X, y: new Float64Array(4) };
    const { data, stats } = preprocess(train, { standardize: true });
    expect(stats.record).toEqual({ center: true, standardize: true, constantFeatures: 1 });
    for (let k = 0; k < 3; k++) {
      const col = [0, 1, 2, 3].map((i) => data.X[i * 3 + k]);
      const m = col.reduce((a, b) => a + b, 0) / 4;
      const sd = Math.sqrt(col.reduce((a, b) => a + (b - m) ** 2, 0) / 4);
      expect(Math.abs(m)).toBeLessThan(1e-15);
      if (k === 1) expect(col).toEqual([0, 0, 0, 0]);
      else expect(sd).toBeCloseTo(1, 14);
    }
    const test: Dataset = { n: 1, d: 3, K: 1, X: new Float64Array([2.5, 6, 0]), y: new Float64Array(1) };
    const t = applyPreprocessing(test, stats);
    // feature 0: mean 2.5, sd √1.25; feature 1: 6 − 5; feature 2: mean 4, sd √(37/2)/... computed directly
    expect(t.X[0]).toBe(0);
    expect(t.X[1]).toBe(1);
    const m2 = 4;
    const sd2 = Math.sqrt(((2 - m2) ** 2 + (4 - m2) ** 2 + (9 - m2) ** 2 + (1 - m2) ** 2) / 4);
    expect(t.X[2]).toBeCloseTo((0 - m2) / sd2, 14);
    expect(train.X[0]).toBe(1); // the input is not modified
  });

  it("no options: the data as they are; center only: no scaling", () => {
    const train: Dataset = { n: 2, d: 1, K: 1, X: new Float64Array([1, 3]), y: new Float64Array(2) };
    expect(preprocess(train).data).toBe(train);
    const c = preprocess(train, { center: true });
    expect([...c.data.X]).toEqual([-1, 1]);
    expect(c.stats.record).toEqual({ center: true, standardize: false, constantFeatures: 0 });
  });
});

describe("namedDataset", () => {
  const bad = (name: string, params: object, where: string, re: RegExp) => {
    try {
      namedDataset(name, params, new Rng(0));
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).where).toBe(where);
      expect((e as Error).message).toMatch(re);
      return;
    }
    throw new Error("no error");
  };

  it("unknown names and bad parameters are InputErrors naming the option", () => {
    bad("moons", {}, "--dataset", /two-moons, gaussian-mixture, low-rank-gaussian, mnist/);
    bad("mnist", { digits: [3, 10] }, "--digits", /10/);
    bad("mnist", { digits: [4, 4] }, "--digits", /differ/);
    bad("low-rank-gaussian", { d: 5, rank: 6 }, "--rank", /exceeds/);
    bad("two-moons", { n: 0 }, "--n", /≥ 1/);
    bad("gaussian-mixture", { classes: 5, d: 2 }, "--classes", /--d ≥ 4/);
    bad("mnist", { n: 5000, nTest: 10 }, "--n", /exceeds/);
  });

  it("fills in every parameter; same seed same bytes; train and test differ; one-hot labels for k ≥ 3", () => {
    expect(DATASET_NAMES).toEqual(["two-moons", "gaussian-mixture", "low-rank-gaussian", "mnist"]);
    const a = namedDataset("two-moons", {}, new Rng(1));
    expect(a.meta).toEqual({
      name: "two-moons",
      params: { n: 200, nTest: 200, noise: 0.1, angles: "uniform" },
      preprocessing: { center: false, standardize: false, constantFeatures: 0 },
    });
    expect(a.train.X).toEqual(namedDataset("two-moons", {}, new Rng(1)).train.X);
    expect(a.train.X).not.toEqual(a.test.X);
    const g = namedDataset("gaussian-mixture", { classes: 3, d: 4, n: 30, nTest: 0, center: true }, new Rng(1));
    expect(g.meta.params).toEqual({ n: 30, nTest: 0, d: 4, classes: 3, separation: 2, std: 1 });
    expect([g.train.K, g.train.n, g.test.n]).toEqual([3, 30, 0]);
    expect([...g.train.y.subarray(0, 6)]).toEqual([1, 0, 0, 0, 1, 0]);
    expect(g.meta.preprocessing.center).toBe(true);
    const l = namedDataset("low-rank-gaussian", { n: 50, nTest: 20 }, new Rng(2));
    expect(l.meta.params).toEqual({ n: 50, nTest: 20, d: 20, rank: 2, scale: 2 });
    // train and test are one draw: the same rank-2 subspace
    const both = new Float64Array(70 * 20);
    both.set(l.train.X);
    both.set(l.test.X, 50 * 20);
    expect(numericalRank(both, 70, 20)).toBe(2);
  });
});
