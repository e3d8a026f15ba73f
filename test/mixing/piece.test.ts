import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/core/errors.js";
import { betaMoment, betaOneMinusMoment } from "../../src/mixing/beta.js";
import { dTildeComponents, dTildeMoment } from "../../src/mixing/dtilde.js";
import { gaussJacobi } from "../../src/mixing/jacobi.js";
import { MixturePieceRule, PieceRule } from "../../src/mixing/piece.js";
import { fixture, relErr } from "./fixture.js";

const AB = [0.05, 0.1, 0.2, 0.5, 0.9, 1, 1.5, 2, 5, 20, 50];
const PAIRS = AB.flatMap((a) => AB.map((b) => [a, b] as const));
const PARTITIONS = [
  [0, 0.3, 0.5, 0.77, 1],
  [0, 0.5, 1],
];

/** E[e^λ] = Σ_k E[λ^k]/k! (positive terms; 40 terms leave < 1e-47). */
function expMoment(a: number, b: number): number {
  let s = 0;
  let f = 1;
  for (let k = 0; k < 40; k++) {
    if (k > 0) f /= k;
    s += betaMoment(a, b, k) * f;
  }
  return s;
}

/** E[1/(1+λ)] = E[1/(2 − (1−λ))] = ½ Σ_k 2^{−k} E[(1−λ)^k] (positive terms; 70 terms leave < 1e-21). */
function inv1pMoment(a: number, b: number): number {
  let s = 0;
  for (let k = 0; k < 70; k++) s += 2 ** -k * betaOneMinusMoment(a, b, k);
  return s / 2;
}

/** Nodes x, complements y and weights of a whole partition, each piece filled at its own offset. */
function partitionRule(rule: { fill: PieceRule["fill"] }, per: number, cuts: readonly number[]) {
  const n = per * (cuts.length - 1);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i + 1 < cuts.length; i++) expect(rule.fill(cuts[i], cuts[i + 1], x, w, i * per, y)).toBe(per);
  return { x, y, w };
}

/**
 * Worst relative error over the partition sums of: weights (vs 1), λ^p and (1−λ)^p for p ≤ 12, e^λ, 1/(1+λ).
 */
function partitionError(N: number, a: number, b: number, cuts: readonly number[]): number {
  const { x, y, w } = partitionRule(new PieceRule(N, a, b), N, cuts);
  let worst = 0;
  for (let p = 0; p <= 12; p++) {
    let sx = 0;
    let sy = 0;
    for (let k = 0; k < x.length; k++) {
      sx += w[k] * x[k] ** p;
      sy += w[k] * y[k] ** p;
    }
    worst = Math.max(worst, relErr(sx, betaMoment(a, b, p)), relErr(sy, betaOneMinusMoment(a, b, p)));
  }
  let se = 0;
  let si = 0;
  for (let k = 0; k < x.length; k++) {
    se += w[k] * Math.exp(x[k]);
    si += w[k] / (1 + x[k]);
  }
  return Math.max(worst, relErr(se, expMoment(a, b)), relErr(si, inv1pMoment(a, b)));
}

