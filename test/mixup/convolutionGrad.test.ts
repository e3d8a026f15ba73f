import { describe, expect, it } from "vitest";
import { makeDataset, type Dataset } from "../../src/core/dataset.js";
import { Rng } from "../../src/core/rng.js";
import { sigmoid } from "../../src/core/special.js";
import { Neumaier } from "../../src/core/sum.js";
import { family } from "../../src/losses/index.js";
import type { LossName } from "../../src/losses/types.js";
import { getParams, linearModel, predict, withParams } from "../../src/models/index.js";
import type { Model } from "../../src/models/types.js";
import { gaussJacobi } from "../../src/mixing/jacobi.js";
import { closedFormMixupGrad, convolutionMixupGrad } from "../../src/mixup/convolution/grad.js";
import { closedFormMixupLoss, convolutionMixupLoss } from "../../src/mixup/index.js";
import { chooseDelta } from "../../src/mixup/convolution/pairSums.js";
import { ConvolutionPointSums, interpolatePoints } from "../../src/mixup/convolution/pointSums.js";
import { Lagrange, spreadPoints } from "../../src/mixup/convolution/spread.js";

type Scalar = Exclude<LossName, "softmax">;

function problem(seed: number, loss: Scalar, n: number, scale: number, bias: number | null = 0.3, d = 3): { ds: Dataset; model: Model } {
  const rng = new Rng(seed);
  const X = Float64Array.from({ length: n * d }, () => rng.normal());
  const y = Float64Array.from({ length: n }, () => (loss === "logistic" ? rng.int(2) : loss === "poisson" ? rng.int(4) : rng.normal()));
  const theta = Float64Array.from({ length: d }, () => scale * rng.normal());
  return { ds: makeDataset(X, y, n, d), model: linearModel({ theta, bias: bias === null ? null : [bias], loss }) };
}

const hPrime = (name: Scalar, w: number): number => (name === "logistic" ? sigmoid(w) : name === "poisson" ? Math.exp(w) : w);

/**
 * The reference: ∂L_mix/∂z_k by all n² pairs per node (compensated) under an N-node Gauss–Jacobi rule of the
 * UNFOLDED Beta(α, β) law on [0, 1] (label-free: the two components of D̃), then Σ_k ∂L/∂z_k·x_k. Shares no
 * code with the convolution path but the family's h'.
 */
function referenceGrad(ds: Dataset, model: Model, name: Scalar, alpha: number, beta: number, form: "labelled" | "label-free", N: number): Float64Array {
  const { n, d, X, y } = ds;
  const z = predict(model, X, n);
  const comps = form === "labelled" ? [{ a: alpha, b: beta, c: 1 }] : [{ a: alpha + 1, b: beta, c: alpha / (alpha + beta) }, { a: beta + 1, b: alpha, c: beta / (alpha + beta) }];
  const dz = Array.from({ length: n }, () => new Neumaier());
  for (const comp of comps) {
    const r = gaussJacobi(N, comp.a, comp.b);
    for (let q = 0; q < N; q++) {
      const lam = r.x[q], om = r.y[q], w = comp.c * r.w[q];
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          // pair (i, j) at λ: ∂l/∂w·(λ into z_i, 1 − λ into z_j)
          const wij = lam * z[i] + om * z[j];
          const yt = form === "labelled" ? lam * y[i] + om * y[j] : y[i];
          const lw = hPrime(name, wij) - yt;
          dz[i].add(w * lam * lw);
          dz[j].add(w * om * lw);
        }
      }
    }
  }
  const P = d + (model.kind === "linear" && model.bias !== null ? 1 : 0);
  const g = Array.from({ length: P }, () => new Neumaier());
  for (let k = 0; k < n; k++) {
    const v = dz[k].value / (n * n);
    for (let c = 0; c < d; c++) g[c].add(v * X[k * d + c]);
    if (P > d) g[d].add(v);
  }
  return Float64Array.from(g, (s) => s.value);
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

