import { describe, expect, it } from "vitest";
import { makeDataset, type Dataset } from "../../src/core/dataset.js";
import { family } from "../../src/losses/index.js";
import { m1 as m1Of, m2 as m2Of } from "../../src/mixing/dtilde.js";
import { linearModel, twoLayerModel } from "../../src/models/index.js";
import { regularizerLreg } from "../../src/robustness/secondOrder.js";
import { scaleData, taylorTerms } from "../../src/taylor/index.js";
import { cliJson, problemFiles } from "../helpers/cli.js";
import { bn, M, type BN } from "../losses/bigref.js";

// the example of docs/cli.md: data.csv with lin.json (θ = (1.2, −0.4), bias 0.1)
const X = [0.5, 1.2, -0.3, 0.8, 1.1, -0.4, -1.2, -0.7, 0.2, 0.1, -0.6, 1.5];
const Y = [1, 0, 1, 0, 1, 0];
const THETA = [1.2, -0.4];
const B = 0.1;
const base = makeDataset(Float64Array.from(X), Float64Array.from(Y), 6, 2);
const model = linearModel({ theta: THETA, bias: [B], loss: "logistic" });
const L = family("logistic");

/** σ and σ(1 − σ) at f in 40 digits; beyond |f| = 1000 they are within 1e-434 of 0/1 (below any double). */
function sigmoidAt(f: BN): BN {
  if (f.abs().gt(1000)) return bn(f.gt(0) ? 1 : 0);
  const e = f.abs().neg().exp();
  return f.gte(0) ? bn(1).div(e.plus(1)) : e.div(e.plus(1));
}
function sigmoidPrimeAt(f: BN): BN {
  if (f.abs().gt(1000)) return bn(0);
  const e = f.abs().neg().exp();
  const d = e.plus(1);
  return e.div(d.times(d));
}

/**
 * R1, R2 and L_reg of Lemma 3.1 / Theorem 3.1 for the linear logistic model, in 40-digit arithmetic on the
 * very doubles of the scaled data set (docs/theory.md §3.1): with t_i = θᵀ(x̄ − x_i), G = θᵀΣ_cθ = (1/n)Σ t_i²,
 *   R1 = (m1/n) Σ (σ(f_i) − y_i) t_i,  R2 = (m2/(2n)) Σ σ'(f_i)(G + t_i²),  L_reg = (m1²/(2n)) Σ σ'(f_i)·G,
 * and the sums of the absolute summands, the scale of the rounding a double computation may make.
 */
function reference(ds: Dataset, alpha: number) {
  const n = ds.n;
  const m1 = bn(m1Of(alpha, alpha));
  const m2 = bn(m2Of(alpha, alpha));
  const xs = Array.from(ds.X, (v) => bn(v));
  const mean = [0, 1].map((k) => xs.filter((_, q) => q % 2 === k).reduce((a, b) => a.plus(b), bn(0)).div(n));
  const t: BN[] = [];
  const f: BN[] = [];
  for (let i = 0; i < n; i++) {
    const proj = (v: (k: number) => BN) => bn(THETA[0]).times(v(0)).plus(bn(THETA[1]).times(v(1)));
    t.push(proj((k) => mean[k].minus(xs[2 * i + k])));
    f.push(proj((k) => xs[2 * i + k]).plus(bn(B)));
  }
  const G = t.reduce((a, v) => a.plus(v.times(v)), bn(0)).div(n);
  let r1 = bn(0), a1 = bn(0), r2 = bn(0), a2 = bn(0), h2 = bn(0);
  for (let i = 0; i < n; i++) {
    const g = sigmoidAt(f[i]).minus(Y[i]);
    r1 = r1.plus(g.times(t[i]));
    a1 = a1.plus(g.times(t[i]).abs());
    const h = sigmoidPrimeAt(f[i]);
    r2 = r2.plus(h.times(G.plus(t[i].times(t[i]))));
    h2 = h2.plus(h);
  }
  a2 = r2; // every summand ≥ 0
  return {
    R1: r1.times(m1).div(n),
    R1abs: a1.times(m1).div(n),
    R2: r2.times(m2).div(2 * n),
    R2abs: a2.times(m2).div(2 * n),
    Lreg: h2.times(G).times(m1).times(m1).div(2 * n),
  };
}

const close = (x: number, ref: BN, scale: BN, what: string) => {
  // a few ulps per summand of a sum over 6 rows and 2 features: 1e-13 of the absolute summands is ample,
  // and the bug (R1 = R2 = 0 at s = 1e-20, cancellation in f − b) misses by 100%
  expect(M.bignumber(x).minus(ref).abs().lte(scale.times(1e-13)), `${what}: ${x} vs ${ref.toString()}`).toBe(true);
};

describe("Lemma 3.1's terms under data scaling with a bias (taylor --scale 1e-20 gave R1 = R2 = 0)", () => {
  const scales = [1e-20, 1e-15, 1e-10, 1e-5, 1e-2, 1, 10, 1e3, 1e5, 1e10, 1e15, 1e20];
  for (const s of scales) {
    it(`s = ${s}: R1, R2, approx and L_reg against 40-digit values on the same scaled doubles`, () => {
      const ds = scaleData(base, s);
      const t = taylorTerms(ds, model, L, 1, 1);
      const ref = reference(ds, 1);
      close(t.R1, ref.R1, ref.R1abs, "R1");
      close(t.R2, ref.R2, ref.R2abs, "R2");
      close(regularizerLreg(ds, model, L, 1, 1), ref.Lreg, ref.Lreg, "L_reg");
      if (s <= 1e-5) {
        // the terms scale exactly like s and s² as s → 0 (f_i → b): neither may vanish
        expect(t.R1).not.toBe(0);
        expect(t.R2).toBeGreaterThan(0);
      }
    });
  }

  it("a ReLU net with first-layer biases: R1/s and R2/s² are the same at s = 1e-20 as at 1e-12 (the kinks stay put)", () => {
    const net = twoLayerModel({ m: 3, W: [1, -0.5, 0.3, 0.8, -0.7, 0.4], b: [0.1, -0.2, 0.05], V: [1.5, -0.8, 0.6], c: [0.05], loss: "logistic" });
    const a = taylorTerms(scaleData(base, 1e-12), net, L, 1, 1);
    const b = taylorTerms(scaleData(base, 1e-20), net, L, 1, 1);
    // R1 = s·C1 + O(s²), R2 = s²·C2 + O(s³): between the two scales the relative change is O(1e-12)
    expect(Math.abs(b.R1 / 1e-20 / (a.R1 / 1e-12) - 1)).toBeLessThan(1e-9);
    expect(Math.abs(b.R2 / 1e-40 / (a.R2 / 1e-24) - 1)).toBeLessThan(1e-9);
  });

  it("the taylor command at s = 1e-20 and 1e20 prints R1, R2 that follow the reference (not 0)", () => {
    const f = problemFiles("x1,x2,y\n0.5,1.2,1\n-0.3,0.8,0\n1.1,-0.4,1\n-1.2,-0.7,0\n0.2,0.1,1\n-0.6,1.5,0\n", JSON.stringify({ kind: "linear", theta: THETA, bias: B }));
    const o = cliJson(["taylor", "--data", f.data, "--model", f.model, "--alpha", "1", "--scale", "1e-20,1e20", "--json"]);
    const r0 = reference(scaleData(base, 1e-20), 1);
    close(o.rows[0].R1, r0.R1, r0.R1abs, "R1 at 1e-20");
    close(o.rows[0].R2, r0.R2, r0.R2abs, "R2 at 1e-20");
    expect(o.rows[0].R1).not.toBe(0);
  });
});
