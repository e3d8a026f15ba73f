import { describe, expect, it } from "vitest";
import { logGamma } from "../../src/core/special.js";
import { logBetaAccurate, stirlingDelta } from "../../src/mixing/lbeta.js";

/** the plain logΓ sum (accurate for small shapes only; see lbeta.ts) */
const logBeta = (a: number, b: number): number => logGamma(a) + logGamma(b) - logGamma(a + b);
import { fixture } from "./fixture.js";

describe("logBetaAccurate", () => {
  // Against mpmath log(beta(a, b)) (fixture), shapes 0.05–1000 on both sides of the Stirling switch at 10.
  // Tolerance: 16ε·max(1, |log B|) ≈ 3.6e-15·max(1, |log B|). Measured ≤ 1.5e-15·max(1, |log B|): below 10 the
  // value is core logΓ(a) + logΓ(b) − logΓ(a+b), whose ~1e-15 absolute error dominates; above 10 the combined
  // Stirling form stays at a few ε·|log B|. the plain logΓ sum misses by up to 3e-13·|log B|
  // (at (500, 500), |log B| ≈ 695: 1.4e-12 absolute) because it subtracts large logΓ values.
  it.each(fixture.logBeta.map((r) => [r.a, r.b, r.logB] as const))("log B(%s, %s)", (a, b, ref) => {
    const tol = 16 * 2 ** -52 * Math.max(1, Math.abs(ref));
    expect(Math.abs(logBetaAccurate(a, b) - ref)).toBeLessThan(tol);
    expect(logBetaAccurate(b, a)).toBe(logBetaAccurate(a, b));
  });

  it("is continuous across the Stirling switch and matches the plain logΓ sum where that is accurate", () => {
    for (const b of [0.3, 2, 9.999999, 10, 10.000001, 25]) {
      const below = logBetaAccurate(9.999999999, b);
      const above = logBetaAccurate(10.000000001, b);
      expect(Math.abs(below - above)).toBeLessThan(1e-8);
    }
    for (const [a, b] of [
      [0.5, 0.5],
      [2, 3],
      [1, 7],
    ]) {
      expect(Math.abs(logBetaAccurate(a, b) - logBeta(a, b))).toBeLessThan(4e-15);
    }
  });

  it("stirlingDelta(x) = logΓ(x) − Stirling's leading terms (checked at x = 10 against logΓ(10) = log 362880)", () => {
    const x = 10;
    const lead = (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI);
    expect(Math.abs(lead + stirlingDelta(x) - Math.log(362880))).toBeLessThan(4e-15);
  });
});
