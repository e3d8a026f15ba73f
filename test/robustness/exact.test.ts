import { describe, expect, it } from "vitest";
import { makeDataset } from "../../src/core/dataset.js";
import { Rng } from "../../src/core/rng.js";
import { softplus } from "../../src/core/special.js";
import { family } from "../../src/losses/index.js";
import type { LossName, ScalarFamily } from "../../src/losses/types.js";
import { linearModel, outputAt } from "../../src/models/index.js";
import { adversarialRadius, exactAdversarialLoss, exactAdversarialPerRow, type Norm } from "../../src/robustness/index.js";
import { randomLinear, randomTwoLayer } from "../models/helpers.js";
import { randomData } from "./helpers.js";

/** Brute force max of l over the ball: the 2^d vertices (ℓ∞) or many boundary points (ℓ2), plus random interior points. */
function bruteForce(x: Float64Array, y: number, theta: Float64Array, bias: number, fam: ScalarFamily, r: number, norm: Norm, rng: Rng): number {
  const d = x.length;
  const model = linearModel({ theta, bias: [bias] });
  const p = new Float64Array(d);
  const z = new Float64Array(1);
  let best = -Infinity;
  const evalAt = () => {
    outputAt(model, p, 0, z);
    best = Math.max(best, fam.loss(z[0], y));
  };
  if (norm === "inf") {
    for (let mask = 0; mask < 1 << d; mask++) {
      for (let j = 0; j < d; j++) p[j] = x[j] + (mask & (1 << j) ? r : -r);
      evalAt();
    }
  } else if (d === 2) {
    for (let k = 0; k < 20000; k++) {
      const a = (2 * Math.PI * k) / 20000;
      p[0] = x[0] + r * Math.cos(a);
      p[1] = x[1] + r * Math.sin(a);
      evalAt();
    }
  } else {
    for (let k = 0; k < 50000; k++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (p[j] = rng.normal()) ** 2;
      s = Math.sqrt(s);
      for (let j = 0; j < d; j++) p[j] = x[j] + (r * p[j]) / s;
      evalAt();
    }
  }
  for (let k = 0; k < 2000; k++) {
    for (let j = 0; j < d; j++) p[j] = x[j] + r * (2 * rng.uniform() - 1) / (norm === "2" ? Math.sqrt(d) : 1);
    evalAt();
  }
  return best;
}

describe("adversarialRadius", () => {
  it("is ε for ℓ∞ and ε√d for ℓ2", () => {
    expect(adversarialRadius(0.1, 4, "inf")).toBe(0.1);
    expect(adversarialRadius(0.1, 4, "2")).toBe(0.2);
    expect(() => adversarialRadius(-1, 2, "inf")).toThrow(/ε/);
    expect(() => adversarialRadius(NaN, 2, "inf")).toThrow(/ε/);
  });
});

