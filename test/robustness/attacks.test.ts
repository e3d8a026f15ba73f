import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { family } from "../../src/losses/index.js";
import type { LossName } from "../../src/losses/types.js";
import { makeDataset } from "../../src/core/dataset.js";
import { linearModel, outputAt } from "../../src/models/index.js";
import {
  exactAdversarialLoss,
  fgsm,
  lossAndGradX,
  lossAt,
  lossGradScratch,
  norm2,
  pgd,
  robustLoss,
  type Norm,
} from "../../src/robustness/index.js";
import { randomLinear, randomTwoLayer } from "../models/helpers.js";
import { randomData } from "./helpers.js";

function relGap(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(1, Math.abs(b));
}

describe("∇ₓl", () => {
  it("matches central differences for every family and model kind", () => {
    const rng = new Rng(3);
    const h = 1e-6;
    for (const loss of ["logistic", "squared", "poisson", "softmax"] as LossName[]) {
      for (const kind of ["linear", "relu", "softplus", "tanh"] as const) {
        const K = loss === "softmax" ? 3 : 1;
        const d = 3;
        const ds = randomData(rng, 2, d, loss, K, 0.7);
        const model = kind === "linear" ? randomLinear(rng, d, K, true, loss) : randomTwoLayer(rng, d, 5, K, kind, true, loss);
        const fam = family(loss);
        const s = lossGradScratch(model);
        const g = new Float64Array(d);
        const x = ds.X.slice(0, d);
        lossAndGradX(model, fam, x, 0, ds.y, 0, s, g, 0);
        for (let j = 0; j < d; j++) {
          const xp = x.slice();
          const xm = x.slice();
          xp[j] += h;
          xm[j] -= h;
          const fd = (lossAt(model, fam, xp, 0, ds.y, 0, s) - lossAt(model, fam, xm, 0, ds.y, 0, s)) / (2 * h);
          expect(Math.abs(fd - g[j]), `${loss} ${kind} j=${j}`).toBeLessThan(1e-6);
        }
      }
    }
  });
});

describe("FGSM", () => {
  for (const loss of ["logistic", "squared"] as LossName[]) {
    for (const norm of ["inf", "2"] as Norm[]) {
      it(`${loss}, linear, ${norm === "inf" ? "ℓ∞" : "ℓ2 (normalized step ε√d)"}: attains the exact worst case to 1e-12`, () => {
        const rng = new Rng(loss.length * 7 + norm.length);
        let worst = 0;
        for (let trial = 0; trial < 40; trial++) {
          const d = 1 + rng.int(8);
          const ds = randomData(rng, 9, d, loss);
          const model = randomLinear(rng, d, 1, trial % 2 === 1, loss);
          const eps = rng.uniform();
          const fam = family(loss);
          const X0 = ds.X.slice();
          const adv = fgsm(ds, model, fam, eps, norm);
          expect(ds.X).toEqual(X0); // the data set is not touched
          const r = robustLoss(ds, model, fam, adv).value!;
          const e = exactAdversarialLoss(ds, model, fam, eps, norm).value!;
          worst = Math.max(worst, relGap(r, e));
        }
        expect(worst).toBeLessThan(1e-12);
      });
    }
  }

  it("Poisson: the gradient's side is not always the worst end (finding), so FGSM can fall below the exact value", () => {
    // z = −0.1 below the minimum log y = 0: the gradient points down, but e^(z+ρ) beats z − ρ for large ρ.
    const rng = new Rng(1);
    let below = 0;
    let maxGap = 0;
    for (let trial = 0; trial < 40; trial++) {
      const ds = randomData(rng, 9, 2, "poisson");
      const model = randomLinear(rng, 2, 1, true, "poisson");
      const eps = 2 * rng.uniform();
      const fam = family("poisson");
      const r = robustLoss(ds, model, fam, fgsm(ds, model, fam, eps, "inf")).value!;
      const e = exactAdversarialLoss(ds, model, fam, eps, "inf").value!;
      expect(r).toBeLessThanOrEqual(e * (1 + 1e-12) + 1e-12);
      if (e - r > 1e-9) below++;
      maxGap = Math.max(maxGap, relGap(r, e));
    }
    expect(below).toBeGreaterThan(0);
    expect(maxGap).toBeGreaterThan(1e-3);
  });
});

