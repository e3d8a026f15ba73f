import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { kinksAlong, kinksFromPreact, predict, preactivations, twoLayerModel } from "../../src/models/index.js";
import type { Model } from "../../src/models/types.js";
import { normals, randomLinear, randomTwoLayer } from "./helpers.js";

/** f(λx_i + (1−λ)x_j), first output. */
function fAlong(model: Model, xi: Float64Array, xj: Float64Array, lam: number, k = 0): number {
  const x = xi.map((v, j) => lam * v + (1 - lam) * xj[j]);
  return predict(model, x, 1)[k];
}

describe("kinksAlong", () => {
  it("a hand example: u_i = (1, −2, 3), u_j = (−1, 2, 1)", () => {
    // W = I₃ with x_i = u_i, x_j = u_j: units 1 and 2 change sign, at λ = 1/2 and λ = 2/4 = 1/2 (a duplicate)
    const model = twoLayerModel({ W: [1, 0, 0, 0, 1, 0, 0, 0, 1], m: 3, V: [1, 1, 1] });
    const k = kinksAlong(model, Float64Array.of(1, -2, 3), 0, Float64Array.of(-1, 2, 1), 0);
    expect(Array.from(k)).toEqual([0.5]);
    // unit values at the ends: (4, −1) crosses at 1/5; zero at an end point is not an interior kink
    // and (9, −3) at 3/12; (0, 5) has a zero at an end point: not an interior kink
    const k2 = kinksAlong(model, Float64Array.of(7, 4, 0, 9), 1, Float64Array.of(-1, 5, -3), 0);
    expect(Array.from(k2)).toEqual([0.2, 0.25]);
  });

  it("is empty for linear models and smooth nets", () => {
    const rng = new Rng(31);
    const xi = normals(rng, 3);
    const xj = normals(rng, 3);
    expect(kinksAlong(randomLinear(rng, 3, 1, true), xi, 0, xj, 0).length).toBe(0);
    expect(kinksAlong(randomTwoLayer(rng, 3, 6, 1, "softplus", true), xi, 0, xj, 0).length).toBe(0);
    expect(kinksAlong(randomTwoLayer(rng, 3, 6, 1, "tanh", true), xi, 0, xj, 0).length).toBe(0);
  });

  it("kinksFromPreact: sorted, distinct, in (0, 1), matches kinksAlong; sorts many kinks", () => {
    const rng = new Rng(32);
    for (const m of [5, 80]) {
      const model = randomTwoLayer(rng, 4, m, 1, "relu", true);
      const X = normals(rng, 8, 2);
      const U = preactivations(model, X, 2);
      const out = new Float64Array(m);
      const c = kinksFromPreact(U, 0, U, m, m, out);
      const ks = out.subarray(0, c);
      for (let i = 0; i < c; i++) {
        expect(ks[i]).toBeGreaterThan(0);
        expect(ks[i]).toBeLessThan(1);
        if (i > 0) expect(ks[i]).toBeGreaterThan(ks[i - 1]);
      }
      expect(Array.from(kinksAlong(model, X, 0, X, 4))).toEqual(Array.from(ks));
    }
    // many kinks (typed-array sort path) against a plain reference
    const m = 300;
    const ui = normals(rng, m);
    const uj = normals(rng, m);
    uj[7] = (uj[5] / ui[5]) * ui[7]; // same crossing as unit 5 (up to rounding)
    const out = new Float64Array(m);
    const c = kinksFromPreact(ui, 0, uj, 0, m, out);
    const ref = [...new Set(
      Array.from(ui)
        .map((a, k) => ((a > 0 && uj[k] < 0) || (a < 0 && uj[k] > 0) ? uj[k] / (uj[k] - a) : NaN))
        .filter((v) => v > 0 && v < 1),
    )].sort((a, b) => a - b);
    expect(c).toBeGreaterThan(32);
    expect(Array.from(out.subarray(0, c))).toEqual(ref);
  });

  it("random nets: f is affine between consecutive kinks, and a fine scan finds no other slope change", () => {
    const rng = new Rng(33);
    let kinksSeen = 0;
    for (let t = 0; t < 40; t++) {
      const bias = t % 2 === 0;
      const K = t % 4 < 2 ? 1 : 3;
      const model = randomTwoLayer(rng, 3, 7, K, "relu", bias);
      const xi = normals(rng, 3, 2);
      const xj = normals(rng, 3, 2);
      const ks = kinksAlong(model, xi, 0, xj, 0);
      kinksSeen += ks.length;
      const bounds = [0, ...ks, 1];
      // (1) affine on each piece: three interior points, midpoint value = mean of the outer two
      for (let p = 0; p + 1 < bounds.length; p++) {
        const a = bounds[p];
        const b = bounds[p + 1];
        if (b - a < 1e-9) continue;
        for (let k = 0; k < K; k++) {
          const f1 = fAlong(model, xi, xj, a + 0.2 * (b - a), k);
          const f2 = fAlong(model, xi, xj, a + 0.5 * (b - a), k);
          const f3 = fAlong(model, xi, xj, a + 0.8 * (b - a), k);
          expect(Math.abs(f2 - (f1 + f3) / 2)).toBeLessThan(1e-12 * (1 + Math.abs(f1) + Math.abs(f3)));
        }
      }
      // (2) no missed kink: wherever the second difference on a grid is non-zero, a kink lies in between
      const G = 2000;
      const vals = new Float64Array(G + 1);
      for (let k = 0; k < K; k++) {
        for (let g = 0; g <= G; g++) vals[g] = fAlong(model, xi, xj, g / G, k);
        for (let g = 1; g < G; g++) {
          const second = vals[g - 1] - 2 * vals[g] + vals[g + 1];
          const scale = Math.abs(vals[g - 1]) + 2 * Math.abs(vals[g]) + Math.abs(vals[g + 1]) + 1;
          if (Math.abs(second) > 1e-11 * scale) {
            const lo = (g - 1) / G;
            const hi = (g + 1) / G;
            expect(ks.some((l) => l >= lo - 1e-12 && l <= hi + 1e-12), `slope change near λ = ${g / G}`).toBe(true);
          }
        }
      }
    }
    expect(kinksSeen).toBeGreaterThan(40); // the nets do have kinks along the segments
  });
});
