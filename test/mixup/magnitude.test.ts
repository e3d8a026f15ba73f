import { describe, expect, it } from "vitest";
import { makeDataset } from "../../src/core/dataset.js";
import { OverflowError } from "../../src/core/errors.js";
import { family } from "../../src/losses/index.js";
import { linearModel, twoLayerModel } from "../../src/models/index.js";
import { MAGNITUDE_SAFETY, maxPairLoss, mixupGrad, mixupLoss } from "../../src/mixup/index.js";
import { cli, expectOneLineError, problemFiles } from "../helpers/cli.js";
import { bn, M } from "../losses/bigref.js";

const L = family("logistic");
const P = family("poisson");

async function thrown(f: () => Promise<unknown>): Promise<unknown> {
  try {
    await f();
  } catch (e) {
    return e;
  }
  return null;
}

describe("huge inputs: the exact methods compute what stays representable and refuse, naming the row, what would overflow", () => {
  it("the reported case: one row of 1e308 among 19, --method pairs → exit 2 naming d.csv row 6 (was 'NaN ± Infinity', exit 0)", () => {
    const rows = ["x1,x2,y"];
    for (let i = 0; i < 19; i++) rows.push(`${i === 5 ? "1e308" : ((i * 0.37) % 1.7) - 0.8},${((i * 0.61) % 1.3) - 0.6},${i % 2}`);
    const f = problemFiles(rows.join("\n") + "\n", JSON.stringify({ kind: "linear", theta: [1.2, -0.4], bias: 0.1 }));
    for (const extra of [[], ["--json"], ["--method", "auto", "--json"], ["--grad", "--json"]]) {
      const r = cli(["loss", "--data", f.data, "--model", f.model, "--alpha", "1", "--method", "pairs", ...extra]);
      expectOneLineError(r, /^mixup-theory: .*d\.csv: row 6: the score f\(x\) reaches 1\.20e\+308 on this row/);
    }
  });

  // logistic, n = 2, scores ±Z, labels 0 and 1, Beta(1, 1): for |z| this large softplus(z) = max(z, 0) in
  // float64, so l(z̃, ỹ) = (1 − ỹ)·max(z̃, 0) + ỹ·max(−z̃, 0), and
  //   L_mix = (1/4)·(l(Z, 0) + l(−Z, 1) + 2·∫₀¹ l((2λ−1)Z, 1−λ) dλ) = (1/4)·(2Z + 2·(5/12)Z) = (17/24)·Z
  const edge = (Z: number) => ({
    ds: makeDataset(Float64Array.from([1, -1]), Float64Array.from([0, 1]), 2, 1),
    model: linearModel({ theta: [Z], loss: "logistic" }),
  });
  const limitZ = (maxPairLoss(2) - Math.LN2) / 2; // the loss bound ln 2 + 2Z at the limit

  it("just inside the limit (|l| up to 0.9·MAX/(64·n²)) the value is computed, = (17/24)·Z to 1e-9", async () => {
    const Z = 0.9 * limitZ;
    const { ds, model } = edge(Z);
    for (const method of ["pairs", "auto"] as const) {
      const r = await mixupLoss(ds, model, L, 1, 1, { method, tol: 1e-10 });
      expect(Number.isFinite(r.value) && Number.isFinite(r.errorEstimate)).toBe(true);
      // tol 1e-10 relative to meanAbsLoss = the value itself (l ≥ 0): 1e-9 leaves a factor of 10
      expect(Math.abs(r.value / ((17 / 24) * Z) - 1)).toBeLessThan(1e-9);
      expect(r.errorEstimate).toBeLessThan(1e-9 * r.value);
    }
  });

  it("just beyond it, refused with an OverflowError naming the row (not NaN, not an internal error)", async () => {
    const { ds, model } = edge(1.01 * limitZ);
    const e = await thrown(() => mixupLoss(ds, model, L, 1, 1, { method: "pairs" }));
    expect(e).toBeInstanceOf(OverflowError);
    expect((e as Error).message).toMatch(/^row 1: the logistic loss may reach .* on the pairs of this row .*n² = 4 pair terms/);
    // Monte Carlo has no n² sum: it still estimates
    const mc = await mixupLoss(ds, model, L, 1, 1, { method: "mc", samples: 1000 });
    expect(Number.isFinite(mc.value)).toBe(true);
    expect(MAGNITUDE_SAFETY).toBe(64);
  });

  it("Poisson with scores near 700 (under 709.78): the exact L_mix against its closed form in 40 digits", async () => {
    // Beta(1, 1): E e^{λa + (1−λ)b} = (e^a − e^b)/(a − b); E[ỹ z̃] = (y_i z_i + y_j z_j)/3 + (y_i z_j + y_j z_i)/6
    const z = [700, 0, 1];
    const y = [1, 0, 2];
    const ds = makeDataset(Float64Array.from(z), Float64Array.from(y), 3, 1);
    const model = linearModel({ theta: [1], loss: "poisson" });
    let ref = bn(0);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const a = bn(z[i]);
        const b = bn(z[j]);
        const eh = i === j ? a.exp() : a.exp().minus(b.exp()).div(a.minus(b));
        const yz = bn(y[i] * z[i] + y[j] * z[j]).div(3).plus(bn(y[i] * z[j] + y[j] * z[i]).div(6));
        ref = ref.plus(eh.minus(yz));
      }
    }
    ref = ref.div(9);
    for (const method of ["pairs", "auto"] as const) {
      const r = await mixupLoss(ds, model, P, 1, 1, { method, tol: 1e-10 });
      expect(Math.abs(M.bignumber(r.value).div(ref).toNumber() - 1)).toBeLessThan(1e-9);
    }
  });

  it("the gradient has its own bound: tiny θ on rows of 1e306 keeps the loss but its θ-gradient (≈ x̃) is refused", async () => {
    const ds = makeDataset(Float64Array.from([1e306, -1e306, 5e305]), Float64Array.from([1, 0, 1]), 3, 1);
    const model = linearModel({ theta: [1e-300], loss: "logistic" });
    const l = await mixupLoss(ds, model, L, 1, 1, { method: "pairs" });
    expect(Number.isFinite(l.value)).toBe(true);
    const e = await thrown(() => mixupGrad(ds, model, L, 1, 1, { method: "pairs" }));
    expect(e).toBeInstanceOf(OverflowError);
    expect((e as Error).message).toMatch(/^row [12]: the θ-gradient of the logistic loss may reach/);
  });

  it("a two-layer net: the score bound covers the kinks (a huge first layer with a tiny head is computed)", async () => {
    const ds = makeDataset(Float64Array.from([1, 0.5, -1, 0.2, 0.3, -0.7]), Float64Array.from([1, 0, 1]), 3, 2);
    const net = twoLayerModel({ m: 2, W: [1e300, -2e300, 3e300, 1e300], V: [1e-300, -2e-300], loss: "logistic" });
    const r = await mixupLoss(ds, net, L, 1, 1, { method: "pairs" });
    expect(Number.isFinite(r.value) && Number.isFinite(r.errorEstimate)).toBe(true);
    const big = twoLayerModel({ m: 2, W: [1e306, -2e306, 3e306, 1e306], V: [1, -2], loss: "logistic" });
    expect(await thrown(() => mixupLoss(ds, big, L, 1, 1, { method: "pairs" }))).toBeInstanceOf(OverflowError);
  });
});