describe("PieceRule: single pieces against 50-digit mpmath", () => {
  // Each piece's ∫ g p for g = 1, e^λ, 1/(1+λ) (fixture: mpmath betainc and tanh-sinh quad), incl. the
  // singular end pieces [0, 0.1] and [0.9, 1] at shape 0.05 and pieces of mass down to 1e-53. Tolerance 1e-12
  // relative with N = 20 and N = 30; measured ≤ 2.1e-14 for both (the worst is Beta(50,1) on [0, 0.1], mass
  // 0.1^50: exp(50·log 0.1) carries 50·2.3·ε). With N = 10 the interior pieces only reach ~1e-6 for shape 50.
  it.each(fixture.pieces.map((p) => [p.a, p.b, p.lo, p.hi, p] as const))("Beta(%s, %s) on [%s, %s]", (a, b, lo, hi, ref) => {
    for (const N of [20, 30]) {
      const x = new Float64Array(N);
      const w = new Float64Array(N);
      new PieceRule(N, a, b).fill(lo, hi, x, w, 0);
      let m = 0;
      let e = 0;
      let i = 0;
      for (let k = 0; k < N; k++) {
        m += w[k];
        e += w[k] * Math.exp(x[k]);
        i += w[k] / (1 + x[k]);
      }
      expect(relErr(m, ref.mass)).toBeLessThan(1e-12);
      expect(relErr(e, ref.exp)).toBeLessThan(1e-12);
      expect(relErr(i, ref.inv1p)).toBeLessThan(1e-12);
    }
  });

  it("singular end piece ∫_0^0.1 p for α = 0.05 equals mpmath.betainc(α, b, 0, 0.1, regularized)", () => {
    const refs = fixture.pieces.filter((p) => p.a === 0.05 && p.lo === 0 && p.hi === 0.1);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const x = new Float64Array(20);
      const w = new Float64Array(20);
      new PieceRule(20, 0.05, ref.b).fill(0, 0.1, x, w, 0);
      expect(relErr(w.reduce((s, v) => s + v, 0), ref.mass)).toBeLessThan(1e-13);
    }
  });
});

