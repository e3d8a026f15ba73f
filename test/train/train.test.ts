import { eigs } from "mathjs";
import { describe, expect, it } from "vitest";
import { makeDataset, type Dataset } from "../../src/core/dataset.js";
import { Rng } from "../../src/core/rng.js";
import { family } from "../../src/losses/index.js";
import { mixupGrad } from "../../src/mixup/mixupGrad.js";
import { mixupLoss } from "../../src/mixup/index.js";
import { getParams, linearModel, twoLayerModel, withParams } from "../../src/models/index.js";
import type { Model } from "../../src/models/types.js";
import { initModel, parseInitSpec } from "../../src/train/init.js";
import { LOG_COLUMNS, trainLogCsv } from "../../src/train/log.js";
import { train, type TrainOptions } from "../../src/train/train.js";

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Logistic data from a noisy teacher (not separable, so the optimum is finite). */
function logisticData(seed: number, n: number): Dataset {
  const rng = new Rng(seed);
  const X = Float64Array.from({ length: 2 * n }, () => rng.normal());
  const y = Float64Array.from({ length: n }, (_, i) => (rng.uniform() < sigmoid(1.5 * X[2 * i] - X[2 * i + 1] + 0.3) ? 1 : 0));
  return makeDataset(X, y, n, 2);
}

/** Solve the 3×3 system H·s = g by Gaussian elimination with partial pivoting. */
function solve3(H: number[][], g: number[]): number[] {
  const A = H.map((r, i) => [...r, g[i]]);
  for (let c = 0; c < 3; c++) {
    let p = c;
    for (let r = c + 1; r < 3; r++) if (Math.abs(A[r][c]) > Math.abs(A[p][c])) p = r;
    [A[c], A[p]] = [A[p], A[c]];
    for (let r = c + 1; r < 3; r++) {
      const f = A[r][c] / A[c][c];
      for (let k = c; k < 4; k++) A[r][k] -= f * A[c][k];
    }
  }
  const s = [0, 0, 0];
  for (let r = 2; r >= 0; r--) {
    let v = A[r][3];
    for (let k = r + 1; k < 3; k++) v -= A[r][k] * s[k];
    s[r] = v / A[r][r];
  }
  return s;
}

/** Newton's method for (1/n) Σ softplus(z) − y·z, z = θᵀx + b, written out (gradient and Hessian by hand). */
function newtonLogistic(ds: Dataset): number[] {
  let w = [0, 0, 0];
  for (let it = 0; it < 50; it++) {
    const g = [0, 0, 0];
    const H = [
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ];
    for (let i = 0; i < ds.n; i++) {
      const x = [ds.X[2 * i], ds.X[2 * i + 1], 1];
      const p = sigmoid(w[0] * x[0] + w[1] * x[1] + w[2]);
      for (let a = 0; a < 3; a++) {
        g[a] += ((p - ds.y[i]) * x[a]) / ds.n;
        for (let b = 0; b < 3; b++) H[a][b] += (p * (1 - p) * x[a] * x[b]) / ds.n;
      }
    }
    const s = solve3(H, g);
    w = w.map((v, k) => v - s[k]);
    if (Math.hypot(...g) < 1e-15) break;
  }
  return w;
}

const dist = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.hypot(...Array.from(a, (v, k) => v - b[k]));

describe("ERM by gradient descent reaches the optimum of an independent Newton solve", () => {
  it("linear logistic regression, n = 40: ‖θ_GD − θ_Newton‖ ≤ 1e-10", async () => {
    const ds = logisticData(3, 40);
    const star = newtonLogistic(ds);
    let tr = 0;
    for (let i = 0; i < ds.n; i++) tr += (ds.X[2 * i] ** 2 + ds.X[2 * i + 1] ** 2 + 1) / ds.n;
    // η = 1/L with L = tr(E[x̃x̃ᵀ])/4 ≥ λ_max(∇²L_std) (h'' ≤ 1/4): GD contracts at rate 1 − μ/L per step.
    // Measured: the gradient norm reaches 9e-17 within 500 steps, so after 1000 the distance is rounding;
    // 1e-10 leaves room for the Newton solve's own rounding (its last step below 1e-15)
    const r = await train(ds, linearModel({ theta: [0, 0], bias: [0] }), family("logistic"), {
      objective: "erm",
      alpha: 1,
      steps: 1000,
      lr: 4 / tr,
      checkpointEvery: 1000,
    });
    expect(dist(getParams(r.model), star)).toBeLessThanOrEqual(1e-10);
    expect(r.log.map((row) => row.step)).toEqual([0, 1000]);
    expect(r.log[1].gradNorm).toBeLessThan(1e-12);
  });
});