describe("exact adversarial loss of linear models", () => {
  it("logistic, labels {0,1}: softplus(−s_i θᵀx_i + ρ), ρ = ε‖θ‖₁ (ℓ∞) or ε√d‖θ‖₂ (ℓ2)", () => {
    const rng = new Rng(11);
    for (let trial = 0; trial < 20; trial++) {
      const d = 1 + rng.int(5);
      const ds = randomData(rng, 7, d, "logistic");
      const model = randomLinear(rng, d, 1, false);
      const eps = 0.3 * rng.uniform();
      const l1 = model.theta.reduce((a, b) => a + Math.abs(b), 0);
      const l2 = Math.sqrt(model.theta.reduce((a, b) => a + b * b, 0));
      for (const [norm, rho] of [["inf", eps * l1], ["2", eps * Math.sqrt(d) * l2]] as const) {
        let s = 0;
        const z = new Float64Array(1);
        for (let i = 0; i < ds.n; i++) {
          outputAt(model, ds.X, i * d, z);
          s += softplus(-(2 * ds.y[i] - 1) * z[0] + rho);
        }
        const q = exactAdversarialLoss(ds, model, family("logistic"), eps, norm);
        expect(q.radius).toBe(norm === "inf" ? eps : eps * Math.sqrt(d));
        expect(q.value!).toBeCloseTo(s / ds.n, 13);
      }
    }
  });

  for (const loss of ["logistic", "squared", "poisson"] as LossName[]) {
    it(`${loss}: agrees with brute force over the ball (d ≤ 3, both norms)`, () => {
      const rng = new Rng(loss.length);
      const fam = family(loss) as ScalarFamily;
      let worstGap = 0;
      for (let trial = 0; trial < 12; trial++) {
        const d = 1 + (trial % 3);
        const ds = randomData(rng, 3, d, loss);
        const model = randomLinear(rng, d, 1, true, loss);
        const eps = 0.05 + 0.5 * rng.uniform();
        for (const norm of ["inf", "2"] as const) {
          const pr = exactAdversarialPerRow(ds, model, fam, eps, norm);
          for (let i = 0; i < ds.n; i++) {
            const x = ds.X.slice(i * d, (i + 1) * d);
            const b = bruteForce(x, ds.y[i], model.theta, model.bias![0], fam, pr.radius, norm, rng);
            const e = pr.values![i];
            const tol = 1e-12 * Math.max(1, Math.abs(e));
            expect(b).toBeLessThanOrEqual(e + tol); // nothing in the ball beats the closed form
            // ℓ∞: the vertices contain the maximizer; ℓ2: a dense boundary sample comes within ~1e-3 relative
            const gap = (e - b) / Math.max(1, Math.abs(e));
            if (norm === "inf") expect(gap).toBeLessThan(1e-12);
            else expect(gap).toBeLessThan(d === 2 ? 1e-6 : 5e-3);
            worstGap = Math.max(worstGap, norm === "inf" ? gap : 0);
          }
        }
      }
      expect(worstGap).toBeLessThan(1e-12);
    });
  }

  it("exact ℓ∞ ≤ exact ℓ2 (the radius-ε√d ℓ2 ball contains the radius-ε ℓ∞ ball)", () => {
    const rng = new Rng(5);
    for (let trial = 0; trial < 50; trial++) {
      const loss = (["logistic", "squared", "poisson"] as const)[trial % 3];
      const d = 1 + rng.int(6);
      const ds = randomData(rng, 5, d, loss);
      const model = randomLinear(rng, d, 1, trial % 2 === 0, loss);
      const eps = rng.uniform();
      const a = exactAdversarialLoss(ds, model, family(loss), eps, "inf").value!;
      const b = exactAdversarialLoss(ds, model, family(loss), eps, "2").value!;
      expect(a).toBeLessThanOrEqual(b + 1e-14 * Math.abs(b));
      if (d === 1) expect(a).toBeCloseTo(b, 14); // the two balls coincide in d = 1
    }
  });

  it("ε = 0 gives the clean loss; the mean is over rows", () => {
    const ds = makeDataset(Float64Array.from([1, 2, -1, 0.5]), Float64Array.from([1, 0]), 2, 2);
    const model = linearModel({ theta: [0.5, -0.25] });
    const q = exactAdversarialLoss(ds, model, family("logistic"), 0, "2");
    expect(q.value).toBeCloseTo((softplus(-0) + softplus(-0.625)) / 2, 15);
    expect(q.radius).toBe(0);
  });

  it("softmax and two-layer nets: null with a reason; overflow: null naming the row", () => {
    const rng = new Rng(2);
    const ds = randomData(rng, 4, 3, "softmax", 3);
    const soft = randomLinear(rng, 3, 3, false, "softmax");
    const q = exactAdversarialLoss(ds, soft, family("softmax"), 0.1, "inf");
    expect(q.value).toBeNull();
    expect(q.reason).toMatch(/softmax/);
    const ds2 = randomData(rng, 4, 3, "logistic");
    const net = randomTwoLayer(rng, 3, 4, 1, "relu", true);
    const q2 = exactAdversarialLoss(ds2, net, family("logistic"), 0.1, "2");
    expect(q2.value).toBeNull();
    expect(q2.reason).toMatch(/two-layer/);
    expect(q2.radius).toBeCloseTo(0.1 * Math.sqrt(3), 15);
    const pois = linearModel({ theta: [1, 1, 1], loss: "poisson" });
    const ds3 = makeDataset(Float64Array.from([1, 1, 1, 0, 0, 0]), Float64Array.from([1, 2]), 2, 3);
    const q3 = exactAdversarialLoss(ds3, pois, family("poisson"), 300, "inf");
    expect(q3.value).toBeNull();
    expect(q3.reason).toMatch(/row 1: the poisson loss is Infinity/);
  });

  it("dimension mismatch is an InputError", () => {
    const ds = makeDataset(Float64Array.from([1, 2]), Float64Array.from([1]), 1, 2, 1, { source: "d.csv" });
    expect(() => exactAdversarialLoss(ds, linearModel({ theta: [1, 2, 3] }), family("logistic"), 0.1, "inf")).toThrow(/d\.csv.*d = 3/);
  });
});