describe("per-point sums by convolution (pointSums.ts)", () => {
  it("λ·F_B(λz_k) + (1−λ)·F_A((1−λ)z_k) matches the direct n-term sums per point to 1e-12 relative", () => {
    for (const name of ["logistic", "poisson", "squared"] as const) {
      const { ds, model } = problem(3, name, 700, name === "poisson" ? 0.5 : 2);
      const z = predict(model, ds.X, ds.n);
      let lo = Infinity, hi = -Infinity;
      for (const v of z) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      const delta = chooseDelta(name, 12, 1e-14, hi - lo);
      const grid = spreadPoints(z, [new Float64Array(ds.n).fill(1)], delta, new Lagrange(12));
      const pts = new ConvolutionPointSums(grid, ds.n, name, { delta, p: 12 });
      const phi = new Float64Array(pts.grid.size);
      const out = new Float64Array(ds.n);
      for (const lam of [0.03, 0.31, 0.5, 0.77]) {
        const om = 1 - lam;
        const r = pts.at(lam, om, phi);
        interpolatePoints(z, pts.grid, pts.L, phi, out);
        const scale = name === "poisson" ? Math.exp(pts.shift) : 1;
        let worst = 0, size = 0;
        for (let k = 0; k < ds.n; k += 7) {
          const s = new Neumaier();
          for (let j = 0; j < ds.n; j++) {
            s.add(lam * hPrime(name, lam * z[k] + om * z[j]));
            s.add(om * hPrime(name, lam * z[j] + om * z[k]));
          }
          worst = Math.max(worst, Math.abs(out[k] * scale - s.value));
          size = Math.max(size, Math.abs(s.value));
        }
        // spreading at 1e-14 per pair (h' has one more derivative than the chosen grid assumed, so allow
        // 1e-12·n relative) plus FFT rounding (the returned bound); the sums are of size ~n
        expect(worst).toBeLessThanOrEqual(1e-12 * size + r.fftErr * scale * 4);
      }
    }
  });
});

describe("convolutionMixupGrad", () => {
  const cases: Array<{ name: Scalar; alpha: number; beta: number; form: "labelled" | "label-free"; bias: number | null }> = [
    { name: "logistic", alpha: 1, beta: 1, form: "labelled", bias: 0.3 },
    { name: "logistic", alpha: 0.2, beta: 0.2, form: "labelled", bias: null },
    { name: "logistic", alpha: 2, beta: 0.5, form: "labelled", bias: -0.4 },
    { name: "logistic", alpha: 0.7, beta: 1.3, form: "label-free", bias: 0.3 },
    { name: "poisson", alpha: 1, beta: 1, form: "labelled", bias: 0.1 },
    { name: "poisson", alpha: 2, beta: 0.5, form: "label-free", bias: null },
    { name: "squared", alpha: 0.2, beta: 0.2, form: "labelled", bias: 0.5 },
  ];
  for (const c of cases) {
    it(`${c.name}, α = ${c.alpha}, β = ${c.beta}, ${c.form}: gradient = the all-pairs Gauss–Jacobi reference within its error estimate`, () => {
      const { ds, model } = problem(11, c.name, 120, c.name === "poisson" ? 0.4 : 1.2, c.bias);
      const fam = family(c.name);
      const r = convolutionMixupGrad(ds, model, fam, c.alpha, c.beta, { tol: 1e-12, form: c.form });
      // 160 Gauss–Jacobi nodes of the exact law: the integrand is analytic in λ on [0, 1] with scores of size
      // ≤ 6 here, so the rule is converged to rounding (checked: 120 and 160 nodes agree to < 1e-15)
      const ref = referenceGrad(ds, model, c.name, c.alpha, c.beta, c.form, 160);
      const ref2 = referenceGrad(ds, model, c.name, c.alpha, c.beta, c.form, 120);
      const scale = maxAbs(ref);
      for (let q = 0; q < ref.length; q++) {
        expect(Math.abs(ref[q] - ref2[q])).toBeLessThan(1e-14 * Math.max(scale, 1));
        const err = Math.abs(r.grad[q] - ref[q]);
        // the estimate bounds the true error (plus the reference's own rounding, ~1e-15)
        expect(err).toBeLessThanOrEqual(r.gradErrorEstimate + 2e-15 * Math.max(scale, 1));
        // and it is small: tol 1e-12 relative to the gradient's size (the loss-scale floor of the λ rule)
        expect(err).toBeLessThan(1e-10 * Math.max(scale, 1e-3));
      }
      // the value is the loss path's value (same pieces and grid or finer)
      const l = convolutionMixupLoss(ds, model, fam, c.alpha, c.beta, { tol: 1e-12, form: c.form });
      expect(Math.abs(r.value - l.value)).toBeLessThanOrEqual(r.errorEstimate + l.errorEstimate);
    });
  }

  it("distinct pairs: gradient of (n²·L_all − Σ l_i)/(n(n−1)) by central differences of the distinct loss", () => {
    const { ds, model } = problem(5, "logistic", 80, 1);
    const fam = family("logistic");
    const r = convolutionMixupGrad(ds, model, fam, 0.4, 0.4, { tol: 1e-13, pairs: "distinct" });
    const p0 = getParams(model);
    // central differences with h = 1e-4: truncation h²/6·|L'''| ≲ 2e-9, noise 2·(1e-13·L)/h ≲ 1e-9
    for (let q = 0; q < p0.length; q++) {
      const h = 1e-4;
      const at = (s: number) => {
        const p = p0.slice();
        p[q] += s * h;
        return convolutionMixupLoss(ds, withParams(model, p), fam, 0.4, 0.4, { tol: 1e-13, pairs: "distinct" }).value;
      };
      const fd = (at(1) - at(-1)) / (2 * h);
      expect(Math.abs(fd - r.grad[q])).toBeLessThan(5e-9);
    }
  });

  it("clustered, separated classes (sharp in λ): still within its error estimate of the reference", () => {
    const rng = new Rng(9);
    const n = 60;
    const X = new Float64Array(n), y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const s = i % 2 === 0 ? 1 : -1;
      X[i] = 4 * s + 0.05 * rng.normal();
      y[i] = s > 0 ? 1 : 0;
    }
    const ds = makeDataset(X, y, n, 1);
    const model = linearModel({ theta: [1.5], bias: [0], loss: "logistic" });
    const r = convolutionMixupGrad(ds, model, family("logistic"), 1, 1, { tol: 1e-12 });
    // the integrand crosses 0 sharply at λ = 1/2: the reference needs many nodes; 400 and 500 agree to 1e-13
    const ref = referenceGrad(ds, model, "logistic", 1, 1, "labelled", 500);
    const ref2 = referenceGrad(ds, model, "logistic", 1, 1, "labelled", 400);
    for (let q = 0; q < ref.length; q++) {
      expect(Math.abs(ref[q] - ref2[q])).toBeLessThan(1e-13);
      expect(Math.abs(r.grad[q] - ref[q])).toBeLessThanOrEqual(r.gradErrorEstimate + 1e-13);
    }
  });
});