describe("mixup-exact descends on the exact L_mix", () => {
  it("ends with ‖∇L_mix‖ ≤ 1e-8 and its minimiser agrees with Newton on the exact loss (Hessian by central differences of the exact gradient)", async () => {
    const ds = logisticData(3, 12);
    const fam = family("logistic");
    const m0 = linearModel({ theta: [0, 0], bias: [0] });
    const r = await train(ds, m0, fam, { objective: "mixup-exact", alpha: 0.5, beta: 2, steps: 300, lr: 1.5, checkpointEvery: 100 });
    expect(r.log.map((row) => row.step)).toEqual([0, 100, 200, 300]);
    // the final gradient, independently of the training path's method: all pairs at tol 1e-13
    const exactGrad = (m: Model) => mixupGrad(ds, m, fam, 0.5, 2, { method: "pairs", tol: 1e-13 });
    const gEnd = await exactGrad(r.model);
    const gNorm = Math.hypot(...gEnd.grad);
    expect(gNorm).toBeLessThanOrEqual(1e-8);
    expect(r.log[3].gradNorm).toBeLessThanOrEqual(1e-8);

    // Newton on the exact loss, from the origin: H by central differences of the exact gradient, h = 1e-4
    // (truncation O(h²·|∇³L|) ≈ 1e-8, quadrature noise 1e-13/h ≈ 1e-9, relative to H ≈ 0.1: Newton still
    // converges, linearly at a rate ~1e-7)
    let w = [0, 0, 0];
    let H: number[][] = [];
    let gw = Infinity;
    for (let it = 0; it < 20 && gw > 1e-13; it++) {
      const g = Array.from((await exactGrad(withParams(m0, w))).grad);
      gw = Math.hypot(...g);
      H = [];
      for (let a = 0; a < 3; a++) {
        const h = 1e-4;
        const up = (await exactGrad(withParams(m0, w.map((v, k) => (k === a ? v + h : v))))).grad;
        const dn = (await exactGrad(withParams(m0, w.map((v, k) => (k === a ? v - h : v))))).grad;
        H.push(Array.from(up, (u, k) => (u - dn[k]) / (2 * h)));
      }
      H = H.map((row, a) => row.map((_, b) => (H[a][b] + H[b][a]) / 2));
      const s = solve3(H, g);
      w = w.map((v, k) => v - s[k]);
    }
    expect(gw).toBeLessThanOrEqual(1e-12);
    // L_mix is μ-strongly convex near the minimiser (μ = smallest eigenvalue of H), so
    // ‖θ − θ*‖ ≤ ‖∇L_mix(θ)‖/μ for each point; the factor 2 covers the change of H over a segment of length ~1e-8.
    // Measured: ‖∇L_mix‖ 2.1e-14 after 300 steps (from 0.27), μ = 0.072, distance to Newton's 1.8e-13 (bound 5.7e-13)
    const mu = Math.min(...(eigs(H).values as number[]));
    expect(mu).toBeGreaterThan(0);
    expect(dist(getParams(r.model), w)).toBeLessThanOrEqual((2 * (gNorm + gw)) / mu);
    // and the losses agree to the quadrature's accuracy
    const lTrain = await mixupLoss(ds, r.model, fam, 0.5, 2, { method: "pairs", tol: 1e-13 });
    const lNewton = await mixupLoss(ds, withParams(m0, w), fam, 0.5, 2, { method: "pairs", tol: 1e-13 });
    expect(Math.abs(lTrain.value - lNewton.value)).toBeLessThanOrEqual(1e-12 + lTrain.errorEstimate + lNewton.errorEstimate);
  });
});

