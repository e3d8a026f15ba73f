import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { center, makeDataset, type Dataset } from "../../src/core/dataset.js";
import { Rng } from "../../src/core/rng.js";
import { lowRankGaussian } from "../../src/data/index.js";
import {
  dataSvd,
  dTildeInverseRatioMoment,
  ellipsoidSup,
  gammaOf,
  monteCarlo,
  quadForm,
  rademacher,
  regularizerForms,
  reluFeatures,
  rhoRetentive,
  ridgeSup,
  signVector,
  simplifiedRegularizer,
  theorem41Bound,
  wGammaSupLower,
} from "../../src/generalization/index.js";
import { family } from "../../src/losses/index.js";
import type { ScalarFamily } from "../../src/losses/types.js";
import { mixupLoss } from "../../src/mixup/index.js";
import { linearModel } from "../../src/models/index.js";

const logistic = family("logistic") as ScalarFamily;

function gaussianData(seed: number, n: number, d: number): Dataset {
  const rng = new Rng(seed);
  const X = Float64Array.from({ length: n * d }, () => rng.normal());
  const y = Float64Array.from({ length: n }, () => (rng.uniform() < 0.5 ? 0 : 1));
  return makeDataset(X, y, n, d);
}

describe("the ellipsoid and ridge suprema are exact", () => {
  it("d = 2: √s·‖Pσ‖/√n and √γ·‖Xᵀσ‖/n equal brute-force maxima over 2·10⁵ boundary points (to 1e-9 relative: the grid's cos(π/2·10⁵) error)", () => {
    const ds = gaussianData(1, 15, 2);
    const svd = dataSvd(ds.X, ds.n, ds.d);
    const rng = new Rng(2);
    const sigma = new Float64Array(ds.n);
    // Σ̂ = (1/n)XᵀX, and Σ̂^{-1/2} in closed form for 2×2 (eigen-decomposition by hand)
    let a = 0, b = 0, c = 0;
    for (let i = 0; i < ds.n; i++) {
      const x0 = ds.X[2 * i], x1 = ds.X[2 * i + 1];
      a += (x0 * x0) / ds.n; b += (x0 * x1) / ds.n; c += (x1 * x1) / ds.n;
    }
    const tr = a + c, det = a * c - b * b;
    const l1 = tr / 2 + Math.sqrt((tr * tr) / 4 - det), l2 = tr / 2 - Math.sqrt((tr * tr) / 4 - det);
    const e1 = Math.abs(b) > 0 ? [b, l1 - a] : [1, 0];
    const ne = Math.hypot(e1[0], e1[1]);
    const v1 = [e1[0] / ne, e1[1] / ne], v2 = [-v1[1], v1[0]];
    for (let rep = 0; rep < 5; rep++) {
      signVector(rng, sigma);
      const u = [0, 0];
      for (let i = 0; i < ds.n; i++) { u[0] += (sigma[i] * ds.X[2 * i]) / ds.n; u[1] += (sigma[i] * ds.X[2 * i + 1]) / ds.n; }
      const s = 0.7, gamma = 1.3;
      let bestE = -Infinity, bestR = -Infinity;
      const M = 200000;
      for (let t = 0; t < M; t++) {
        const ct = Math.cos((2 * Math.PI * t) / M), st = Math.sin((2 * Math.PI * t) / M);
        // θ = √s·(ct/√l1·v1 + st/√l2·v2) runs over the boundary θᵀΣ̂θ = s
        const th = [0, 1].map((k) => Math.sqrt(s) * ((ct / Math.sqrt(l1)) * v1[k] + (st / Math.sqrt(l2)) * v2[k]));
        bestE = Math.max(bestE, th[0] * u[0] + th[1] * u[1]);
        bestR = Math.max(bestR, Math.sqrt(gamma) * (ct * u[0] + st * u[1]));
      }
      const e = ellipsoidSup(svd, s, sigma);
      expect(Math.abs(e - bestE)).toBeLessThanOrEqual(1e-9 * e);
      expect(bestE).toBeLessThanOrEqual(e * (1 + 1e-14));
      const r = ridgeSup(ds, gamma, sigma);
      expect(Math.abs(r - bestR)).toBeLessThanOrEqual(1e-9 * r);
    }
  });

  it("E_σ[sup²] = s·rank/n exactly on rank-4 data in d = 20: the Monte Carlo mean of sup² covers it", () => {
    const ds = center(lowRankGaussian(new Rng(1), 200, 20, 4));
    const svd = dataSvd(ds.X, ds.n, ds.d);
    expect(svd.rank).toBe(4);
    const s = 2;
    const mc = rademacher(ds.n, 4000, new Rng(2), (sg) => ellipsoidSup(svd, s, sg) ** 2);
    const oracle = (s * svd.rank) / ds.n;
    expect(mc.ci95[0]).toBeLessThanOrEqual(oracle);
    expect(mc.ci95[1]).toBeGreaterThanOrEqual(oracle);
  });

  it("95% intervals cover the known E[sup²] in 90–99% of 200 independent runs (binomial: 95% ± 3.1 sd)", () => {
    const ds = center(lowRankGaussian(new Rng(4), 60, 10, 3));
    const svd = dataSvd(ds.X, ds.n, ds.d);
    const oracle = (1 * svd.rank) / ds.n;
    let covered = 0;
    for (let k = 0; k < 200; k++) {
      const mc = rademacher(ds.n, 200, new Rng(100 + k), (sg) => ellipsoidSup(svd, 1, sg) ** 2);
      if (mc.ci95[0] <= oracle && oracle <= mc.ci95[1]) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(180);
    expect(covered).toBeLessThanOrEqual(198);
  });

  it("monteCarlo: mean and 1.96·sd/√N", () => {
    const mc = monteCarlo(Float64Array.from([1, 2, 3, 4]));
    const half = (1.96 * Math.sqrt(5 / 3)) / 2;
    expect(mc.value).toBe(2.5);
    expect(mc.ci95[0]).toBeCloseTo(2.5 - half, 14);
    expect(mc.ci95[1]).toBeCloseTo(2.5 + half, 14);
  });
});

describe("W_γ(B): a lower estimate inside the ellipsoid", () => {
  it("each estimate is attained by a feasible θ (≤ ridge sup at γ = B²) and ≤ the ellipsoid sup at s* of the estimated ρ", () => {
    const ds = center(lowRankGaussian(new Rng(1), 200, 20, 4));
    const svd = dataSvd(ds.X, ds.n, ds.d);
    const gamma = 0.05;
    const B = 1;
    const rho = rhoRetentive(ds, svd, logistic, B, { starts: 8, rng: new Rng(3) }).value;
    const { s } = theorem41Bound(gamma, rho, svd.rank, ds.n);
    const rng = new Rng(5);
    const sigma = new Float64Array(ds.n);
    for (let k = 0; k < 30; k++) {
      signVector(rng, sigma);
      const w = wGammaSupLower(ds, svd, logistic, gamma, B, sigma);
      expect(w).toBeGreaterThan(0);
      expect(w).toBeLessThanOrEqual(ridgeSup(ds, B * B, sigma) * (1 + 1e-12));
      expect(w).toBeLessThanOrEqual(ellipsoidSup(svd, s, sigma) * (1 + 1e-12));
    }
  });
});

describe("ρ-retentiveness (an estimate from above)", () => {
  it("squared loss (A'' ≡ 1): the ratio is ≥ 1, so ρ = ½ (capped)", () => {
    const ds = gaussianData(3, 50, 4);
    const r = rhoRetentive(ds, dataSvd(ds.X, ds.n, ds.d), family("squared") as ScalarFamily, 3, { starts: 4, rng: new Rng(1) });
    expect(r.ratio).toBeGreaterThanOrEqual(1);
    expect(r.value).toBe(0.5);
    expect(r.capped).toBe(true);
  });

  it("Poisson on centered data: E[e^{vᵀx}] ≥ 1 (Jensen), so ρ = ½", () => {
    const ds = center(gaussianData(4, 60, 3));
    const r = rhoRetentive(ds, dataSvd(ds.X, ds.n, ds.d), family("poisson") as ScalarFamily, 2, { starts: 4, rng: new Rng(1) });
    expect(r.ratio).toBeGreaterThanOrEqual(1 - 1e-12);
    expect(r.value).toBe(0.5);
  });

  it("logistic, d = 2: the minimiser sits on ‖v‖ = B and the estimate is not above a 400×400 polar grid's minimum, and within 1e-3 below it", () => {
    const ds = center(gaussianData(5, 40, 2));
    const B = 2;
    const r = rhoRetentive(ds, dataSvd(ds.X, ds.n, ds.d), logistic, B, { starts: 6, rng: new Rng(2) });
    expect(Math.hypot(r.minimizer[0], r.minimizer[1])).toBeCloseTo(B, 10);
    let grid = Infinity;
    for (let a = 0; a < 400; a++) {
      for (let k = 1; k <= 400; k++) {
        const t = (B * k) / 400;
        const v = [t * Math.cos((2 * Math.PI * a) / 400), t * Math.sin((2 * Math.PI * a) / 400)];
        const q = quadForm(ds, v);
        let c = 0;
        for (let i = 0; i < ds.n; i++) c += logistic.h2(v[0] * ds.X[2 * i] + v[1] * ds.X[2 * i + 1]) / ds.n;
        grid = Math.min(grid, c / Math.min(1, q));
      }
    }
    // the grid's angular step 2π/400 changes the ratio by O(1e-4) at most; the local search refines it
    expect(r.ratio).toBeLessThanOrEqual(grid + 1e-12);
    expect(r.ratio).toBeGreaterThan(grid - 1e-3);
  });

  it("ρ(B) falls as B grows (logistic); γ(tθ) → 0 as t → ∞ (the class needs the ball)", () => {
    const ds = center(lowRankGaussian(new Rng(1), 200, 20, 4));
    const svd = dataSvd(ds.X, ds.n, ds.d);
    const rhos = [0.5, 1, 2].map((B) => rhoRetentive(ds, svd, logistic, B, { starts: 6, rng: new Rng(3) }).value);
    expect(rhos[0]).toBeGreaterThan(rhos[1]);
    expect(rhos[1]).toBeGreaterThan(rhos[2]);
    const theta = svd.right.filter((_, k) => k % svd.rank === 0);
    // on the empirical distribution every |θᵀx_i| > 0, so once t·min|θᵀx_i| ≫ 1 every A'' is e^{−t|z|}-small
    let zmin = Infinity;
    for (let i = 0; i < ds.n; i++) {
      let z = 0;
      for (let k = 0; k < ds.d; k++) z += theta[k] * ds.X[i * ds.d + k];
      zmin = Math.min(zmin, Math.abs(z));
    }
    const t = 100 / zmin;
    expect(gammaOf(ds, theta.map((v) => t * v), logistic)).toBeLessThan(1e-6 * gammaOf(ds, theta, logistic));
  });
});

describe("the regularizer forms", () => {
  const fx: Array<{ alpha: number; beta: number; value: number }> = JSON.parse(readFileSync(new URL("../fixtures/linalg/factor.json", import.meta.url), "utf8")).cases;
  it("E_D̃[(1−λ)²/λ²] against mpmath at 50 digits, to 8ε relative (the rational form: two sums of products of three ratios, ≤ 7 roundings)", () => {
    for (const c of fx) {
      const v = dTildeInverseRatioMoment(c.alpha, c.beta).value!;
      expect(Math.abs(v - c.value), `${c.alpha}, ${c.beta}`).toBeLessThanOrEqual(8 * Number.EPSILON * c.value);
    }
  });

  it("null with the reason at α ≤ 1 or β ≤ 1", () => {
    for (const [a, b] of [[1, 1], [0.5, 3], [3, 1], [1, 5]]) {
      expect(dTildeInverseRatioMoment(a, b)).toEqual({ value: null, reason: "infinite for α ≤ 1 or β ≤ 1" });
    }
  });

  it("simplified = (1/2n)·Σ A''(θᵀx_i)·factor·θᵀΣ̂θ written out; exactGap = L_mix (all pairs) − L_std to 1e-9", async () => {
    const ds = center(gaussianData(6, 30, 3));
    const model = linearModel({ theta: [0.4, -0.3, 0.8], bias: null, loss: "logistic" });
    let c = 0, q = 0;
    for (let i = 0; i < ds.n; i++) {
      const z = 0.4 * ds.X[3 * i] - 0.3 * ds.X[3 * i + 1] + 0.8 * ds.X[3 * i + 2];
      c += Math.exp(-Math.abs(z)) / (1 + Math.exp(-Math.abs(z))) ** 2;
      q += z * z;
    }
    const f = dTildeInverseRatioMoment(2, 3).value!;
    const s = simplifiedRegularizer(ds, model, logistic, 2, 3).value!;
    expect(Math.abs(s - (c / (2 * ds.n)) * f * (q / ds.n))).toBeLessThan(1e-14 * s);
    const forms = await regularizerForms(ds, model, logistic, 2, 3);
    const pairs = await mixupLoss(ds, model, logistic, 2, 3, { method: "pairs" });
    let lstd = 0;
    for (let i = 0; i < ds.n; i++) {
      const z = 0.4 * ds.X[3 * i] - 0.3 * ds.X[3 * i + 1] + 0.8 * ds.X[3 * i + 2];
      lstd += (Math.log1p(Math.exp(-Math.abs(z))) + Math.max(z, 0) - ds.y[i] * z) / ds.n;
    }
    expect(Math.abs(forms.exactGap - (pairs.value - lstd))).toBeLessThan(1e-9);
    expect(forms.simplified).toBe(s);
    expect(forms.factor).toBe(f);
  });
});

describe("Theorem 4.1's bound and the random ReLU features", () => {
  it("max{(γ/ρ)^¼, (γ/ρ)^½}·√(rank/n), s* = max{(γ/ρ)^½, γ/ρ}; the min variant is smaller when γ ≠ ρ", () => {
    expect(theorem41Bound(4, 1, 9, 100)).toEqual({ value: 2 * 0.3, s: 4 });
    expect(theorem41Bound(0.25, 1, 4, 100).value).toBeCloseTo(Math.sqrt(0.5) * 0.2, 15);
    expect(theorem41Bound(4, 1, 9, 100, "min").value).toBeCloseTo(Math.sqrt(2) * 0.3, 15);
  });

  it("φ(x) = relu(Wx) has rank m (m ≤ n) on rank-2 inputs: the features' rank is m, not the input's", () => {
    const ds = lowRankGaussian(new Rng(7), 100, 10, 2);
    for (const m of [5, 20]) {
      const { data, W } = reluFeatures(ds, m, new Rng(8));
      expect(W.length).toBe(m * 10);
      expect(data.d).toBe(m);
      for (const v of data.X) expect(v).toBeGreaterThanOrEqual(0);
      expect(dataSvd(data.X, data.n, data.d).rank).toBe(m);
    }
  });
});