describe("PGD", () => {
  it("ℓ2 and ℓ∞ iterates stay in the ball (radius ε√d and ε) and the result is the best iterate", () => {
    const rng = new Rng(8);
    for (const norm of ["2", "inf"] as Norm[]) {
      for (const act of ["relu", "tanh"] as const) {
        const d = 4;
        const ds = randomData(rng, 5, d, "logistic");
        const model = randomTwoLayer(rng, d, 6, 1, act, true);
        const eps = 0.3;
        const r = norm === "2" ? eps * Math.sqrt(d) : eps;
        let count = 0;
        let maxOut = 0;
        const bestLoss = new Float64Array(ds.n).fill(-Infinity);
        const s = lossGradScratch(model);
        for (let i = 0; i < ds.n; i++) bestLoss[i] = lossAt(model, family("logistic"), ds.X, i * d, ds.y, i, s);
        const adv = pgd(ds, model, family("logistic"), eps, norm, {
          rng: new Rng(1),
          restarts: 2,
          onIterate: (row, _r, _t, x, off, loss) => {
            count++;
            let dist = 0;
            if (norm === "2") {
              const delta = new Float64Array(d);
              for (let j = 0; j < d; j++) delta[j] = x[off + j] - ds.X[row * d + j];
              dist = norm2(delta, 0, d);
            } else for (let j = 0; j < d; j++) dist = Math.max(dist, Math.abs(x[off + j] - ds.X[row * d + j]));
            maxOut = Math.max(maxOut, dist / r - 1);
            bestLoss[row] = Math.max(bestLoss[row], loss);
          },
        });
        expect(count).toBe(ds.n * 2 * 21);
        expect(maxOut).toBeLessThanOrEqual(1e-15);
        for (let i = 0; i < ds.n; i++) expect(lossAt(model, family("logistic"), adv, i * d, ds.y, i, s)).toBe(bestLoss[i]);
      }
    }
  });

  it("the same seed gives the same inputs; another seed other inputs; ε = 0 gives the data", () => {
    const rng = new Rng(4);
    const ds = randomData(rng, 6, 3, "squared");
    const model = randomTwoLayer(rng, 3, 5, 1, "softplus", true, "squared");
    const fam = family("squared");
    const a = pgd(ds, model, fam, 0.2, "2", { rng: new Rng(7) });
    const b = pgd(ds, model, fam, 0.2, "2", { rng: new Rng(7) });
    const c = pgd(ds, model, fam, 0.2, "2", { rng: new Rng(8) });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(pgd(ds, model, fam, 0, "inf", { rng: new Rng(7) })).toEqual(ds.X);
    expect(fgsm(ds, model, fam, 0)).toEqual(ds.X);
  });

  it("linear logistic: PGD-ℓ∞ reaches the exact worst case to 1e-12; PGD-ℓ2 only with a long step", () => {
    // Measured (seed 12, 20 instances): ℓ∞ gap ≤ 2e-16. ℓ2 with the default step 2.5·r/steps: worst 2.2e-2,
    // median 6e-3, and 2.0e-2 / 5e-3 at 100 or 400 steps — the total path 2.5·r is fixed, and on the sphere
    // the angle to θ shrinks by about e^(−path/r) at best. With step = r (40 steps): ≤ 1e-15.
    const fam = family("logistic");
    const gaps = (norm: Norm, stepRule: "default" | "radius", steps: number) => {
      const rng = new Rng(12);
      let worst = 0;
      for (let trial = 0; trial < 20; trial++) {
        const d = 1 + rng.int(6);
        const ds = randomData(rng, 8, d, "logistic");
        const model = randomLinear(rng, d, 1, true);
        const eps = rng.uniform();
        const stepSize = stepRule === "radius" ? eps * Math.sqrt(d) : undefined;
        const r = robustLoss(ds, model, fam, pgd(ds, model, fam, eps, norm, { rng: new Rng(trial), steps, stepSize })).value!;
        const e = exactAdversarialLoss(ds, model, fam, eps, norm).value!;
        expect(r).toBeLessThanOrEqual(e + 1e-13);
        worst = Math.max(worst, relGap(r, e));
      }
      return worst;
    };
    expect(gaps("inf", "default", 20)).toBeLessThan(1e-12);
    const l2 = gaps("2", "default", 20);
    expect(l2).toBeGreaterThan(1e-3);
    expect(l2).toBeLessThan(5e-2);
    expect(gaps("2", "radius", 40)).toBeLessThan(1e-12);
  });

  it("linear logistic, ε from 1e-3 to 1e3: PGD-ℓ∞ with the defaults reaches the exact worst case at every ε", () => {
    // At ε = 1000 it reached 1332 of the exact 1599 on the docs' example: far on the correct side of a
    // hard label (|f| > ~745) the slope σ(f) − y underflows to 0, sign(0) = 0, and the iterate stood still.
    // The attack now steps along the exact sign of the slope there (lossAndAscentDirection). Measured gap:
    // ≤ 4e-16 relative (rounding of the loss at the corner); 1e-12 leaves room and catches any stall.
    const fam = family("logistic");
    const rng = new Rng(41);
    for (let trial = 0; trial < 12; trial++) {
      const d = 1 + rng.int(5);
      const ds = randomData(rng, 10, d, "logistic");
      const model = randomLinear(rng, d, 1, true);
      for (const eps of [1e-3, 1e-2, 0.1, 1, 10, 100, 1e3]) {
        const r = robustLoss(ds, model, fam, pgd(ds, model, fam, eps, "inf", { rng: new Rng(trial) })).value!;
        const e = exactAdversarialLoss(ds, model, fam, eps, "inf").value!;
        expect(relGap(r, e), `trial ${trial}, ε = ${eps}`).toBeLessThan(1e-12);
        // ℓ2 with the step the docs recommend (the radius) reaches it too, at every ε
        const r2 = robustLoss(ds, model, fam, pgd(ds, model, fam, eps, "2", { rng: new Rng(trial), steps: 40, stepSize: eps * Math.sqrt(d) })).value!;
        expect(relGap(r2, exactAdversarialLoss(ds, model, fam, eps, "2").value!), `ℓ2 trial ${trial}, ε = ${eps}`).toBeLessThan(1e-12);
      }
    }
  });

  it("the docs' example (data.csv, lin.json) at ε = 1000: PGD-ℓ∞ gives the exact 1599.17…, not 1332.75", () => {
    const X = Float64Array.of(0.5, 1.2, -0.3, 0.8, 1.1, -0.4, -1.2, -0.7, 0.2, 0.1, -0.6, 1.5);
    const ds = makeDataset(X, Float64Array.of(1, 0, 1, 0, 1, 0), 6, 2);
    const model = linearModel({ theta: [1.2, -0.4], bias: [0.1] });
    const fam = family("logistic");
    const r = robustLoss(ds, model, fam, pgd(ds, model, fam, 1000, "inf", { rng: new Rng(0).fork(1).fork(0) })).value!;
    const e = exactAdversarialLoss(ds, model, fam, 1000, "inf").value!;
    expect(e).toBeCloseTo(1599.173333, 5);
    expect(relGap(r, e)).toBeLessThan(1e-12);
  });

  it("softmax with a one-hot label far inside its class: the slope p − y underflows, PGD still climbs", () => {
    // K = 2 softmax with rows θ0 = 0, θ1 = θ is logistic on z = θᵀx (class 1 ↔ label 1): the exact ℓ∞
    // worst case is the logistic one, softplus(−s·z + ε‖θ‖₁) per row
    const theta = [0.8, -0.5];
    const ds2 = makeDataset(Float64Array.of(1000, -400, -900, 600), Float64Array.of(0, 1, 1, 0), 2, 2, 2);
    const soft = linearModel({ theta: [0, 0, ...theta], K: 2, loss: "softmax" });
    const fam = family("softmax");
    const eps = 3000;
    const r = robustLoss(ds2, soft, fam, pgd(ds2, soft, fam, eps, "inf", { rng: new Rng(3) })).value!;
    const lg = family("logistic");
    const lin = makeDataset(Float64Array.of(1000, -400, -900, 600), Float64Array.of(1, 0), 2, 2);
    const e = exactAdversarialLoss(lin, linearModel({ theta }), lg, eps, "inf").value!;
    expect(relGap(r, e)).toBeLessThan(1e-12);
  });

  it("softmax nets: PGD raises the loss and FGSM moves every coordinate by ε", () => {
    const rng = new Rng(21);
    const ds = randomData(rng, 10, 4, "softmax", 3);
    const model = randomTwoLayer(rng, 4, 8, 3, "relu", true, "softmax");
    const fam = family("softmax");
    const clean = robustLoss(ds, model, fam, ds.X).value!;
    const adv = robustLoss(ds, model, fam, pgd(ds, model, fam, 0.1, "inf", { rng: new Rng(1) })).value!;
    expect(adv).toBeGreaterThan(clean);
    const f = fgsm(ds, model, fam, 0.1);
    const z = new Float64Array(3);
    outputAt(model, f, 0, z);
    for (let k = 0; k < f.length; k++) expect(Math.abs(Math.abs(f[k] - ds.X[k]) - 0.1)).toBeLessThan(1e-15);
  });

  it("bad options are InputErrors", () => {
    const rng = new Rng(2);
    const ds = randomData(rng, 2, 2, "logistic");
    const model = randomLinear(rng, 2, 1, false);
    const fam = family("logistic");
    expect(() => pgd(ds, model, fam, 0.1, "inf", { rng, steps: 0 })).toThrow(/steps/);
    expect(() => pgd(ds, model, fam, 0.1, "inf", { rng, restarts: 1.5 })).toThrow(/restarts/);
    expect(() => pgd(ds, model, fam, -0.1, "inf", { rng })).toThrow(/ε/);
    expect(() => fgsm(ds, model, fam, 0.1, "1" as Norm)).toThrow(/norm/);
  });
});