describe("closedFormMixupGrad (squared loss)", () => {
  it("equals the convolution gradient and the reference (both pair modes)", () => {
    const { ds, model } = problem(21, "squared", 150, 1, 0.2, 4);
    const fam = family("squared");
    for (const pairs of ["all", "distinct"] as const) {
      const cf = closedFormMixupGrad(ds, model, fam, 2, 0.5, { pairs });
      const cv = convolutionMixupGrad(ds, model, fam, 2, 0.5, { pairs, tol: 1e-12 });
      const l = closedFormMixupLoss(ds, model, fam, 2, 0.5, { pairs });
      expect(cf.value).toBe(l.value);
      for (let q = 0; q < cf.grad.length; q++) {
        // both exact up to rounding/quadrature: their estimates together bound the gap
        expect(Math.abs(cf.grad[q] - cv.grad[q])).toBeLessThanOrEqual(cf.gradErrorEstimate + cv.gradErrorEstimate);
      }
      if (pairs === "all") {
        const ref = referenceGrad(ds, model, "squared", 2, 0.5, "labelled", 40);
        for (let q = 0; q < ref.length; q++) expect(Math.abs(cf.grad[q] - ref[q])).toBeLessThanOrEqual(cf.gradErrorEstimate + 1e-15);
      }
    }
  });

  it("the label-free form has the same closed form (same two moments)", () => {
    const { ds, model } = problem(22, "squared", 50, 1, null, 2);
    const fam = family("squared");
    const cf = closedFormMixupGrad(ds, model, fam, 0.3, 0.9, { form: "label-free" });
    const ref = referenceGrad(ds, model, "squared", 0.3, 0.9, "label-free", 40);
    for (let q = 0; q < ref.length; q++) expect(Math.abs(cf.grad[q] - ref[q])).toBeLessThanOrEqual(cf.gradErrorEstimate + 1e-15);
  });
});
