import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { logistic, poisson, squared } from "../../src/losses/index.js";
import type { ScalarFamily } from "../../src/losses/types.js";
import { bn, logisticLossBN, relErr, sigmoidBN, sigmoidPrimeBN, softplusBN } from "./bigref.js";

const Z_GRID = [1e-8, 1, 30, 700, 1e300].flatMap((z) => [z, -z]);

describe("logistic family against 40-digit BigNumber references", () => {
  it("h = softplus, h1 = σ, h2 = σ(1−σ) at z ∈ ±{1e-8, 1, 30, 700, 1e300}", () => {
    for (const z of Z_GRID) {
      expect(relErr(logistic.h(z), softplusBN(z)), `h(${z})`).toBeLessThan(4e-16);
      expect(relErr(logistic.h1(z), sigmoidBN(z)), `h1(${z})`).toBeLessThan(4e-16);
      const h2 = logistic.h2(z);
      const ref = sigmoidPrimeBN(z);
      if (ref.isZero()) expect(h2).toBe(0); // e^{−1e300} underflows in float64 and BigNumber alike
      else expect(relErr(h2, ref), `h2(${z})`).toBeLessThan(1e-15);
    }
  });

  it("loss(z, y) = (1−y)softplus(z) + y softplus(−z) for hard and soft labels", () => {
    for (const z of Z_GRID) {
      for (const y of [0, 0.25, 0.5, 0.7, 1]) {
        const v = logistic.loss(z, y);
        expect(Number.isFinite(v), `loss(${z}, ${y}) finite`).toBe(true);
        const ref = logisticLossBN(z, y);
        const r = ref.toNumber();
        if (r === 0 || Math.abs(r) < 1e-300) expect(Math.abs(v - r)).toBeLessThan(1e-300);
        else expect(relErr(v, ref), `loss(${z}, ${y})`).toBeLessThan(1e-15);
      }
    }
  });

  it("keeps the digits that softplus(z) − y·z loses by cancellation", () => {
    // z = 30, y = 1: the true loss is softplus(−30) ≈ 9.36e-14; the naive form keeps ~3 digits.
    const ref = softplusBN(-30);
    expect(relErr(logistic.loss(30, 1), ref)).toBeLessThan(1e-15);
    expect(relErr(logistic.h(30) - 30, ref)).toBeGreaterThan(1e-4);
    // z = 1e300, y = 1 and y = 0 (one-sided saturation): exact 0 and 1e300
    expect(logistic.loss(1e300, 1)).toBe(0);
    expect(logistic.loss(1e300, 0)).toBe(1e300);
    expect(logistic.loss(-1e300, 1)).toBe(1e300);
  });

  it("dloss = σ(z) − y", () => {
    for (const z of Z_GRID) {
      for (const y of [0, 0.3, 1]) {
        const ref = sigmoidBN(z).minus(bn(y));
        const v = logistic.dloss(z, y);
        const r = ref.toNumber();
        expect(Math.abs(v - r)).toBeLessThanOrEqual(2.3e-16 * Math.max(Math.abs(r), 1e-300) + 1e-16 * Math.abs(y) + 1e-300);
      }
    }
  });
});

describe("squared family", () => {
  it("closed forms", () => {
    for (const z of [0, 1e-8, -2.5, 3, 1e100]) {
      expect(squared.h(z)).toBe((z * z) / 2);
      expect(squared.h1(z)).toBe(z);
      expect(squared.h2(z)).toBe(1);
      for (const y of [-2, 0, 0.5, 7]) {
        expect(squared.dloss(z, y)).toBe(z - y);
        // ½(z−y)² − ½y² is the same function
        const alt = 0.5 * (z - y) ** 2 - 0.5 * y * y;
        expect(Math.abs(squared.loss(z, y) - alt)).toBeLessThanOrEqual(1e-15 * (0.5 * (z - y) ** 2 + 0.5 * y * y));
      }
    }
  });

  it("is accurate where z²/2 and y·z cancel (z ≈ 2y) and overflows only when the value does", () => {
    const z = 2 + 2 ** -40;
    const y = 1;
    // exact: z(z/2 − y) = z·2^-41
    expect(squared.loss(z, y)).toBe(z * 2 ** -41);
    expect(squared.loss(1e200, 1e200)).toBe(-Infinity); // −5e399: a real overflow, reported by callers
    expect(squared.loss(1e154, 0)).toBeCloseTo(5e307, -300);
    expect(squared.loss(1e155, 0)).toBe(Infinity);
  });

  it("labels: any finite real", () => {
    expect(squared.labelError(-1e300)).toBeNull();
    expect(squared.labelError(NaN)).toMatch(/finite/);
    expect(squared.labelError(Infinity)).toMatch(/finite/);
    expect(squared.note).toBe("½(f−y)² − ½y²: the MSE less a label-only term");
  });
});