describe("PieceRule: partitions of [0,1] against closed forms", () => {
  // Sums over the partition must reproduce full-interval closed forms: E[λ^p], E[(1−λ)^p] (p ≤ 12), E[e^λ]
  // (Kummer series) and E[1/(1+λ)] (series in 1−λ), tolerance 1e-12 relative, N = 20 and 30 per piece.
  // Σ weights must be 1 to 1e-13. Measured: N = 30 ≤ 1e-14; N = 20 ≤ 6e-13 (Beta(50, b ≤ 2): on [1/2, 1] the
  // folded factor λ^{49} = (1 − t/2)^{49} is steep, and E[(1−λ)^12] ~ 1e-20 is the quantity that suffers);
  // Σw − 1 ≤ 9e-15.
  it.each(PAIRS)("Beta(%s, %s)", (a, b) => {
    for (const cuts of PARTITIONS) {
      for (const N of [20, 30]) {
        expect(partitionError(N, a, b, cuts)).toBeLessThan(1e-12);
        const { w } = partitionRule(new PieceRule(N, a, b), N, cuts);
        expect(Math.abs(w.reduce((s, v) => s + v, 0) - 1)).toBeLessThan(1e-13);
      }
    }
  });

  // Random partitions: 1–6 breakpoints uniform in [0.05, 0.95] plus 1/2 (the documented use: split at 1/2,
  // keep breakpoints away from 0 and 1), shapes uniform in [0.05, 50], N = 30. Why N = 30: an interior piece
  // [0.05, 0.5] with shape 0.05 sees the λ^{−0.95} singularity at a Bernstein-ellipse parameter ρ ≈ 1.9, so the
  // Legendre error is ~ρ^{−2N}: 1e-17 at N = 30, but only 5e-12 at N = 20.
  it("random partitions containing 1/2 (fast-check)", () => {
    const shape = fc.double({ min: 0.05, max: 50, noNaN: true });
    const cut = fc.double({ min: 0.05, max: 0.95, noNaN: true });
    fc.assert(
      fc.property(shape, shape, fc.array(cut, { minLength: 1, maxLength: 6 }), (a, b, inner) => {
        const cuts = [...new Set([0, 0.5, 1, ...inner])].sort((p, q) => p - q);
        expect(partitionError(30, a, b, cuts)).toBeLessThan(1e-12);
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe("PieceRule: mechanics", () => {
  it("[0, 1] is the Gauss–Jacobi rule; y = 1 − x; writes only its slot", () => {
    const pr = new PieceRule(8, 0.3, 2);
    const x = new Float64Array(24).fill(-1);
    const w = new Float64Array(24).fill(-1);
    const y = new Float64Array(24).fill(-1);
    pr.fill(0, 1, x, w, 8, y);
    const g = gaussJacobi(8, 0.3, 2);
    expect(x.subarray(8, 16)).toEqual(g.x);
    expect(w.subarray(8, 16)).toEqual(g.w);
    expect(y.subarray(8, 16)).toEqual(g.y);
    for (const k of [0, 7, 16, 23]) expect(x[k]).toBe(-1);
    for (const [lo, hi] of [
      [0, 0.4],
      [0.2, 0.7],
      [0.6, 1],
    ]) {
      pr.fill(lo, hi, x, w, 0, y);
      for (let k = 0; k < 8; k++) {
        expect(x[k]).toBeGreaterThanOrEqual(lo);
        expect(x[k]).toBeLessThanOrEqual(hi);
        expect(Math.abs(x[k] + y[k] - 1)).toBeLessThanOrEqual(2 ** -52);
      }
    }
  });

  it("y stays relatively accurate next to 1 on [lo, 1]", () => {
    const pr = new PieceRule(10, 2, 0.05);
    const x = new Float64Array(10);
    const w = new Float64Array(10);
    const y = new Float64Array(10);
    pr.fill(0.5, 1, x, w, 0, y);
    const t = gaussJacobi(10, 0.05, 1);
    for (let k = 0; k < 10; k++) expect(relErr(y[k], 0.5 * t.x[k])).toBeLessThan(1e-15);
  });

  it("an empty piece has zero weights; bad intervals and offsets throw", () => {
    const pr = new PieceRule(5, 1.5, 1.5);
    const x = new Float64Array(5);
    const w = new Float64Array(5).fill(1);
    pr.fill(0.3, 0.3, x, w, 0);
    expect([...w]).toEqual([0, 0, 0, 0, 0]);
    expect(() => pr.fill(0.5, 0.4, x, w, 0)).toThrow(InputError);
    expect(() => pr.fill(-0.1, 0.4, x, w, 0)).toThrow(InputError);
    expect(() => pr.fill(0.1, 1.2, x, w, 0)).toThrow(InputError);
    expect(() => pr.fill(0.1, 0.2, x, w, 1)).toThrow(RangeError);
  });
});

describe("MixturePieceRule", () => {
  it("D̃ over partitions: Σw = 1 and E_D̃[(1−λ)^k] = dTildeMoment", () => {
    for (const [alpha, beta] of [
      [0.05, 0.05],
      [0.2, 0.2],
      [1, 1],
      [0.1, 5],
      [30, 0.5],
    ]) {
      const rule = new MixturePieceRule(dTildeComponents(alpha, beta), 20);
      expect(rule.maxNodes).toBe(40);
      for (const cuts of [...PARTITIONS, [0, 0.12, 0.5, 0.61, 0.93, 1]]) {
        const { y, w } = partitionRule(rule, rule.maxNodes, cuts);
        expect(Math.abs(w.reduce((s, v) => s + v, 0) - 1)).toBeLessThan(1e-13);
        for (let k = 0; k <= 12; k++) {
          let s = 0;
          for (let i = 0; i < y.length; i++) s += w[i] * y[i] ** k;
          expect(relErr(s, dTildeMoment(alpha, beta, k))).toBeLessThan(1e-12);
        }
      }
    }
  });

  it("component blocks are the components' piece rules times c", () => {
    const mix = dTildeComponents(0.4, 3);
    const rule = new MixturePieceRule(mix, 6);
    const x = new Float64Array(12);
    const w = new Float64Array(12);
    rule.fill(0, 0.5, x, w, 0);
    const x1 = new Float64Array(6);
    const w1 = new Float64Array(6);
    new PieceRule(6, mix.components[1].a, mix.components[1].b).fill(0, 0.5, x1, w1, 0);
    for (let k = 0; k < 6; k++) {
      expect(x[6 + k]).toBe(x1[k]);
      expect(w[6 + k]).toBe(w1[k] * mix.components[1].c);
    }
  });
});
