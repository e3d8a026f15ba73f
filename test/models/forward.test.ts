import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import {
  firstLayerWidth,
  headFromPreact,
  inputDim,
  isHomogeneous,
  isPiecewiseLinear,
  linearModel,
  outputAt,
  outputs,
  predict,
  preactivations,
  preactivationsAt,
  twoLayerModel,
  gradX,
} from "../../src/models/index.js";
import type { Activation, Model } from "../../src/models/types.js";
import { normals, randomLinear, randomTwoLayer } from "./helpers.js";

const ACTS: Activation[] = ["relu", "softplus", "tanh"];

function models(rng: Rng): Model[] {
  const out: Model[] = [];
  for (const K of [1, 3]) {
    for (const bias of [false, true]) {
      out.push(randomLinear(rng, 4, K, bias));
      for (const a of ACTS) out.push(randomTwoLayer(rng, 4, 6, K, a, bias));
    }
  }
  return out;
}

describe("shapes and hand-computed values", () => {
  it("linear: f = θx + b", () => {
    const m = linearModel({ theta: [1, 2, 3, -1, 0, 0.5], K: 2, bias: [10, 20] });
    expect([outputs(m), inputDim(m), firstLayerWidth(m)]).toEqual([2, 3, 2]);
    const X = Float64Array.of(1, 1, 1, 0, 2, -2);
    expect(Array.from(predict(m, X, 2))).toEqual([16, 19.5, 8, 19]);
    expect(Array.from(preactivations(m, X, 2))).toEqual([16, 19.5, 8, 19]);
  });

  it("relu2: f = vᵀ relu(Wx + b) + c", () => {
    const m = twoLayerModel({ W: [1, 0, 0, 1, 1, 1], m: 3, V: [1, -2, 0.5], b: [0, -1, 0], c: [3] });
    expect([outputs(m), inputDim(m), firstLayerWidth(m)]).toEqual([1, 2, 3]);
    const X = Float64Array.of(2, 0.5, -1, 3);
    // x1: u = (2, −0.5, 2.5), relu = (2, 0, 2.5): 2 + 1.25 + 3 = 6.25
    // x2: u = (−1, 2, 2), relu = (0, 2, 2): −4 + 1 + 3 = 0
    expect(Array.from(predict(m, X, 2))).toEqual([6.25, 0]);
    expect(Array.from(preactivations(m, X, 2))).toEqual([2, -0.5, 2.5, -1, 2, 2]);
  });

  it("smooth activations use tanh and softplus", () => {
    const t = twoLayerModel({ W: [0.3], m: 1, V: [2], activation: "tanh" });
    const s = twoLayerModel({ W: [0.3], m: 1, V: [2], activation: "softplus" });
    expect(predict(t, Float64Array.of(2), 1)[0]).toBeCloseTo(2 * Math.tanh(0.6), 15);
    expect(predict(s, Float64Array.of(2), 1)[0]).toBeCloseTo(2 * Math.log1p(Math.exp(0.6)), 15);
  });
});

describe("preactivations + headFromPreact = predict", () => {
  it("for every kind, activation, K and bias setting, at offsets", () => {
    const rng = new Rng(11);
    for (const model of models(rng)) {
      const n = 7;
      const { d, K } = model;
      const p = firstLayerWidth(model);
      const X = normals(rng, n * d, 1.5);
      const F = predict(model, X, n);
      const U = preactivations(model, X, n);
      expect(U.length).toBe(n * p);
      const head = new Float64Array(K + 2);
      const one = new Float64Array(K + 1);
      const u1 = new Float64Array(p + 3);
      for (let i = 0; i < n; i++) {
        headFromPreact(model, U, i * p, head, 2);
        outputAt(model, X, i * d, one, 1);
        preactivationsAt(model, X, i * d, u1, 3);
        for (let k = 0; k < K; k++) {
          expect(Math.abs(head[2 + k] - F[i * K + k])).toBeLessThanOrEqual(1e-14 * (1 + Math.abs(F[i * K + k])));
          expect(one[1 + k]).toBe(F[i * K + k]);
        }
        for (let r = 0; r < p; r++) expect(u1[3 + r]).toBe(U[i * p + r]);
      }
    }
  });

  it("pre-activations of a mixed point are the mix of the pre-activations (docs/theory.md §2.3)", () => {
    const rng = new Rng(12);
    for (const model of models(rng)) {
      const { d } = model;
      const p = firstLayerWidth(model);
      const X = normals(rng, 2 * d);
      const U = preactivations(model, X, 2);
      const lam = 0.3;
      const xm = Float64Array.from({ length: d }, (_, j) => lam * X[j] + (1 - lam) * X[d + j]);
      const um = preactivations(model, xm, 1);
      for (let r = 0; r < p; r++) expect(um[r]).toBeCloseTo(lam * U[r] + (1 - lam) * U[p + r], 12);
    }
  });
});

describe("isPiecewiseLinear / isHomogeneous", () => {
  it("classifies the models", () => {
    const rng = new Rng(13);
    expect(isPiecewiseLinear(randomLinear(rng, 2, 1, true))).toBe(true);
    expect(isPiecewiseLinear(randomTwoLayer(rng, 2, 3, 1, "relu", true))).toBe(true);
    expect(isPiecewiseLinear(randomTwoLayer(rng, 2, 3, 1, "tanh", false))).toBe(false);
    expect(isHomogeneous(randomLinear(rng, 2, 1, false))).toBe(true);
    expect(isHomogeneous(randomLinear(rng, 2, 1, true))).toBe(false);
    expect(isHomogeneous(linearModel({ theta: [1, 2], bias: [0] }))).toBe(true);
    expect(isHomogeneous(randomTwoLayer(rng, 2, 3, 1, "relu", false))).toBe(true);
    expect(isHomogeneous(randomTwoLayer(rng, 2, 3, 1, "relu", true))).toBe(false);
    expect(isHomogeneous(twoLayerModel({ W: [1, 2], m: 1, V: [1], b: [0], c: [0] }))).toBe(true);
    expect(isHomogeneous(twoLayerModel({ W: [1, 2], m: 1, V: [1], c: [0.1] }))).toBe(false);
    expect(isHomogeneous(randomTwoLayer(rng, 2, 3, 1, "softplus", false))).toBe(false);
  });

  it("homogeneous models satisfy f(x) = ∇f(x)ᵀx and f(sx) = s f(x) (docs/theory.md §2.3)", () => {
    const rng = new Rng(14);
    for (const model of [randomLinear(rng, 5, 3, false), randomTwoLayer(rng, 5, 8, 3, "relu", false)]) {
      expect(isHomogeneous(model)).toBe(true);
      const { d, K } = model;
      for (let t = 0; t < 20; t++) {
        const x = normals(rng, d, 2);
        const f = predict(model, x, 1);
        const G = new Float64Array(K * d);
        gradX(model, x, 0, G);
        const fs = predict(model, x.map((v) => 2.5 * v), 1);
        for (let k = 0; k < K; k++) {
          let s = 0;
          for (let j = 0; j < d; j++) s += G[k * d + j] * x[j];
          expect(s).toBeCloseTo(f[k], 12);
          expect(fs[k]).toBeCloseTo(2.5 * f[k], 12);
        }
      }
    }
  });
});
