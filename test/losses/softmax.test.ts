import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { softmax } from "../../src/losses/index.js";
import { bn, type BN } from "./bigref.js";

/** logsumexp(z) − Σ y_k z_k in 40-digit arithmetic. */
function lossBN(z: number[], y: number[]): BN {
  let mx = -Infinity;
  for (const v of z) mx = Math.max(mx, v);
  let s = bn(0);
  for (const v of z) s = s.plus(bn(v).minus(bn(mx)).exp());
  let out = bn(mx).plus(s.ln());
  for (let k = 0; k < z.length; k++) out = out.minus(bn(y[k]).times(bn(z[k])));
  return out;
}

describe("softmax family", () => {
  it("loss against 40-digit references, including large scores", () => {
    const cases: [number[], number[]][] = [
      [[0, 0, 0], [1, 0, 0]],
      [[1, 2, 3], [0, 0, 1]],
      [[1, 2, 3], [0.2, 0.3, 0.5]],
      [[700, -700, 1e-8], [0, 1, 0]],
      [[1e300, 0, -1e300], [1, 0, 0]],
      [[1e300, 1e300 - 1e284, 0], [0.5, 0.5, 0]],
      [[30, 0, 0], [1, 0, 0]],
      [[-1e-8, 1e-8], [0.25, 0.75]],
    ];
    for (const [z, y] of cases) {
      const v = softmax.loss(Float64Array.from(z), 0, z.length, Float64Array.from(y), 0);
      const ref = lossBN(z, y).toNumber();
      expect(Number.isFinite(v)).toBe(true);
      expect(Math.abs(v - ref), `${z} ${y}`).toBeLessThanOrEqual(4e-16 * Math.abs(ref) + 1e-300);
    }
  });

  it("keeps the digits lse(z) − yᵀz loses at large scores", () => {
    // true loss log(1 + 2e^{-40}) ≈ 8.5e-18, the naive form returns 0 or garbage
    const z = Float64Array.of(1e6, 1e6 - 40, 1e6 - 40);
    const y = Float64Array.of(1, 0, 0);
    const ref = lossBN([...z], [...y]).toNumber();
    expect(softmax.loss(z, 0, 3, y, 0) / ref - 1).toBeLessThan(1e-14);
  });

  it("offsets, h, h1, dloss", () => {
    const buf = Float64Array.of(9, 9, 0.5, -1, 2);
    const y = Float64Array.of(7, 0, 1, 0);
    expect(softmax.h(buf, 2, 3)).toBeCloseTo(Math.log(Math.exp(0.5) + Math.exp(-1) + Math.exp(2)), 14);
    const p = new Float64Array(5);
    softmax.h1(buf, 2, 3, p, 1);
    const s = Math.exp(0.5) + Math.exp(-1) + Math.exp(2);
    expect(p[0]).toBe(0);
    expect(p[1]).toBeCloseTo(Math.exp(0.5) / s, 15);
    expect(p[3]).toBeCloseTo(Math.exp(2) / s, 15);
    const g = new Float64Array(3);
    softmax.dloss(buf, 2, 3, y, 1, g, 0);
    expect(g[0]).toBeCloseTo(p[1], 15);
    expect(g[1]).toBeCloseTo(p[2] - 1, 15);
    expect(softmax.loss(buf, 2, 3, y, 1)).toBeCloseTo(Math.log(s) - -1, 14);
  });

  it("h1 and h2 against central differences; h2 = diag(p) − ppᵀ", () => {
    const z = Float64Array.of(0.3, -1.2, 2.1, 0.05);
    const K = 4;
    const H = new Float64Array(K * K);
    softmax.h2(z, 0, K, H, 0);
    const p = new Float64Array(K);
    softmax.h1(z, 0, K, p, 0);
    const dz = 1e-5;
    for (let j = 0; j < K; j++) {
      const zp = z.slice();
      const zm = z.slice();
      zp[j] += dz;
      zm[j] -= dz;
      expect(Math.abs((softmax.h(zp, 0, K) - softmax.h(zm, 0, K)) / (2 * dz) - p[j])).toBeLessThan(1e-9);
      const pp = new Float64Array(K);
      const pm = new Float64Array(K);
      softmax.h1(zp, 0, K, pp, 0);
      softmax.h1(zm, 0, K, pm, 0);
      for (let i = 0; i < K; i++) {
        expect(Math.abs((pp[i] - pm[i]) / (2 * dz) - H[i * K + j])).toBeLessThan(1e-9);
        expect(H[i * K + j]).toBeCloseTo((i === j ? p[i] : 0) - p[i] * p[j], 15);
        expect(H[i * K + j]).toBe(H[j * K + i]);
      }
    }
  });

  it("h2 diagonal is accurate when one class has p ≈ 1", () => {
    const z = Float64Array.of(40, 0, 0);
    const H = new Float64Array(9);
    softmax.h2(z, 0, 3, H, 0);
    // p_0(1 − p_0) = p_0(p_1 + p_2) ≈ 2e^{−40}
    const t = bn(-40).exp().times(2);
    const ref = t.div(t.plus(1).pow(2)).toNumber();
    expect(Math.abs(H[0] / ref - 1)).toBeLessThan(1e-14);
  });

  it("labelError: the simplex", () => {
    const chk = (y: number[]) => softmax.labelError(Float64Array.from(y), 0, y.length);
    expect(chk([0, 1, 0])).toBeNull();
    expect(chk([0.2, 0.3, 0.5])).toBeNull();
    expect(chk([1 / 3, 1 / 3, 1 / 3])).toBeNull();
    expect(chk([0.5, 0.5 + 5e-10])).toBeNull();
    expect(chk([0.5, 0.5 + 2e-9])).toMatch(/sums to/);
    expect(chk([1.5, -0.5])).toMatch(/negative entry -0.5 in column 2/);
    expect(chk([0.5, 0.4])).toMatch(/sums to 0.9/);
    expect(chk([NaN, 1])).toMatch(/non-finite/);
    expect(softmax.labelError(Float64Array.of(9, 0, 1), 1, 2)).toBeNull();
  });

  it("fast-check: l(z, y) = lse(z) − yᵀz and l is affine in y", () => {
    const K = 4;
    const arbZ = fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: K, maxLength: K });
    const arbW = fc.array(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: K, maxLength: K });
    fc.assert(
      fc.property(arbZ, arbW, arbW, fc.double({ min: 0, max: 1, noNaN: true }), (zs, w1, w2, lam) => {
        const z = Float64Array.from(zs);
        const s1 = w1.reduce((a, b) => a + b, 0);
        const s2 = w2.reduce((a, b) => a + b, 0);
        const y1 = Float64Array.from(w1, (v) => v / s1);
        const y2 = Float64Array.from(w2, (v) => v / s2);
        const l1 = softmax.loss(z, 0, K, y1, 0);
        let yz = 0;
        for (let k = 0; k < K; k++) yz += y1[k] * z[k];
        const h = softmax.h(z, 0, K);
        expect(Math.abs(l1 - (h - yz))).toBeLessThanOrEqual(1e-13 * (Math.abs(h) + Math.abs(yz) + 1));
        const ym = Float64Array.from(y1, (v, k) => lam * v + (1 - lam) * y2[k]);
        const l2 = softmax.loss(z, 0, K, y2, 0);
        const lm = softmax.loss(z, 0, K, ym, 0);
        expect(Math.abs(lm - (lam * l1 + (1 - lam) * l2))).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(l1) + Math.abs(l2)));
      }),
      { numRuns: 1000 },
    );
  });
});
