import { describe, expect, it } from "vitest";
import { InputError } from "../../src/core/errors.js";
import { Rng } from "../../src/core/rng.js";
import {
  betaCdf,
  betaMean,
  betaMoment,
  betaOneMinusMoment,
  betaPdf,
  betaVariance,
  sampleBeta,
  sampleBetaInto,
  sampleLogGamma,
} from "../../src/mixing/beta.js";

const SHAPES = [0.05, 0.2, 1, 2, 50];
const PAIRS = SHAPES.flatMap((a) => SHAPES.map((b) => [a, b] as const));
const DRAWS = 200_000;

describe("Beta moments (closed forms)", () => {
  it("mean, variance and moments agree with each other", () => {
    for (const [a, b] of PAIRS) {
      expect(betaMoment(a, b, 0)).toBe(1);
      expect(betaMoment(a, b, 1)).toBeCloseTo(betaMean(a, b), 15);
      const m1 = betaMoment(a, b, 1);
      const m2 = betaMoment(a, b, 2);
      expect(Math.abs(m2 - m1 * m1 - betaVariance(a, b))).toBeLessThan(1e-15);
      for (let k = 0; k < 12; k++) expect(betaOneMinusMoment(a, b, k)).toBe(betaMoment(b, a, k));
    }
  });

  it("known values: Beta(2,3) E[λ³] = 2·3·4/(5·6·7); Beta(1,1) E[λ^k] = 1/(k+1)", () => {
    expect(betaMoment(2, 3, 3)).toBeCloseTo(24 / 210, 15);
    for (let k = 0; k < 30; k++) expect(betaMoment(1, 1, k)).toBeCloseTo(1 / (k + 1), 15);
    expect(betaVariance(1, 1)).toBeCloseTo(1 / 12, 16);
  });

  it("no overflow for large k and shapes", () => {
    const v = betaMoment(1000, 1000, 500);
    expect(v).toBeGreaterThan(0);
    expect(Number.isFinite(v)).toBe(true);
  });

  it("rejects bad shapes and orders", () => {
    expect(() => betaMoment(0, 1, 2)).toThrow(InputError);
    expect(() => betaMoment(1, 1, -1)).toThrow(InputError);
    expect(() => betaMoment(1, 1, 1.5)).toThrow(InputError);
    expect(() => betaMean(1, NaN)).toThrow(InputError);
  });
});

describe("betaPdf / betaCdf (jstat, display only)", () => {
  it("match closed forms to jstat's accuracy", () => {
    expect(betaPdf(0.3, 2, 3)).toBeCloseTo(12 * 0.3 * 0.49, 12);
    for (const x of [0.01, 0.2, 0.5, 0.9]) {
      expect(betaCdf(x, 1, 1)).toBeCloseTo(x, 12);
      // arcsine law: I_x(1/2, 1/2) = (2/π) asin √x
      expect(Math.abs(betaCdf(x, 0.5, 0.5) - (2 / Math.PI) * Math.asin(Math.sqrt(x)))).toBeLessThan(1e-7);
    }
  });
});

/** Sample mean and variance (two-pass) of an array. */
function meanVar(v: Float64Array): { mean: number; variance: number } {
  let s = 0;
  for (const x of v) s += x;
  const mean = s / v.length;
  let q = 0;
  for (const x of v) q += (x - mean) * (x - mean);
  return { mean, variance: q / (v.length - 1) };
}

