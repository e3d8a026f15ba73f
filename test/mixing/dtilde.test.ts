import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { betaPdf } from "../../src/mixing/beta.js";
import {
  betaComponents,
  dTildeComponents,
  dTildeMoment,
  dTildePdf,
  m1,
  m2,
  mixtureRule,
  sampleDTildeInto,
} from "../../src/mixing/dtilde.js";
import { gaussJacobi } from "../../src/mixing/jacobi.js";
import { relErr } from "./fixture.js";

const AB = [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 20, 50];
const PAIRS = AB.flatMap((a) => AB.map((b) => [a, b] as const));

/**
 * E_D̃[(1−λ)^k] by docs/theory.md §2.5: E_D̃[g] = E_{Beta(α,β)}[λ g(λ) + (1−λ) g(1−λ)], with g(λ) = (1−λ)^k this is
 * E_Beta[λ(1−λ)^k + (1−λ)λ^k], a polynomial of degree k+1, integrated exactly by the N-node Gauss–Jacobi
 * rule of Beta(α, β) when 2N−1 ≥ k+1. Independent of dTildeMoment's closed form.
 */
function dTildeMomentByQuadrature(alpha: number, beta: number, k: number): number {
  const r = gaussJacobi(Math.max(1, Math.ceil((k + 2) / 2)) + 2, alpha, beta);
  let s = 0;
  for (let i = 0; i < r.x.length; i++) s += r.w[i] * (r.x[i] * r.y[i] ** k + r.y[i] * r.x[i] ** k);
  return s;
}

describe("dTildeMoment", () => {
  // 1e-13 relative: both sides are sums/products of positive terms; the rule's nodes (x and y = 1 − x) and
  // weights are relatively accurate to ≲ 5e-14, and powers up to k = 40 add ≤ 40ε.
  it.each(PAIRS)("closed form = Gauss–Jacobi quadrature of the D̃ identity, α = %s, β = %s, k ≤ 40", (alpha, beta) => {
    for (let k = 0; k <= 40; k++) {
      expect(relErr(dTildeMoment(alpha, beta, k), dTildeMomentByQuadrature(alpha, beta, k))).toBeLessThan(1e-13);
    }
  });

  it("= Σ w y^k over the mixture rule of dTildeComponents", () => {
    for (const [alpha, beta] of [
      [0.2, 0.2],
      [0.05, 3],
      [7, 0.4],
    ]) {
      const r = mixtureRule(dTildeComponents(alpha, beta), 20);
      for (let k = 0; k < 39; k++) {
        let s = 0;
        for (let i = 0; i < r.x.length; i++) s += r.w[i] * r.y[i] ** k;
        expect(relErr(s, dTildeMoment(alpha, beta, k))).toBeLessThan(1e-13);
      }
    }
  });

  it("is stable for k = 50 and α, β up to 1e3 (exact rational reference via BigInt)", () => {
    // integer α, β: [α(β)_k + β(α)_k]/[(α+β)(α+β+1)_k] is a ratio of integers; divide with 40 digits
    const exact = (alpha: number, beta: number, k: number): number => {
      const rising = (p: number): bigint => {
        let r = 1n;
        for (let i = 0; i < k; i++) r *= BigInt(p + i);
        return r;
      };
      const num = BigInt(alpha) * rising(beta) + BigInt(beta) * rising(alpha);
      const den = BigInt(alpha + beta) * rising(alpha + beta + 1);
      const scale = 10n ** 40n;
      const q = (num * scale) / den;
      // q has ≥ 17 significant digits when the value ≥ 1e-23
      return Number(q) / 1e40;
    };
    for (const [alpha, beta] of [
      [1000, 1000],
      [1000, 3],
      [7, 1000],
      [1, 1],
      [2, 5],
    ]) {
      for (const k of [1, 2, 10, 50]) {
        const e = exact(alpha, beta, k);
        if (e < 1e-23) continue;
        expect(relErr(dTildeMoment(alpha, beta, k), e)).toBeLessThan(1e-13);
      }
    }
    const tiny = dTildeMoment(1000, 1000, 50);
    expect(tiny > 0 && Number.isFinite(tiny)).toBe(true);
  });
});

