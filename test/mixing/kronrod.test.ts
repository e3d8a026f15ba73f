import { describe, expect, it } from "vitest";
import { KRONROD } from "../../src/mixing/kronrod.js";

describe("Gauss–Kronrod ladder on [0, 1]", () => {
  for (const R of KRONROD) {
    const G = R.gauss;
    it(`G${G}/K${2 * G + 1}: Kronrod exact to degree ${3 * G + 1}, Gauss to ${2 * G - 1}, nested, symmetric`, () => {
      const M = R.t.length;
      expect(M).toBe(2 * G + 1);
      for (let k = 0; k < M; k++) {
        expect(R.wk[k]).toBeGreaterThan(0);
        // the Gauss nodes are every other Kronrod node
        if (k % 2 === 1) expect(R.wg[k]).toBeGreaterThan(0);
        else expect(R.wg[k]).toBe(0);
        if (k > 0) expect(R.t[k]).toBeGreaterThan(R.t[k - 1]);
        expect(Math.abs(R.t[k] + R.t[M - 1 - k] - 1)).toBeLessThanOrEqual(2.3e-16);
      }
      for (let p = 0; p <= 3 * G + 1; p++) {
        let sk = 0;
        let sg = 0;
        for (let k = 0; k < M; k++) {
          sk += R.wk[k] * R.t[k] ** p;
          sg += R.wg[k] * R.t[k] ** p;
        }
        expect(Math.abs(sk - 1 / (p + 1))).toBeLessThanOrEqual(4e-16);
        if (p <= 2 * G - 1) expect(Math.abs(sg - 1 / (p + 1))).toBeLessThanOrEqual(4e-16);
      }
    });
  }
});