describe("sampleBeta", () => {
  // 5 standard errors: SE(mean) = σ/√n, SE(variance) = √((μ₄ − σ⁴)/n) with the exact central fourth moment.
  // Fixed seeds make the test deterministic; a correct sampler exceeds 5 SE with probability ~6e-7 per check.
  it.each(PAIRS)("Beta(%s, %s): mean and variance within 5 SE of exact (200k draws)", (a, b) => {
    const v = sampleBetaInto(new Rng(20210101, [Math.round(a * 100), Math.round(b * 100)]), a, b, new Float64Array(DRAWS));
    const { mean, variance } = meanVar(v);
    const mu = betaMean(a, b);
    const s2 = betaVariance(a, b);
    const [e2, e3, e4] = [2, 3, 4].map((k) => betaMoment(a, b, k));
    const mu4 = e4 - 4 * e3 * mu + 6 * e2 * mu * mu - 3 * mu ** 4;
    expect(Math.abs(mean - mu)).toBeLessThan(5 * Math.sqrt(s2 / DRAWS));
    expect(Math.abs(variance - s2)).toBeLessThan(5 * Math.sqrt((mu4 - s2 * s2) / DRAWS));
  });

  // Kolmogorov–Smirnov against jstat's CDF (good to ~1e-7, far below the KS resolution 1/√n ≈ 2e-3).
  // Critical value at level 0.001: 1.95/√n. For b < 1 a fifth of the draws lie within 1e-16 of 1 and round
  // to the same doubles (often to 1 itself), so the sample is discrete there: compare the ECDF with the CDF of
  // the *rounded* variable, i.e. with F at the rounding-interval ends v ∓ ½ulp. Above 1/2 these are evaluated
  // on the mirror side, F(v ∓ h) = 1 − I_{1−v±h}(b, a), where 1 − v ± 2^-54 is exact.
  it.each(PAIRS)("Beta(%s, %s): Kolmogorov–Smirnov (200k draws)", (a, b) => {
    const v = sampleBetaInto(new Rng(7, [Math.round(a * 100), Math.round(b * 100)]), a, b, new Float64Array(DRAWS));
    v.sort();
    const h = 2 ** -54; // half an ulp on [1/2, 1)
    let D = 0;
    for (let i = 0; i < DRAWS; ) {
      let j = i + 1;
      while (j < DRAWS && v[j] === v[i]) j++;
      const x = v[i];
      const below = x > 0.5 ? 1 - betaCdf(1 - x + h, b, a) : betaCdf(x, a, b);
      const upTo = x === 1 ? 1 : x > 0.5 ? 1 - betaCdf(1 - x - h, b, a) : betaCdf(x, a, b);
      D = Math.max(D, Math.abs(j / DRAWS - upTo), Math.abs(i / DRAWS - below));
      i = j;
    }
    expect(D).toBeLessThan(1.95 / Math.sqrt(DRAWS));
  });

  it("is deterministic: same seed, same draws; sampleBetaInto = repeated sampleBeta", () => {
    const a = sampleBetaInto(new Rng(42), 0.2, 0.2, new Float64Array(1000));
    const b = sampleBetaInto(new Rng(42), 0.2, 0.2, new Float64Array(1000));
    expect(a).toEqual(b);
    const r = new Rng(42);
    for (let i = 0; i < 1000; i++) expect(sampleBeta(r, 0.2, 0.2)).toBe(a[i]);
    const c = sampleBetaInto(new Rng(43), 0.2, 0.2, new Float64Array(1000));
    expect(c).not.toEqual(a);
  });

  it("never NaN and stays in [0,1] at extreme shapes", () => {
    for (const [a, b] of [
      [0.05, 0.05],
      [500, 500],
      [0.05, 500],
      [500, 0.05],
      [0.01, 0.01],
    ]) {
      const v = sampleBetaInto(new Rng(3), a, b, new Float64Array(50_000));
      for (const x of v) {
        expect(x >= 0 && x <= 1).toBe(true);
      }
    }
  });
});

describe("sampleLogGamma", () => {
  it("is finite for tiny shapes and has the Gamma mean and variance (= shape)", () => {
    const n = 200_000;
    for (const shape of [0.05, 0.5, 1, 3.7, 500]) {
      const rng = new Rng(11, [Math.round(shape * 100)]);
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const lg = sampleLogGamma(rng, shape);
        expect(Number.isFinite(lg)).toBe(true);
        v[i] = Math.exp(lg);
      }
      const { mean, variance } = meanVar(v);
      // Gamma(k): mean k, variance k, central 4th moment 3k² + 6k
      expect(Math.abs(mean - shape)).toBeLessThan(5 * Math.sqrt(shape / n));
      expect(Math.abs(variance - shape)).toBeLessThan(5 * Math.sqrt((3 * shape * shape + 6 * shape - shape * shape) / n));
    }
  });

  it("rejects non-positive shapes", () => {
    expect(() => sampleLogGamma(new Rng(1), 0)).toThrow(InputError);
    expect(() => sampleLogGamma(new Rng(1), -1)).toThrow(InputError);
  });
});