describe("m1, m2", () => {
  it("are the first two D̃ moments, m1 = 2·m2, m1 < 1/2", () => {
    for (const [alpha, beta] of PAIRS) {
      expect(relErr(m1(alpha, beta), dTildeMoment(alpha, beta, 1))).toBeLessThan(1e-15);
      expect(relErr(m2(alpha, beta), dTildeMoment(alpha, beta, 2))).toBeLessThan(1e-15);
      expect(m1(alpha, beta)).toBe(2 * m2(alpha, beta));
      expect(m1(alpha, beta)).toBeLessThan(0.5);
    }
  });

  it("α = β: m1 = α/(2α+1) (1/7 at 0.2, 1/3 at 1)", () => {
    expect(m1(0.2, 0.2)).toBeCloseTo(1 / 7, 15);
    expect(m1(1, 1)).toBeCloseTo(1 / 3, 15);
    for (const a of AB) expect(relErr(m1(a, a), a / (2 * a + 1))).toBeLessThan(1e-15);
  });

  it("property: over α, β ∈ [0.05, 50]", () => {
    const shape = fc.double({ min: 0.05, max: 50, noNaN: true });
    fc.assert(
      fc.property(shape, shape, fc.integer({ min: 0, max: 30 }), (alpha, beta, k) => {
        const a1 = m1(alpha, beta);
        const a2 = m2(alpha, beta);
        expect(a1).toBe(2 * a2);
        expect(a1).toBeGreaterThan(0);
        expect(a1).toBeLessThan(0.5);
        // Jensen on D̃: m2 = E[(1−λ)²] ≥ m1²
        expect(a2).toBeGreaterThanOrEqual(a1 * a1);
        // symmetric in (α, β), decreasing in k, and equal to the quadrature of the D̃ identity
        const mk = dTildeMoment(alpha, beta, k);
        expect(relErr(mk, dTildeMoment(beta, alpha, k))).toBeLessThan(1e-14);
        expect(dTildeMoment(alpha, beta, k + 1)).toBeLessThan(mk);
        expect(relErr(mk, dTildeMomentByQuadrature(alpha, beta, k))).toBeLessThan(1e-13);
      }),
      { numRuns: 300, seed: 2021 },
    );
  });
});

describe("D̃ as a mixture", () => {
  it("components and weights", () => {
    const d = dTildeComponents(0.3, 2);
    expect(d.components).toEqual([
      { c: 0.3 / 2.3, a: 1.3, b: 2 },
      { c: 2 / 2.3, a: 3, b: 0.3 },
    ]);
    expect(d.components[0].c + d.components[1].c).toBeCloseTo(1, 15);
    expect(betaComponents(0.3, 2).components).toEqual([{ c: 1, a: 0.3, b: 2 }]);
  });

  it("density: x(p_{Beta(α,β)} + p_{Beta(β,α)}) equals the mixture of the components' densities", () => {
    for (const [alpha, beta] of [
      [0.2, 0.2],
      [0.5, 3],
      [4, 1.5],
    ]) {
      const s = alpha + beta;
      for (const x of [0.01, 0.2, 0.5, 0.8, 0.99]) {
        const mix = (alpha / s) * betaPdf(x, alpha + 1, beta) + (beta / s) * betaPdf(x, beta + 1, alpha);
        expect(relErr(dTildePdf(x, alpha, beta), mix)).toBeLessThan(1e-6);
      }
      expect(dTildePdf(-0.1, alpha, beta)).toBe(0);
    }
  });

  it("mixtureRule: 2N nodes, Σw = 1, exact on polynomials", () => {
    const r = mixtureRule(dTildeComponents(0.1, 0.1), 15);
    expect(r.x.length).toBe(30);
    let s = 0;
    for (const w of r.w) s += w;
    expect(Math.abs(s - 1)).toBeLessThan(1e-15);
    const single = mixtureRule(betaComponents(0.1, 0.1), 15);
    expect(single.x).toEqual(gaussJacobi(15, 0.1, 0.1).x);
  });

  it("sampleDTilde: E[1−λ] ≈ m1 and E[(1−λ)²] ≈ m2 within 5 SE (200k draws)", () => {
    const n = 200_000;
    for (const [alpha, beta] of [
      [0.2, 0.2],
      [1, 1],
      [0.05, 2],
      [50, 0.5],
    ]) {
      const v = sampleDTildeInto(new Rng(99, [Math.round(alpha * 100), Math.round(beta * 100)]), alpha, beta, new Float64Array(n));
      let s1 = 0;
      let s2 = 0;
      for (const x of v) {
        s1 += 1 - x;
        s2 += (1 - x) ** 2;
      }
      const [e1, e2, e4] = [1, 2, 4].map((k) => dTildeMoment(alpha, beta, k));
      expect(Math.abs(s1 / n - e1)).toBeLessThan(5 * Math.sqrt((e2 - e1 * e1) / n));
      expect(Math.abs(s2 / n - e2)).toBeLessThan(5 * Math.sqrt((e4 - e2 * e2) / n));
    }
  });
});
