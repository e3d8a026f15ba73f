import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { family } from "../../src/losses/index.js";
import type { LossName } from "../../src/losses/types.js";
import {
  certifiedUpperBound,
  certifiedUpperPerRow,
  exactAdversarialPerRow,
  pgd,
  robustLoss,
  type Norm,
} from "../../src/robustness/index.js";
import { randomLinear, randomTwoLayer } from "../models/helpers.js";
import { randomData } from "./helpers.js";

describe("certified upper bound (interval bound propagation)", () => {
  it("linear models: coincides with the exact adversarial loss (per row, to 1e-13 relative: the rounding widening)", () => {
    const rng = new Rng(31);
    let worst = 0;
    for (let trial = 0; trial < 60; trial++) {
      const loss = (["logistic", "squared", "poisson"] as LossName[])[trial % 3];
      const d = 1 + rng.int(7);
      const ds = randomData(rng, 6, d, loss);
      const model = randomLinear(rng, d, 1, trial % 2 === 0, loss);
      const eps = rng.uniform();
      for (const norm of ["inf", "2"] as Norm[]) {
        const c = certifiedUpperPerRow(ds, model, family(loss), eps, norm).values!;
        const e = exactAdversarialPerRow(ds, model, family(loss), eps, norm).values!;
        for (let i = 0; i < ds.n; i++) {
          expect(c[i]).toBeGreaterThanOrEqual(e[i]); // widened outward for rounding
          worst = Math.max(worst, (c[i] - e[i]) / Math.max(1, Math.abs(e[i])));
        }
      }
    }
    expect(worst).toBeLessThan(1e-13);
  });

  it("random nets (fast-check): clean loss ≤ PGD loss ≤ certified upper bound", () => {
    const stats = { runs: 0, maxRatio: 0, minRatio: Infinity };
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          d: fc.integer({ min: 1, max: 5 }),
          m: fc.integer({ min: 1, max: 8 }),
          activation: fc.constantFrom("relu", "softplus", "tanh"),
          bias: fc.boolean(),
          loss: fc.constantFrom<LossName>("logistic", "squared", "poisson"),
          norm: fc.constantFrom<Norm>("inf", "2"),
          eps: fc.double({ min: 0, max: 0.6, noNaN: true }),
        }),
        (p) => {
          const rng = new Rng(p.seed);
          const ds = randomData(rng, 4, p.d, p.loss);
          const model = randomTwoLayer(rng, p.d, p.m, 1, p.activation, p.bias, p.loss);
          const fam = family(p.loss);
          const clean = robustLoss(ds, model, fam, ds.X).value!;
          const attacked = robustLoss(ds, model, fam, pgd(ds, model, fam, p.eps, p.norm, { rng: rng.fork(9), steps: 10 })).value!;
          const cert = certifiedUpperBound(ds, model, fam, p.eps, p.norm);
          expect(cert.radius).toBe(p.norm === "inf" ? p.eps : p.eps * Math.sqrt(p.d));
          expect(attacked).toBeGreaterThanOrEqual(clean);
          expect(attacked).toBeLessThanOrEqual(cert.value!);
          stats.runs++;
          if (attacked - clean > 1e-9) {
            const ratio = (cert.value! - clean) / (attacked - clean);
            stats.maxRatio = Math.max(stats.maxRatio, ratio);
            stats.minRatio = Math.min(stats.minRatio, ratio);
          }
        },
      ),
      { numRuns: 300, seed: 20240601 },
    );
    expect(stats.runs).toBe(300);
    // the certified bound's excess over the clean loss vs PGD's gain: ≥ 1 always, and often much larger for nets
    expect(stats.minRatio).toBeGreaterThanOrEqual(1 - 1e-9);
    if (process.env.ROBUST_STATS) console.log(JSON.stringify(stats));
  });

  it("ε = 0: equals the clean loss up to the rounding widening", () => {
    const rng = new Rng(6);
    const ds = randomData(rng, 5, 3, "logistic");
    const model = randomTwoLayer(rng, 3, 6, 1, "tanh", true);
    const fam = family("logistic");
    const clean = robustLoss(ds, model, fam, ds.X).value!;
    const c = certifiedUpperBound(ds, model, fam, 0, "inf").value!;
    expect(c).toBeGreaterThanOrEqual(clean);
    expect(c - clean).toBeLessThan(1e-14);
  });

  it("softmax: null with a reason; the radius is still stated", () => {
    const rng = new Rng(7);
    const ds = randomData(rng, 3, 4, "softmax", 3);
    const model = randomTwoLayer(rng, 4, 5, 3, "relu", false, "softmax");
    const c = certifiedUpperBound(ds, model, family("softmax"), 0.25, "2");
    expect(c.value).toBeNull();
    expect(c.reason).toMatch(/softmax/);
    expect(c.radius).toBe(0.5);
  });
});
