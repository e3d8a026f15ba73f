import { describe, expect, it } from "vitest";
import { makeDataset } from "../../src/core/dataset.js";
import { InputError, OverflowError } from "../../src/core/errors.js";
import { family as familyOf } from "../../src/losses/index.js";
import { linearModel } from "../../src/models/index.js";
import { convolutionMixupLoss } from "../../src/mixup/index.js";
import { cx, isCentered, Rcos } from "../../src/robustness/assumptions.js";
import { epsRatio, tightestFromQuadratic } from "../../src/robustness/tightest.js";
import { theoremInequality } from "../../src/robustness/theorem.js";

describe("assumptions on rows whose squares overflow (scaled norms)", () => {
  for (const big of [1e160, 1e305, 1.7e308]) {
    it(`rows of ${big}: isCentered, c_x and R take their true values (they gave ∞ ≤ ∞ = 'centered', ∞, 0)`, () => {
      // (big, 0), (big, 0), (−big, 0): x̄ = (big/3, 0), ‖x̄‖/max‖x_i‖ = 1/3 ≫ tol: not centered
      const off = makeDataset(Float64Array.of(big, 0, big, 0, -big, 0), Float64Array.of(1, 1, 0), 3, 2);
      expect(isCentered(off)).toBe(false);
      // (big, big), (−big, −big): x̄ = 0 exactly
      const on = makeDataset(Float64Array.of(big, big, -big, -big), Float64Array.of(1, 0), 2, 2);
      expect(isCentered(on)).toBe(true);
      // c_x = min ‖x_i‖/√d = big exactly here (‖(b, b)‖ = b√2); scaled by a power of two: exact to an ulp
      expect(Math.abs(cx(on) / big - 1)).toBeLessThanOrEqual(2.3e-16);
      // cos((1, 0), (b, b)) = 1/√2 whatever b is
      expect(Rcos(linearModel({ theta: [1, 0] }), on)).toBeCloseTo(Math.SQRT1_2, 15);
    });
  }

  it("a NaN never reads as met: a margin or score that is NaN is not 'holds' and not on the right side", () => {
    // rows 1e160 centered: every number of Theorem 3.1 is finite now (h'' = 0 there: 0·∞ is skipped as 0)
    const ds = makeDataset(Float64Array.of(1e160, 1, -1e160, -1), Float64Array.of(1, 0), 2, 2);
    const r = theoremInequality(ds, linearModel({ theta: [0.8, 0.3] }), familyOf("logistic"), 1, 1);
    for (const v of [r.core, r.rhs, r.margin, r.epsMix, r.secondOrder, r.Lreg]) expect(Number.isFinite(v)).toBe(true);
    expect(r.core).toBe(0); // L_std, R1, R2 are e^{−8e159}-small: 0 in float64
    expect(r.epsMix).toBeCloseTo(Rcos(linearModel({ theta: [0.8, 0.3] }), ds) * cx(ds) * (1 / 3), -150);
  });
});

describe("ε_mix/ε*: undefined ratios are null with a reason (Theorem 3.1 --json gave Infinity/NaN)", () => {
  const th = linearModel({ theta: [0.8, 0.3] });
  const L = familyOf("logistic");
  const cases: Array<[string, Float64Array, Float64Array, number]> = [
    ["n = 1", Float64Array.of(1, 2), Float64Array.of(1), 1],
    ["identical rows", Float64Array.of(1, 2, 1, 2), Float64Array.of(1, 1), 2],
    ["all-zero rows", Float64Array.of(0, 0, 0, 0), Float64Array.of(1, 0), 2],
  ];
  for (const [name, X, y, n] of cases) {
    it(name, () => {
      const r = theoremInequality(makeDataset(X, y, n, 2), th, L, 1, 1);
      // R1 = R2 = 0 (x̄ − x_i = 0 and Σ_c = 0), L_reg = 0: the quadratic's c = 0, so ε* = 0
      expect(r.tightestEps.value).toBe(0);
      expect(r.ratio).toBeNull();
      expect(r.ratioReason).toMatch(/^ε\* = 0 .*no radius above 0 qualifies/);
    });
  }
  it("epsRatio and tightestFromQuadratic: finite where defined, null with a reason otherwise", () => {
    expect(epsRatio(1, tightestFromQuadratic(1, 1, 2))).toEqual({ value: 1 }); // ε* = 1: ε + ε² = 2
    expect(epsRatio(1, tightestFromQuadratic(0, 0, 1)).value).toBeNull();
    expect(tightestFromQuadratic(NaN, 1, 1)).toMatchObject({ value: null, reason: expect.stringMatching(/is NaN in float64/) });
    // a² + 4bc overflows: hypot keeps ε* = c/a-ish, not 0 (root of 1e-200·ε² + 1e200·ε = 1: ε* ≈ 1e-200)
    const t = tightestFromQuadratic(1e200, 1e-200, 1);
    expect(t.value).toBeCloseTo(1e-200, 210);
    const u = tightestFromQuadratic(1e300, 1e300, 1e300);
    // ε² + ε − 1 = 0: ε* = (√5 − 1)/2
    expect(u.value).toBeCloseTo((Math.sqrt(5) - 1) / 2, 15);
  });
});

describe("the convolution's grid arithmetic on scores near 1e305 … 1.8e308 (it reported 'Infinity grid bins')", () => {
  const L = familyOf("logistic");
  it("scores whose span overflows: an OverflowError naming the rows, not ∞ bins", () => {
    const ds = makeDataset(Float64Array.of(1.5e308, -1.5e308, 0), Float64Array.of(1, 0, 1), 3, 1);
    let e: unknown = null;
    try {
      convolutionMixupLoss(ds, linearModel({ theta: [1] }), L, 1, 1);
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(OverflowError);
    expect((e as Error).message).toMatch(/^row 1: the scores run from -1\.5e\+308 \(row 2\) to 1\.5e\+308 \(row 1\); their span is beyond float64/);
  });
  it("a span that is finite but too wide: the bin count is a number in the message, with the rows", () => {
    const ds = makeDataset(Float64Array.of(1e305, -1e305, 0), Float64Array.of(1, 0, 1), 3, 1);
    let e: unknown = null;
    try {
      convolutionMixupLoss(ds, linearModel({ theta: [1.2] }), L, 1, 1);
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).toMatch(/^--method convolution: the scores span 2\.400e\+305 \(rows 2 to 1\), \d\.\d{3}e\+30\d grid bins at step .* \(limit 131072\); use --method pairs$/);
  });
});
