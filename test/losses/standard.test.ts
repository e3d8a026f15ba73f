import { describe, expect, it } from "vitest";
import { InputError, OverflowError } from "../../src/core/errors.js";
import {
  checkLabels,
  family,
  LOSS_NAMES,
  logistic,
  lossPerRow,
  poisson,
  softmax,
  squared,
  standardLoss,
} from "../../src/losses/index.js";
import type { LossName } from "../../src/losses/types.js";

describe("family()", () => {
  it("maps names to the family objects", () => {
    expect(family("logistic")).toBe(logistic);
    expect(family("squared")).toBe(squared);
    expect(family("poisson")).toBe(poisson);
    expect(family("softmax")).toBe(softmax);
    for (const name of LOSS_NAMES) expect(family(name).name).toBe(name);
  });
  it("rejects unknown names from user input", () => {
    expect(() => family("hinge" as LossName)).toThrow(InputError);
    expect(() => family("hinge" as LossName)).toThrow(/unknown loss "hinge"/);
    expect(() => family("toString" as LossName)).toThrow(InputError);
  });
});

describe("standardLoss / lossPerRow", () => {
  it("mean of the row losses, scalar family", () => {
    const z = Float64Array.of(0.5, -2, 3);
    const y = Float64Array.of(1, 0, 1);
    const per = lossPerRow(logistic, z, y, 3, 1);
    for (let i = 0; i < 3; i++) expect(per[i]).toBe(logistic.loss(z[i], y[i]));
    expect(standardLoss(logistic, z, y, 3, 1)).toBeCloseTo((per[0] + per[1] + per[2]) / 3, 15);
  });

  it("mean of the row losses, softmax", () => {
    const z = Float64Array.of(1, 2, 3, 0, 0, 0);
    const y = Float64Array.of(0, 0, 1, 0.5, 0.5, 0);
    const out = new Float64Array(2);
    const per = lossPerRow(softmax, z, y, 2, 3, out);
    expect(per).toBe(out);
    expect(per[1]).toBeCloseTo(Math.log(3), 15);
    expect(standardLoss(softmax, z, y, 2, 3)).toBeCloseTo((per[0] + per[1]) / 2, 15);
  });

  it("is compensated: many equal values plus one large one", () => {
    const n = 100001;
    const z = new Float64Array(n).fill(0.1);
    z[0] = 1e8;
    const y = new Float64Array(n);
    // squared: l = z²/2; exact mean = (5e15 + 100000·0.005)/n
    const v = standardLoss(squared, z, y, n, 1);
    const exact = (5e15 + 100000 * squared.loss(0.1, 0)) / n;
    expect(Math.abs(v - exact) / exact).toBeLessThan(1e-15);
  });

  it("throws OverflowError naming the row and score", () => {
    const z = Float64Array.of(1, 2, 1e200, 3);
    const y = Float64Array.of(0, 0, 0, 0);
    try {
      standardLoss(squared, z, y, 4, 1);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(OverflowError);
      expect((e as OverflowError).row).toBe(3);
      expect((e as Error).message).toMatch(/row 3: the squared loss is Infinity \(not finite\) at score 1e\+200/);
    }
    expect(() => standardLoss(poisson, Float64Array.of(800), Float64Array.of(1), 1, 1)).toThrow(/row 1: the poisson loss/);
    expect(() =>
      standardLoss(softmax, Float64Array.of(0, 0, NaN, 1), Float64Array.of(1, 0, 0, 1), 2, 2),
    ).toThrow(/row 2: the softmax loss is NaN \(not finite\) at score \(NaN, 1\), label \(0, 1\)/);
  });
});

describe("checkLabels", () => {
  it("accepts labels in the domain", () => {
    expect(() => checkLabels(logistic, Float64Array.of(0, 1, 0.5), 3, 1, "data.csv")).not.toThrow();
    expect(() => checkLabels(squared, Float64Array.of(-3, 1e300), 2, 1, "data.csv")).not.toThrow();
    expect(() => checkLabels(poisson, Float64Array.of(0, 4), 2, 1, "data.csv")).not.toThrow();
    expect(() => checkLabels(softmax, Float64Array.of(0, 1, 0.5, 0.5), 2, 2, "data.csv")).not.toThrow();
  });

  it("names the 1-based row", () => {
    const y = Float64Array.of(0, 1, 0, 1, 0, 1, 1.5, 0);
    try {
      checkLabels(logistic, y, 8, 1, "data.csv");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).message).toBe("data.csv row 7: label 1.5 outside [0, 1] for the logistic loss");
      expect((e as InputError).where).toBe("data.csv row 7");
    }
    expect(() => checkLabels(poisson, Float64Array.of(2, -1), 2, 1, "counts.csv")).toThrow(
      "counts.csv row 2: label -1 outside [0, ∞) for the poisson loss",
    );
    expect(() => checkLabels(squared, Float64Array.of(NaN), 1, 1, "d")).toThrow(
      "d row 1: label NaN not a finite number for the squared loss",
    );
    expect(() => checkLabels(softmax, Float64Array.of(1, 0, 0.7, 0.7), 2, 2, "d")).toThrow(
      "d row 2: label (0.7, 0.7) sums to 1.4, not 1 (not a point of the simplex) for the softmax loss",
    );
  });

  it("checks the label shape against the family", () => {
    expect(() => checkLabels(logistic, Float64Array.of(0, 1), 1, 2, "d")).toThrow(/needs one label column, got 2/);
    expect(() => checkLabels(softmax, Float64Array.of(1), 1, 1, "d")).toThrow(/needs K ≥ 2/);
    expect(() => checkLabels(logistic, Float64Array.of(0), 2, 1, "d")).toThrow(/1 label values, expected n·K = 2/);
  });
});