describe("poisson family", () => {
  it("closed forms and overflow", () => {
    for (const z of [-700, -1, 0, 1e-8, 2, 700]) {
      expect(poisson.h(z)).toBe(Math.exp(z));
      expect(poisson.h1(z)).toBe(Math.exp(z));
      expect(poisson.h2(z)).toBe(Math.exp(z));
      for (const y of [0, 1, 3.5]) {
        expect(poisson.loss(z, y)).toBe(Math.exp(z) - y * z);
        expect(poisson.dloss(z, y)).toBe(Math.exp(z) - y);
      }
    }
    expect(poisson.loss(1e300, 1e10)).toBe(Infinity); // not NaN from ∞ − ∞
    expect(poisson.loss(-1e300, 1e10)).toBe(Infinity);
    expect(poisson.note).toMatch(/log y! dropped/);
  });

  it("labels: y ≥ 0", () => {
    expect(poisson.labelError(0)).toBeNull();
    expect(poisson.labelError(17.5)).toBeNull();
    expect(poisson.labelError(-1e-12)).toBe("outside [0, ∞)");
    expect(poisson.labelError(NaN)).toBe("outside [0, ∞)");
    expect(poisson.labelError(Infinity)).toBe("outside [0, ∞)");
  });
});

describe("logistic labels", () => {
  it("y ∈ [0, 1]", () => {
    for (const y of [0, 1, 0.5, 1e-300]) expect(logistic.labelError(y)).toBeNull();
    for (const y of [-1e-16, 1 + 2 ** -52, 2, NaN, -Infinity]) expect(logistic.labelError(y)).toBe("outside [0, 1]");
  });
});

/** Central differences: h1 ≈ (h(z+δ) − h(z−δ))/2δ, h2 ≈ (h1(z+δ) − h1(z−δ))/2δ. */
describe.each([
  ["logistic", logistic],
  ["squared", squared],
  ["poisson", poisson],
] as [string, ScalarFamily][])("%s derivatives against central differences", (_name, fam) => {
  it("h1, h2 and dloss", () => {
    for (const z of [-20, -3, -0.7, 0, 1e-8, 0.4, 2, 5, 20]) {
      const dz = 1e-5 * Math.max(1, Math.abs(z));
      const fd1 = (fam.h(z + dz) - fam.h(z - dz)) / (2 * dz);
      const fd2 = (fam.h1(z + dz) - fam.h1(z - dz)) / (2 * dz);
      const scale1 = Math.max(Math.abs(fam.h1(z)), Math.abs(fam.h(z)) * 1e-5, 1e-300);
      expect(Math.abs(fam.h1(z) - fd1) / scale1, `h1(${z})`).toBeLessThan(1e-6);
      const scale2 = Math.max(Math.abs(fam.h2(z)), Math.abs(fam.h1(z)) * 1e-5, 1e-300);
      expect(Math.abs(fam.h2(z) - fd2) / scale2, `h2(${z})`).toBeLessThan(1e-6);
      const y = fam.name === "logistic" ? 0.3 : 1.7;
      const fdl = (fam.loss(z + dz, y) - fam.loss(z - dz, y)) / (2 * dz);
      const scalel = Math.max(Math.abs(fam.dloss(z, y)), Math.abs(fam.loss(z, y)) * 1e-5, 1e-12);
      expect(Math.abs(fam.dloss(z, y) - fdl) / scalel, `dloss(${z})`).toBeLessThan(1e-6);
    }
  });
});

describe("l(z, y) = h(z) − y·z (fast-check)", () => {
  const label = (name: string) =>
    name === "logistic"
      ? fc.double({ min: 0, max: 1, noNaN: true })
      : name === "poisson"
        ? fc.double({ min: 0, max: 1e6, noNaN: true })
        : fc.double({ min: -1e6, max: 1e6, noNaN: true });
  const zs = (name: string) =>
    name === "poisson" ? fc.double({ min: -700, max: 700, noNaN: true }) : fc.double({ min: -1e6, max: 1e6, noNaN: true });

  for (const fam of [logistic, squared, poisson]) {
    it(`${fam.name}: relative 1e-12 where there is no cancellation`, () => {
      fc.assert(
        fc.property(zs(fam.name), label(fam.name), (z, y) => {
          const h = fam.h(z);
          const yz = y * z;
          const naive = h - yz;
          const l = fam.loss(z, y);
          // the naive form itself carries an error ~ε(|h| + |yz|): compare only where that is small
          // relative to the value, i.e. |h − yz| is not a near-cancellation of two large terms
          if (Math.abs(naive) >= 0.01 * (Math.abs(h) + Math.abs(yz)) && naive !== 0) {
            expect(Math.abs(l - naive)).toBeLessThanOrEqual(1e-12 * Math.abs(naive) + 1e-300);
          }
          // everywhere: agreement to the naive form's own rounding
          expect(Math.abs(l - naive)).toBeLessThanOrEqual(1e-13 * (Math.abs(h) + Math.abs(yz)) + 1e-300);
        }),
        { numRuns: 2000 },
      );
    });
  }
});
