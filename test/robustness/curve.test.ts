import { describe, expect, it } from "vitest";
import { makeDataset } from "../../src/core/dataset.js";
import { Rng } from "../../src/core/rng.js";
import { family } from "../../src/losses/index.js";
import { linearModel } from "../../src/models/index.js";
import { epsStreamId, robustAccuracy, robustCurve } from "../../src/robustness/index.js";
import { randomLinear, randomTwoLayer } from "../models/helpers.js";
import { randomData } from "./helpers.js";

describe("robustCurve", () => {
  it("linear logistic, FGSM ℓ∞: robustLoss = exactLoss ≤ certifiedUpper, accuracy falls with ε", () => {
    const rng = new Rng(1);
    const ds = randomData(rng, 40, 3, "logistic");
    const model = randomLinear(rng, 3, 1, true);
    const rows = robustCurve(ds, model, family("logistic"), [0, 0.1, 0.5, 2], { attack: "fgsm", norm: "inf" });
    expect(rows.map((r) => r.radius)).toEqual([0, 0.1, 0.5, 2]);
    for (const r of rows) {
      expect(r).toMatchObject({ norm: "inf", attack: "fgsm" });
      expect(Math.abs(r.robustLoss! - r.exactLoss!)).toBeLessThan(1e-12 * Math.max(1, r.exactLoss!));
      expect(r.certifiedUpper!).toBeGreaterThanOrEqual(r.exactLoss!);
    }
    for (let k = 1; k < rows.length; k++) {
      expect(rows[k].robustAccuracy!).toBeLessThanOrEqual(rows[k - 1].robustAccuracy!);
      expect(rows[k].robustLoss!).toBeGreaterThan(rows[k - 1].robustLoss!);
    }
  });

  it("PGD ℓ2: radius ε√d, step size per ε; a row depends only on (seed, ε), not on the rest of the grid", () => {
    const rng = new Rng(2);
    const ds = randomData(rng, 10, 4, "logistic");
    const model = randomTwoLayer(rng, 4, 6, 1, "relu", true);
    const fam = family("logistic");
    const a = robustCurve(ds, model, fam, [0, 0.05, 0.2], { attack: "pgd", norm: "2", rng: new Rng(5) });
    const b = robustCurve(ds, model, fam, [0.2], { attack: "pgd", norm: "2", rng: new Rng(5) });
    expect(a[2]).toEqual(b[0]);
    expect(a[1].radius).toBeCloseTo(0.1, 15);
    expect(a[1].stepSize).toBeCloseTo((2.5 * 0.1) / 20, 15);
    expect(a[0].exactLoss).toBeNull();
    expect(a[0].exactLossReason).toMatch(/two-layer/);
    expect(epsStreamId(0)).toBe(epsStreamId(-0));
    expect(epsStreamId(0.1)).not.toBe(epsStreamId(0.2));
  });

  it("accuracy: squared/Poisson and soft logistic labels give null with a reason; softmax uses argmax", () => {
    const rng = new Rng(3);
    const sq = randomData(rng, 5, 2, "squared");
    const m = randomLinear(rng, 2, 1, false, "squared");
    const rows = robustCurve(sq, m, family("squared"), [0.1], { attack: "fgsm", norm: "2" });
    expect(rows[0].robustAccuracy).toBeNull();
    expect(rows[0].robustAccuracyReason).toMatch(/squared/);
    const soft = makeDataset(Float64Array.from([1, 2]), Float64Array.from([0.3]), 1, 2);
    const q = robustAccuracy(soft, linearModel({ theta: [1, 1] }), family("logistic"), soft.X);
    expect(q.value).toBeNull();
    expect(q.reason).toMatch(/row 1 has y = 0.3/);
    const sm = makeDataset(Float64Array.from([1, 0, 0, 1]), Float64Array.from([1, 0, 0, 1]), 2, 2, 2);
    const id = linearModel({ theta: [1, 0, 0, 1], K: 2, loss: "softmax" });
    expect(robustAccuracy(sm, id, family("softmax"), sm.X).value).toBe(1);
    const swapped = linearModel({ theta: [0, 1, 1, 0], K: 2, loss: "softmax" });
    expect(robustAccuracy(sm, swapped, family("softmax"), sm.X).value).toBe(0);
  });

  it("bad ε and an unknown attack are InputErrors", () => {
    const rng = new Rng(4);
    const ds = randomData(rng, 3, 2, "logistic");
    const model = randomLinear(rng, 2, 1, false);
    expect(() => robustCurve(ds, model, family("logistic"), [0.1, -1], { attack: "fgsm", norm: "inf" })).toThrow(/ε/);
    expect(() => robustCurve(ds, model, family("logistic"), [0.1], { attack: "cw" as "pgd", norm: "inf" })).toThrow(/attack/);
    expect(() => robustCurve(ds, model, family("logistic"), [0.1], { attack: "pgd", norm: "inf" })).toThrow(/rng/);
  });
});
