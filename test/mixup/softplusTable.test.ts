import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { logisticLoss } from "../../src/losses/logistic.js";
import { log1pExpNeg, logisticLossFast } from "../../src/mixup/softplusTable.js";

const ULP = 2.220446049250313e-16;

describe("table-driven softplus of the pair quadrature", () => {
  it("log1p(e^{−t}) within 2.5 ulp of Math.log1p(Math.exp(−t)) on [0, 800], incl. every cell edge", () => {
    const rng = new Rng(1);
    let worst = 0;
    const check = (t: number) => {
      const a = log1pExpNeg(t);
      const b = Math.log1p(Math.exp(-t));
      const r = b === 0 ? (a === 0 ? 0 : 1) : Math.abs(a - b) / b;
      worst = Math.max(worst, r);
    };
    for (let i = 0; i < 400_000; i++) check(i < 300_000 ? 40 * rng.uniform() : 800 * rng.uniform());
    for (let c = 0; c <= 36 * 16; c++) {
      const t = c / 16;
      check(t);
      check(Math.max(0, t - 1e-12));
      check(t + 1e-12);
    }
    expect(worst).toBeLessThanOrEqual(2.5 * ULP);
  });
  it("the logistic loss matches src/losses/logistic.ts to a few ulps, hard and soft labels", () => {
    const rng = new Rng(2);
    let worst = 0;
    for (let i = 0; i < 200_000; i++) {
      const z = (rng.uniform() - 0.5) * (i % 2 ? 20 : 2000);
      const y = i % 3 === 0 ? 0 : i % 3 === 1 ? 1 : rng.uniform();
      const a = logisticLossFast(z, y);
      const b = logisticLoss(z, y);
      worst = Math.max(worst, b === 0 ? (a === 0 ? 0 : 1) : Math.abs(a - b) / b);
    }
    expect(worst).toBeLessThanOrEqual(4 * ULP);
  });
});
