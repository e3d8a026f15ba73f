import type { Dataset } from "../core/dataset.js";
import type { ScalarFamily } from "../losses/types.js";

/**
 * The data-dependent quantities of Section 4 for a linear score z = θᵀx (docs/theory.md §4.1–§4.2):
 * Σ̂ = (1/n)·Σ x_i x_iᵀ is never formed; θᵀΣ̂θ = (1/n)·Σ (θᵀx_i)².
 */

/** z_i = θᵀx_i into out (length n). */
export function scores(ds: Dataset, theta: ArrayLike<number>, out = new Float64Array(ds.n)): Float64Array {
  const { n, d, X } = ds;
  for (let i = 0; i < n; i++) {
    let z = 0;
    const o = i * d;
    for (let k = 0; k < d; k++) z += theta[k] * X[o + k];
    out[i] = z;
  }
  return out;
}

/** θᵀΣ̂θ = (1/n)·Σ (θᵀx_i)². */
export function quadForm(ds: Dataset, theta: ArrayLike<number>): number {
  const z = scores(ds, theta);
  let s = 0;
  for (let i = 0; i < ds.n; i++) s += z[i] * z[i];
  return s / ds.n;
}

/** E_x[A''(θᵀx)] over the empirical distribution (A = the family's h). */
export function meanCurvature(ds: Dataset, theta: ArrayLike<number>, family: ScalarFamily): number {
  const z = scores(ds, theta);
  let s = 0;
  for (let i = 0; i < ds.n; i++) s += family.h2(z[i]);
  return s / ds.n;
}

/** γ(θ) = E_x[A''(θᵀx)]·θᵀΣ̂θ, the quantity that defines the class W_γ (docs/theory.md §4.2). */
export function gammaOf(ds: Dataset, theta: ArrayLike<number>, family: ScalarFamily): number {
  const z = scores(ds, theta);
  let c = 0;
  let q = 0;
  for (let i = 0; i < ds.n; i++) {
    c += family.h2(z[i]);
    q += z[i] * z[i];
  }
  return (c / ds.n) * (q / ds.n);
}

/** θ ∈ W_γ(B): ‖θ‖ ≤ B and γ(θ) ≤ γ. */
export function inWGamma(ds: Dataset, theta: ArrayLike<number>, family: ScalarFamily, gamma: number, B: number): boolean {
  let t = 0;
  for (let k = 0; k < ds.d; k++) t += theta[k] * theta[k];
  return Math.sqrt(t) <= B && gammaOf(ds, theta, family) <= gamma;
}

/** tr Σ̂ = (1/n)·Σ ‖x_i‖². */
export function traceSecondMoment(ds: Dataset): number {
  let s = 0;
  for (let k = 0; k < ds.n * ds.d; k++) s += ds.X[k] * ds.X[k];
  return s / ds.n;
}

/** max_i ‖x_i‖ (the radius of the data's domain, for the generalization bound). */
export function maxRowNorm(ds: Dataset): number {
  let m = 0;
  for (let i = 0; i < ds.n; i++) {
    let s = 0;
    for (let k = 0; k < ds.d; k++) s += ds.X[i * ds.d + k] ** 2;
    m = Math.max(m, s);
  }
  return Math.sqrt(m);
}
