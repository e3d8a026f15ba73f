import { describe, expect, it } from "vitest";
import { adamState, adamStep, gdStep, makeOptimizer } from "../../src/train/optimizers.js";

/**
 * A convex quadratic with a known minimum: f(θ) = ½(θ − c)ᵀA(θ − c), A symmetric positive definite with
 * eigenvalues 1, 1.8486, 3.6514 (numpy eigvalsh), minimum θ* = c, gradient A(θ − c).
 */
const A = [
  [3, 1, 0],
  [1, 2, 0.5],
  [0, 0.5, 1.5],
];
const c = [1.5, -2, 0.25];

function grad(theta: Float64Array, out: Float64Array): Float64Array {
  for (let i = 0; i < 3; i++) {
    let s = 0;
    for (let j = 0; j < 3; j++) s += A[i][j] * (theta[j] - c[j]);
    out[i] = s;
  }
  return out;
}

function dist(theta: Float64Array): number {
  return Math.hypot(...theta.map((t, i) => t - c[i]));
}

describe("gd on a convex quadratic", () => {
  it("reaches the known minimum: the error contracts by max|1 − ηλ| ≤ 0.75 per step at η = 0.25", () => {
    const theta = new Float64Array(3);
    const g = new Float64Array(3);
    const e0 = dist(theta);
    for (let t = 0; t < 200; t++) gdStep(theta, grad(theta, g), 0.25);
    // eigenvalues 1 … 3.65, so max|1 − 0.25·λ| = 0.75 and the error after 200 steps is ≤ 0.75^200·e0 ≈ 1e-25·e0:
    // rounding (a few ulps of |c| ≈ 2) is all that is left
    expect(dist(theta)).toBeLessThanOrEqual(1e-14 * (1 + e0));
  });
});

describe("adam", () => {
  it("follows PyTorch's update with bias correction (three steps against the textbook form m̂/(√v̂ + ε))", () => {
    const p = Float64Array.from([0.3, -0.7]);
    const ref = Array.from(p);
    const s = adamState(2);
    const grads = [
      [0.5, -1e-3],
      [-0.2, 2],
      [1e-9, 0.4],
    ];
    const m = [0, 0];
    const v = [0, 0];
    for (let t = 1; t <= 3; t++) {
      const g = grads[t - 1];
      adamStep(p, g, s, 0.01);
      for (let k = 0; k < 2; k++) {
        m[k] = 0.9 * m[k] + 0.1 * g[k];
        v[k] = 0.999 * v[k] + 0.001 * g[k] * g[k];
        const mh = m[k] / (1 - 0.9 ** t);
        const vh = v[k] / (1 - 0.999 ** t);
        ref[k] -= (0.01 * mh) / (Math.sqrt(vh) + 1e-8);
      }
    }
    expect(s.t).toBe(3);
    // the two forms differ only in where ε is scaled (ε·√(1−β2^t) vs ε, ≤ 1e-8 relative to a step ≤ 0.01)
    // and in rounding: 1e-12 absolute on parameters of size 1
    for (let k = 0; k < 2; k++) expect(Math.abs(p[k] - ref[k])).toBeLessThan(1e-12);
  });

  it("the first step moves every coordinate by lr·sign(g) (|m̂/√v̂| = 1 at t = 1)", () => {
    const p = Float64Array.from([0, 0, 0]);
    adamStep(p, [3, -1e-4, 50], adamState(3), 0.1);
    expect(p[0]).toBeCloseTo(-0.1, 7);
    expect(p[1]).toBeCloseTo(0.1, 4); // ε = 1e-8 against |g| = 1e-4: 1e-4 relative
    expect(p[2]).toBeCloseTo(-0.1, 9);
  });

  it("reaches the known minimum of the quadratic", () => {
    const opt = makeOptimizer("adam", 3, 0.01);
    const theta = new Float64Array(3);
    const g = new Float64Array(3);
    for (let t = 0; t < 3000; t++) opt.step(theta, grad(theta, g));
    // deterministic gradients shrink geometrically near θ* while √v̂ remembers larger ones (β2 = 0.999), so
    // the steps shrink too: measured distance 5e-15 after 2000 steps, 1e-15 after 5000. The bound 1e-12 is far
    // below the step size lr = 0.01, which is all an Adam that did not converge would reach
    expect(dist(theta)).toBeLessThan(1e-12);
  });

  it("makeOptimizer refuses an unknown name and lr ≤ 0", () => {
    expect(() => makeOptimizer("sgd" as never, 2, 0.1)).toThrow(/--optimizer/);
    expect(() => makeOptimizer("gd", 2, 0)).toThrow(/--lr/);
    expect(() => makeOptimizer("adam", 2, Number.NaN)).toThrow(/--lr/);
  });
});
