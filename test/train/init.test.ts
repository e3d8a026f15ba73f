import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { getParams } from "../../src/models/index.js";
import { initModel, parseInitSpec } from "../../src/train/init.js";

/** Kolmogorov–Smirnov statistic of samples against U(−b, b). */
function ksUniform(xs: Float64Array, b: number): number {
  const s = Float64Array.from(xs).sort();
  const N = s.length;
  let D = 0;
  for (let i = 0; i < N; i++) {
    const F = (s[i] + b) / (2 * b);
    D = Math.max(D, Math.abs(F - i / N), Math.abs((i + 1) / N - F));
  }
  return D;
}

describe("PyTorch's nn.Linear default: U(−1/√fan_in, 1/√fan_in) for weights and biases", () => {
  it("relu2:m — W, b with fan_in d; V, c with fan_in m (support, mean, variance, KS)", () => {
    const d = 40;
    const m = 400;
    const model = initModel(parseInitSpec(`relu2:${m}`), d, 1, "logistic", new Rng(7));
    if (model.kind !== "relu2") throw new Error("kind");
    expect(model.activation).toBe("relu");
    for (const [name, a, fanIn] of [
      ["W", model.W, d],
      ["V", model.V, m],
    ] as const) {
      const b = 1 / Math.sqrt(fanIn);
      const N = a.length;
      let mean = 0;
      let sq = 0;
      for (const v of a) {
        expect(Math.abs(v)).toBeLessThan(b);
        mean += v / N;
        sq += (v * v) / N;
      }
      // U(−b, b): mean 0 (sd b/√(3N)), E w² = b²/3 (sd of w² is b²·√(4/45)); 5 sd: a false alarm < 1e-6
      expect(Math.abs(mean), name).toBeLessThan((5 * b) / Math.sqrt(3 * N));
      expect(Math.abs(sq - (b * b) / 3), name).toBeLessThan((5 * b * b * Math.sqrt(4 / 45)) / Math.sqrt(N));
      // KS at the 0.1% level: 1.95/√N
      expect(ksUniform(a, b), name).toBeLessThan(1.95 / Math.sqrt(N));
    }
    expect(model.b!.length).toBe(m);
    for (const v of model.b!) expect(Math.abs(v)).toBeLessThan(1 / Math.sqrt(d));
    expect(model.c!.length).toBe(1);
    expect(Math.abs(model.c![0])).toBeLessThan(1 / Math.sqrt(m));
  });

  it("linear: θ and bias with fan_in d; softmax gets K rows; tanh2 a tanh net; bias = false leaves biases absent", () => {
    const lin = initModel(parseInitSpec("linear"), 5, 3, "softmax", new Rng(1));
    if (lin.kind !== "linear") throw new Error("kind");
    expect([lin.K, lin.d, lin.theta.length, lin.bias!.length]).toEqual([3, 5, 15, 3]);
    for (const v of getParams(lin)) expect(Math.abs(v)).toBeLessThan(1 / Math.sqrt(5));
    const t = initModel(parseInitSpec("tanh2:4"), 2, 1, "squared", new Rng(1), false);
    if (t.kind !== "relu2") throw new Error("kind");
    expect([t.activation, t.m, t.b, t.c, t.loss]).toEqual(["tanh", 4, null, null, "squared"]);
  });

  it("is a function of the seed: the same seed gives the same bytes, another seed or fork other numbers", () => {
    const spec = parseInitSpec("relu2:8");
    const a = getParams(initModel(spec, 3, 1, "logistic", new Rng(5).fork(0)));
    const b = getParams(initModel(spec, 3, 1, "logistic", new Rng(5).fork(0)));
    const c = getParams(initModel(spec, 3, 1, "logistic", new Rng(6).fork(0)));
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).toBe(false);
  });

  it("parseInitSpec refuses what it does not know", () => {
    for (const bad of ["relu", "relu2", "relu2:0", "relu2:-3", "relu2:1.5", "softplus2:4", "Linear", "tanh2:100001", ""]) {
      expect(() => parseInitSpec(bad), bad).toThrow(/--init/);
    }
    expect(parseInitSpec("tanh2:16")).toEqual({ arch: "tanh2", m: 16 });
  });
});