describe("the log and the record", () => {
  const ds = logisticData(5, 16);
  const test = logisticData(6, 10);
  const fam = family("logistic");
  const m0 = initModel(parseInitSpec("relu2:4"), 2, 1, "logistic", new Rng(1).fork(0));
  const base: TrainOptions = { objective: "mixup-sampled", alpha: 1, steps: 7, lr: 0.1, batch: 5, checkpointEvery: 3, seed: 4, test };

  it("rows at step 0, every k, and the last; no NaN; the record fills every default", async () => {
    const r = await train(ds, m0, fam, base);
    expect(r.log.map((row) => row.step)).toEqual([0, 3, 6, 7]);
    expect(r.run).toMatchObject({
      objective: "mixup-sampled",
      alpha: 1,
      beta: 1,
      lambda: "per-batch",
      optimizer: "gd",
      adam: null,
      lr: 0.1,
      steps: 7,
      batch: 5,
      droppedPerEpoch: 1,
      seed: 4,
      checkpointEvery: 3,
      tol: 1e-10,
      gradMethod: null,
      loss: "logistic",
      n: 16,
      nTest: 10,
    });
    for (const row of r.log) {
      for (const k of LOG_COLUMNS) {
        const v = (row as unknown as Record<string, unknown>)[k];
        if (v === null) expect(typeof (row as unknown as Record<string, unknown>)[`${k}Reason`], k).toBe("string");
        else if (typeof v === "number") expect(Number.isFinite(v), k).toBe(true);
      }
      expect(row.gradNorm).toBeNull(); // sampled: no norm of a sampled gradient
      expect(row.testLoss).not.toBeNull();
      expect(row.trainAccuracy! >= 0 && row.trainAccuracy! <= 1).toBe(true);
      expect(row.approx).toBeCloseTo(row.trainLoss + row.R1! + row.R2! + row.R3!, 12);
    }
    // the log's L_mix is mixupLoss at the run's α, β
    const direct = await mixupLoss(ds, r.model, fam, 1, 1, { method: "auto" });
    expect(r.log[3].mixupLoss).toBe(direct.value);
  });

  it("the same seed gives the same model and log (wallTime aside); another seed another run", async () => {
    const a = await train(ds, m0, fam, base);
    const b = await train(ds, m0, fam, base);
    const c = await train(ds, m0, fam, { ...base, seed: 5 });
    expect(getParams(a.model)).toEqual(getParams(b.model));
    expect(trainLogCsv(a.log, { wallTime: false })).toBe(trainLogCsv(b.log, { wallTime: false }));
    expect(getParams(c.model)).not.toEqual(getParams(a.model));
    expect(trainLogCsv(a.log).split("\n")[0]).toBe(LOG_COLUMNS.join(","));
    expect(trainLogCsv(a.log, { wallTime: false }).split("\n")[0]).not.toMatch(/wallTime/);
  });

  it("log: false writes no rows and trains the same model (a checkpoint never changes a number)", async () => {
    for (const o of [base, { ...base, objective: "erm" as const, batch: 16 }]) {
      const logged = await train(ds, m0, fam, o);
      const silent = await train(ds, m0, fam, { ...o, log: false });
      expect(silent.log).toEqual([]);
      expect(getParams(silent.model)).toEqual(getParams(logged.model));
    }
  });

  it("softmax: Section 3's columns are null with a reason, accuracy by argmax", async () => {
    const rng = new Rng(2);
    const n = 9;
    const X = Float64Array.from({ length: 2 * n }, () => rng.normal());
    const Y = new Float64Array(3 * n);
    for (let i = 0; i < n; i++) Y[3 * i + (i % 3)] = 1;
    const sm = makeDataset(X, Y, n, 2, 3);
    const model = initModel(parseInitSpec("linear"), 2, 3, "softmax", new Rng(3));
    const r = await train(sm, model, family("softmax"), { objective: "mixup-exact", alpha: 1, steps: 2, lr: 0.5, optimizer: "adam" });
    const row = r.log[1];
    expect(row.epsMix).toBeNull();
    expect(row.epsMixReason).toMatch(/scalar output/);
    expect(row.unmetAssumptions).toBeNull();
    expect(typeof row.trainAccuracy).toBe("number");
    expect(row.gradNorm).toBeGreaterThan(0);
    expect(r.run.adam).toEqual({ beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    expect(trainLogCsv(r.log)).not.toMatch(/NaN|null|undefined/);
  });

  it("ERM minibatches and full batch; squared loss has no accuracy (null with a reason)", async () => {
    const rng = new Rng(8);
    const X = Float64Array.from({ length: 20 }, () => rng.normal());
    const y = Float64Array.from({ length: 10 }, () => rng.normal());
    const sq = makeDataset(X, y, 10, 2);
    const r = await train(sq, linearModel({ theta: [0, 0], bias: [0], loss: "squared" }), family("squared"), {
      objective: "erm",
      alpha: 1,
      steps: 3,
      lr: 0.1,
      batch: 4,
    });
    expect(r.log[0].trainAccuracyReason).toMatch(/classification/);
    expect(r.log[0].inThetaFraction).toBeNull();
    expect(r.log[0].inThetaFractionReason).toMatch(/\{0, 1\}/);
    expect(r.run.droppedPerEpoch).toBe(2);
  });

  it("bad options are InputErrors naming the CLI option", async () => {
    const bad: Array<[Partial<TrainOptions>, RegExp]> = [
      [{ batch: 17 }, /--batch: 17 is larger than the 16 training rows/],
      [{ steps: 0 }, /--steps/],
      [{ lr: 0 }, /--lr/],
      [{ lr: -1 }, /--lr/],
      [{ objective: "sgd" as never }, /--objective/],
      [{ optimizer: "rmsprop" as never }, /--optimizer/],
      [{ alpha: 0 }, /alpha/],
      [{ objective: "mixup-exact", batch: 4 }, /full batch only/],
      [{ lambda: "per-row" as never }, /--lambda/],
      [{ checkpointEvery: 0 }, /--checkpoint-every/],
    ];
    for (const [o, re] of bad) await expect(train(ds, m0, fam, { ...base, ...o }), re.source).rejects.toThrow(re);
    const wrongD = twoLayerModel({ W: [1, 2, 3], m: 1, V: [1] });
    await expect(train(ds, wrongD, fam, base)).rejects.toThrow(/d = 3/);
  });
});
