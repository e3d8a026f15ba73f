import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { center, makeDataset } from "../../src/core/dataset.js";
import { Rng } from "../../src/core/rng.js";
import { family as familyOf } from "../../src/losses/index.js";
import { m1 as m1Of } from "../../src/mixing/dtilde.js";
import { gradX, linearModel, predict } from "../../src/models/index.js";
import { cx, inTheta, inThetaReport, isCentered, Rcos, VIOLATING_ROWS_LISTED, wrongSideText } from "../../src/robustness/assumptions.js";
import { epsMix } from "../../src/robustness/epsMix.js";
import { regularizerLreg, secondOrderAdversarialLoss, secondOrderCoefficients } from "../../src/robustness/secondOrder.js";
import { tightestFromQuadratic } from "../../src/robustness/tightest.js";
import { theoremInequality } from "../../src/robustness/theorem.js";
import { logisticInstance, reluInstance, tightInstance } from "../../proofs-checks/theorem-instances.js";
import { randomModel } from "../../proofs-checks/instances.js";

const logistic = familyOf("logistic");

describe("assumptions", () => {
  it("isCentered, cx, inTheta (1-based violating rows), R with zero vectors as cosine 0", () => {
    const ds = makeDataset(Float64Array.of(1, 0, -1, 0, 0, 2, 0, -2), Float64Array.of(1, 0, 1, 0), 4, 2);
    expect(isCentered(ds)).toBe(true);
    expect(isCentered(makeDataset(ds.X.map((v) => v + 1e-9), ds.y, 4, 2))).toBe(false);
    expect(cx(ds)).toBeCloseTo(1 / Math.SQRT2, 15);
    const m = linearModel({ theta: [1, 1], loss: "logistic" });
    // f = 1, −1, 2, −2 with labels 1, 0, 1, 0: all on the correct side
    expect(inTheta(m, ds)).toEqual({ holds: true, violating: [] });
    const flipped = makeDataset(ds.X, Float64Array.of(0, 0, 1, 1), 4, 2);
    expect(inTheta(m, flipped)).toEqual({ holds: false, violating: [1, 4] });
    // as reported: the count and the first VIOLATING_ROWS_LISTED = 20 rows; the text names at most 10
    expect(inThetaReport(inTheta(m, flipped))).toEqual({ met: false, violating: 2, violatingRows: [1, 4] });
    expect(wrongSideText(inThetaReport(inTheta(m, flipped)))).toBe("rows 1, 4 are on the wrong side");
    const all = { holds: false, violating: Array.from({ length: 25 }, (_, k) => 2 * k + 1) };
    expect(VIOLATING_ROWS_LISTED).toBe(20);
    expect(inThetaReport(all)).toEqual({ met: false, violating: 25, violatingRows: all.violating.slice(0, 20) });
    expect(wrongSideText(inThetaReport(all))).toBe("rows 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, … are on the wrong side (25 in all)");
    const ten = { holds: false, violating: all.violating.slice(0, 10) };
    expect(wrongSideText(inThetaReport(ten))).toBe("rows 1, 3, 5, 7, 9, 11, 13, 15, 17, 19 are on the wrong side");
    // cos(θ, e1) = cos(θ, e2) = 1/√2
    expect(Rcos(m, ds)).toBeCloseTo(Math.SQRT1_2, 15);
    const zeroRow = makeDataset(Float64Array.of(0, 0, 1, 1), Float64Array.of(0, 1), 2, 2);
    expect(Rcos(m, zeroRow)).toBe(0);
    expect(Rcos(linearModel({ theta: [0, 0] }), ds)).toBe(0);
  });
});

describe("ε_mix = R·c_x·m1", () => {
  it("grows with m1 and stays ≤ R·c_x/2 (m1 < 1/2)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.double({ min: 0.05, max: 50, noNaN: true }), (seed, a) => {
        const inst = logisticInstance(new Rng(seed));
        const e1 = epsMix(inst.model, inst.ds, a, a);
        const e2 = epsMix(inst.model, inst.ds, 2 * a, 2 * a);
        // m1 = α/(2α+1) increases with α = β
        expect(e2).toBeGreaterThanOrEqual(e1);
        expect(e1).toBeLessThanOrEqual((Rcos(inst.model, inst.ds) * cx(inst.ds)) / 2);
        expect(e1).toBe(Rcos(inst.model, inst.ds) * cx(inst.ds) * m1Of(a, a));
      }),
      { numRuns: 100, seed: 7 },
    );
  });
});

