import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { logisticLoss } from "../../src/losses/logistic.js";
import { log1pExpNeg, logisticFromPhi, logisticGradFromSig, logisticLossBar, logisticLossFast, phiAndSigma, sigNeg } from "../../src/mixup/softplusTable.js";

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
  it("logisticLossBar keeps the loss's digits next to λ = 1, where 1 − ỹ is tiny (logisticLossFast cannot)", () => {
    // pair (i, j) with y_i = 1, y_j = 0 at λ = 1 − δ: ỹ = 1 − δ, 1 − ỹ = δ, the loss δ·softplus(z) + ỹ·softplus(−z).
    // The reference takes δ exactly (Math.log1p(Math.exp(·)) to an ulp or two); the fast form reads 1 − ỹ from
    // ỹ = fl(1 − δ), whose rounding (≤ 1.1e-16) is relative to δ: ~1e-7 of the loss at δ = 1e-9
    let bar = 0;
    let fast = 0;
    for (const z of [5, 30, 200]) {
      for (let e = 3; e <= 15; e++) {
        const delta = 10 ** -e;
        const y = 1 - delta;
        const ref = delta * (z + Math.log1p(Math.exp(-z))) + y * Math.log1p(Math.exp(-z));
        bar = Math.max(bar, Math.abs(logisticLossBar(z, y, delta) - ref) / ref);
        fast = Math.max(fast, Math.abs(logisticLossFast(z, y) - ref) / ref);
      }
    }
    expect(bar).toBeLessThanOrEqual(4 * ULP);
    expect(fast).toBeGreaterThan(1e-6);
  });
});

describe("φ(t) = log1p(e^{−t}) and σ(−t) from the same table (the gradient's inner loop)", () => {
  it("within 2e-15 relative of Math.log1p(Math.exp(−t)) and e^{−t}/(1 + e^{−t}) on [0, 60]", () => {
    // measured on 2e6 points of [0, 40]: σ 6.1e-16, φ 4.4e-16 relative (2–3 ulp, as softplusTable.ts)
    let ws = 0;
    let wp = 0;
    for (let k = 0; k <= 200_000; k++) {
      const t = (k / 200_000) * 60;
      const phi = phiAndSigma(t);
      const e = Math.exp(-t);
      ws = Math.max(ws, Math.abs(sigNeg - e / (1 + e)) / (e / (1 + e)));
      wp = Math.max(wp, Math.abs(phi - Math.log1p(e)) / Math.log1p(e));
    }
    expect(ws).toBeLessThanOrEqual(2e-15);
    expect(wp).toBeLessThanOrEqual(2e-15);
  });
  it("logisticFromPhi / logisticGradFromSig: logisticLossFast's value to the bit, and σ(z) − y (relative for hard labels)", () => {
    const rng = new Rng(3);
    // σ without cancellation on either side
    const sig = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
    let hard = 0;
    let soft = 0;
    let differ = 0;
    for (let i = 0; i < 200_000; i++) {
      const z = (rng.uniform() - 0.5) * (i % 2 ? 20 : 200);
      const y = i % 3 === 0 ? 0 : i % 3 === 1 ? 1 : rng.uniform();
      const ph = phiAndSigma(Math.abs(z));
      const g = logisticGradFromSig(z, y, 1 - y, sigNeg);
      if (!Object.is(logisticFromPhi(z, y, 1 - y, ph), logisticLossFast(z, y))) differ++;
      // σ(z) − y = (1 − y)σ(z) − yσ(−z): one term for hard labels
      const ref = (1 - y) * sig(z) - y * sig(-z);
      if (y === 0 || y === 1) hard = Math.max(hard, Math.abs(g - ref) / Math.abs(ref));
      else soft = Math.max(soft, Math.abs(g - ref));
    }
    expect(differ).toBe(0);
    expect(hard).toBeLessThanOrEqual(2e-15);
    expect(soft).toBeLessThanOrEqual(4 * ULP);
  });
});
