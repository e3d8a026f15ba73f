import { describe, expect, it } from "vitest";
import { InputError, OverflowError } from "../../src/core/errors.js";
import { Rng } from "../../src/core/rng.js";
import { family, standardLoss } from "../../src/losses/index.js";
import type { LossName } from "../../src/losses/types.js";
import {
  getParams,
  linearModel,
  lossParamGrad,
  paramCount,
  predict,
  twoLayerModel,
  withParams,
} from "../../src/models/index.js";
import type { Activation, Model } from "../../src/models/types.js";
import { normals, randomLinear, randomTwoLayer } from "./helpers.js";

describe("parameter flattening", () => {
  it("linear: θ then bias", () => {
    const m = linearModel({ theta: [1, 2, 3, 4, 5, 6], K: 2, bias: [7, 8] });
    expect(paramCount(m)).toBe(8);
    expect(Array.from(getParams(m))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(paramCount(linearModel({ theta: [1, 2, 3] }))).toBe(3);
  });

  it("two-layer: W, b, V, c, absent biases skipped", () => {
    const m = twoLayerModel({ W: [1, 2, 3, 4], m: 2, b: [5, 6], V: [7, 8], c: [9] });
    expect(Array.from(getParams(m))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const m2 = twoLayerModel({ W: [1, 2, 3, 4], m: 2, V: [7, 8, 10, 11], K: 2, c: [9, 12] });
    expect(Array.from(getParams(m2))).toEqual([1, 2, 3, 4, 7, 8, 10, 11, 9, 12]);
    const m3 = twoLayerModel({ W: [1, 2, 3, 4], m: 2, b: [5, 6], V: [7, 8] });
    expect(paramCount(m3)).toBe(8);
  });

  it("withParams(getParams(m)) reproduces m, returns a new model and copies p", () => {
    const rng = new Rng(41);
    for (const m of [randomLinear(rng, 3, 2, true), randomTwoLayer(rng, 3, 4, 3, "tanh", true), randomTwoLayer(rng, 3, 4, 1, "relu", false)]) {
      const p = getParams(m);
      const m2 = withParams(m, p);
      expect(m2).not.toBe(m);
      expect(m2).toEqual(m);
      const p0 = p[0];
      p[0] += 1;
      expect(getParams(m2)[0]).toBe(p0);
      const q = normals(rng, paramCount(m));
      expect(Array.from(getParams(withParams(m, q)))).toEqual(Array.from(q));
    }
    expect(() => withParams(linearModel({ theta: [1, 2] }), [1])).toThrow(RangeError);
  });
});

/** Labels in each family's domain. */
function labels(rng: Rng, loss: LossName, n: number, K: number): Float64Array {
  const y = new Float64Array(n * K);
  for (let i = 0; i < n; i++) {
    if (loss === "logistic") y[i] = i % 3 === 0 ? rng.uniform() : rng.int(2);
    else if (loss === "squared") y[i] = 2 * rng.normal();
    else if (loss === "poisson") y[i] = rng.int(5);
    else if (i % 2 === 0) y[i * K + rng.int(K)] = 1;
    else {
      const w = Array.from({ length: K }, () => rng.uniform() + 0.1);
      const s = w.reduce((a, b) => a + b, 0);
      for (let k = 0; k < K; k++) y[i * K + k] = w[k] / s;
    }
  }
  return y;
}

const LOSSES: LossName[] = ["logistic", "squared", "poisson", "softmax"];
const ACTS: Activation[] = ["relu", "softplus", "tanh"];

describe("lossParamGrad against central finite differences", () => {
  const rng = new Rng(42);
  for (const loss of LOSSES) {
    const K = loss === "softmax" ? 3 : 1;
    for (const kind of ["linear", ...ACTS] as const) {
      for (const bias of [false, true]) {
        it(`${loss} × ${kind} × ${bias ? "with" : "without"} biases (K = ${K})`, () => {
          const d = 3;
          const n = 9;
          const model: Model =
            kind === "linear" ? randomLinear(rng, d, K, bias, loss) : randomTwoLayer(rng, d, 5, K, kind, bias, loss);
          const fam = family(loss);
          const X = normals(rng, n * d);
          const y = labels(rng, loss, n, K);
          const { loss: L, grad } = lossParamGrad(model, fam, X, y, n, K);
          // the loss is the standard loss of the predictions
          expect(L).toBeCloseTo(standardLoss(fam, predict(model, X, n), y, n, K), 13);
          const p = getParams(model);
          const fd = new Float64Array(p.length);
          for (let t = 0; t < p.length; t++) {
            const h = 1e-6 * Math.max(1, Math.abs(p[t]));
            const pp = p.slice();
            const pm = p.slice();
            pp[t] += h;
            pm[t] -= h;
            const Lp = lossParamGrad(withParams(model, pp), fam, X, y, n, K).loss;
            const Lm = lossParamGrad(withParams(model, pm), fam, X, y, n, K).loss;
            fd[t] = (Lp - Lm) / (2 * h);
          }
          let num = 0;
          let den = 0;
          for (let t = 0; t < p.length; t++) {
            num += (grad[t] - fd[t]) ** 2;
            den += fd[t] ** 2;
          }
          expect(Math.sqrt(num / den)).toBeLessThan(1e-6);
          // also entrywise, relative to the gradient's size
          const gmax = Math.max(...Array.from(fd, Math.abs));
          for (let t = 0; t < p.length; t++) expect(Math.abs(grad[t] - fd[t])).toBeLessThan(1e-6 * gmax);
        });
      }
    }
  }
});

describe("lossParamGrad checks", () => {
  it("writes into out when given and clears it first", () => {
    const rng = new Rng(43);
    const model = randomTwoLayer(rng, 2, 3, 1, "tanh", true);
    const X = normals(rng, 8);
    const y = Float64Array.of(0, 1, 1, 0);
    const out = new Float64Array(paramCount(model)).fill(99);
    const r = lossParamGrad(model, family("logistic"), X, y, 4, 1, out);
    expect(r.grad).toBe(out);
    expect(Array.from(out)).toEqual(Array.from(lossParamGrad(model, family("logistic"), X, y, 4, 1).grad));
  });

  it("rejects a family that does not fit the model, and reports overflow with the row", () => {
    const rng = new Rng(44);
    const X = normals(rng, 6);
    expect(() => lossParamGrad(randomLinear(rng, 2, 3, false), family("logistic"), X, new Float64Array(3), 3, 1)).toThrow(InputError);
    expect(() => lossParamGrad(randomLinear(rng, 2, 1, false), family("softmax"), X, new Float64Array(3), 3, 1)).toThrow(/softmax/);
    const big = linearModel({ theta: [1e3, 0], loss: "poisson" });
    const Xb = Float64Array.of(0, 0, 1, 0, 0, 1);
    try {
      lossParamGrad(big, family("poisson"), Xb, Float64Array.of(1, 1, 1), 3, 1);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(OverflowError);
      expect((e as OverflowError).row).toBe(2);
      expect((e as Error).message).toMatch(/row 2: the poisson loss is Infinity \(not finite\) at score 1000/);
    }
  });
});