describe("L̃_adv and L_reg", () => {
  it("linear logistic: closed forms a = √d·mean|σ(z) − y|·‖θ‖, b = (d/2)·mean σ'(z)·‖θ‖², L_reg = m1²/2·mean σ'(z)·θᵀΣ̂θ", () => {
    const inst = logisticInstance(new Rng(3));
    const { ds, model } = inst;
    const th = model.kind === "linear" ? model.theta : new Float64Array();
    const z = predict(model, ds.X, ds.n);
    const nrm2 = th.reduce((s, v) => s + v * v, 0);
    let a = 0;
    let b = 0;
    for (let i = 0; i < ds.n; i++) {
      const s = 1 / (1 + Math.exp(-z[i]));
      a += Math.abs(s - ds.y[i]);
      b += s * (1 - s);
    }
    const c = secondOrderCoefficients(ds, model, logistic);
    expect(c.a).toBeCloseTo((Math.sqrt(ds.d) * a * Math.sqrt(nrm2)) / ds.n, 13);
    expect(c.b).toBeCloseTo(((ds.d / 2) * b * nrm2) / ds.n, 13);
    const eps = 0.37;
    expect(secondOrderAdversarialLoss(ds, model, logistic, eps)).toBeCloseTo(c.standardLoss + c.a * eps + c.b * eps * eps, 14);
    // θᵀΣ̂θ = variance of z (data centered)
    const zbar = z.reduce((s, v) => s + v, 0) / ds.n;
    const varz = z.reduce((s, v) => s + (v - zbar) ** 2, 0) / ds.n;
    const m1 = m1Of(inst.alpha, inst.beta);
    expect(regularizerLreg(ds, model, logistic, inst.alpha, inst.beta)).toBeCloseTo(((m1 * m1) / 2) * (b / ds.n) * varz, 14);
  });
  it("ReLU nets: L_reg's first-layer form equals Σ|h''|·∇f_iᵀΣ̂_X∇f_i with the d×d covariance", () => {
    for (let seed = 0; seed < 5; seed++) {
      const rng = new Rng(seed);
      const { ds: raw } = reluInstance(rng);
      const ds = center(makeDataset(raw.X.map((v) => v + 0.3), raw.y, raw.n, raw.d));
      const model = randomModel(rng, "relu-bias", ds.d, "logistic", 1, 1, 5);
      const { n, d } = ds;
      const mean = new Float64Array(d);
      for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) mean[k] += ds.X[i * d + k] / n;
      const S = new Float64Array(d * d);
      for (let i = 0; i < n; i++) for (let p = 0; p < d; p++) for (let q = 0; q < d; q++) S[p * d + q] += ((ds.X[i * d + p] - mean[p]) * (ds.X[i * d + q] - mean[q])) / n;
      const g = new Float64Array(d);
      const f = predict(model, ds.X, n);
      let sum = 0;
      let abs = 0;
      for (let i = 0; i < n; i++) {
        gradX(model, ds.X, i * d, g, 0);
        let q = 0;
        for (let p = 0; p < d; p++) for (let r = 0; r < d; r++) q += g[p] * S[p * d + r] * g[r];
        const s = 1 / (1 + Math.exp(-f[i]));
        sum += s * (1 - s) * q;
        abs += Math.abs(s * (1 - s) * q);
      }
      const m1 = m1Of(0.7, 1.9);
      const ref = ((m1 * m1) / (2 * n)) * sum;
      // two O(n·d²) sums of the same non-negative terms in different orders
      expect(Math.abs(regularizerLreg(ds, model, logistic, 0.7, 1.9) - ref)).toBeLessThanOrEqual(1e-13 * ((m1 * m1) / (2 * n)) * abs);
    }
  });
});

describe("the tightest radius", () => {
  it("solves b·ε² + a·ε = c, null with a reason when c < 0 or a = b = 0", () => {
    const t = tightestFromQuadratic(2, 3, 5);
    expect(2 * t.value! + 3 * t.value! ** 2).toBeCloseTo(5, 14);
    expect(tightestFromQuadratic(2, 0, 5).value).toBe(2.5);
    expect(tightestFromQuadratic(1, 1, -1)).toMatchObject({ value: null });
    expect(tightestFromQuadratic(1, 1, -1).reason).toMatch(/no ε/);
    expect(tightestFromQuadratic(0, 0, 1).reason).toMatch(/every ε/);
    // no cancellation for tiny c (the textbook (−a + √(a² + 4bc))/(2b) would return 0): the root satisfies
    // the quadratic to a few ulps of c
    const e = tightestFromQuadratic(1, 1e8, 1e-20).value!;
    expect(Math.abs(e + 1e8 * e * e - 1e-20)).toBeLessThan(4e-16 * 1e-20);
  });
  it("on the tight family ε_mix/ε* is close to 1 and the inequality holds", () => {
    for (let seed = 0; seed < 20; seed++) {
      const inst = tightInstance(new Rng(seed));
      const r = theoremInequality(inst.ds, inst.model, logistic, inst.alpha, inst.beta);
      expect(r.holds).toBe(true);
      expect(r.ratio!).toBeGreaterThan(0.9);
      expect(r.ratio!).toBeLessThanOrEqual(1);
    }
  });
});

describe("Theorems 3.1 and 3.2 as properties", () => {
  it("the inequality holds on every instance meeting (a)–(c), and ε_mix ≤ ε* there", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.boolean(), (seed, net) => {
        const inst = net ? reluInstance(new Rng(seed)) : logisticInstance(new Rng(seed));
        const r = theoremInequality(inst.ds, inst.model, logistic, inst.alpha, inst.beta);
        expect(r.assumptions.centered && r.assumptions.inTheta.holds).toBe(true);
        expect(r.margin).toBeGreaterThanOrEqual(0);
        if (r.ratio !== null) expect(r.ratio).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});
