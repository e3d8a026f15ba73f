import { makeDataset, type Dataset } from "../core/dataset.js";
import type { Rng } from "../core/rng.js";
import { sharedFloat64Array } from "../core/shared.js";
import { sigmoid } from "../core/special.js";
import { checkCount, featureNames } from "./synthetic.js";

export interface LowRankOptions {
  /** the teacher's logit scale: P(y = 1 | z) = σ(scale·wᵀz) (default 2) */
  readonly scale?: number;
}

/**
 * Features of rank r with unit scale, labels from a teacher in their subspace (docs/theory.md §4: the data
 * where the rank effect of Section 4 shows):
 *   x = √(d/r)·U z,  U ∈ ℝ^{d×r} orthonormal, z ~ N(0, I_r), so E‖x‖² = d (≈ 1 per feature, as for pixels);
 *   y ~ Bernoulli(σ(scale·wᵀz)), w ~ N(0, I_r)/√r (noisy labels: ERM on separable labels would diverge).
 * Draw order: the d×r Gaussian matrix (row-major) whose Gram–Schmidt columns are U, then w (r normals),
 * then per row its r normals z and one uniform u (y = 1 iff u < σ(scale·wᵀz)).
 */
export function lowRankGaussian(rng: Rng, n: number, d: number, r: number, opts: LowRankOptions = {}): Dataset {
  const scale = opts.scale ?? 2;
  checkCount("lowRankGaussian", "n", n);
  checkCount("lowRankGaussian", "d", d);
  checkCount("lowRankGaussian", "r", r);
  if (r > d) throw new RangeError(`lowRankGaussian: rank r = ${r} exceeds d = ${d}`);
  if (!Number.isFinite(scale)) throw new RangeError(`lowRankGaussian: scale = ${scale}`);
  const U = orthonormalColumns(rng, d, r);
  const w = new Float64Array(r);
  for (let j = 0; j < r; j++) w[j] = rng.normal() / Math.sqrt(r);
  const X = sharedFloat64Array(n * d);
  const y = sharedFloat64Array(n);
  const z = new Float64Array(r);
  const f = Math.sqrt(d / r);
  for (let i = 0; i < n; i++) {
    let t = 0;
    for (let j = 0; j < r; j++) {
      z[j] = rng.normal();
      t += w[j] * z[j];
    }
    for (let q = 0; q < d; q++) {
      let s = 0;
      for (let j = 0; j < r; j++) s += U[q * r + j] * z[j];
      X[i * d + q] = f * s;
    }
    y[i] = rng.uniform() < sigmoid(scale * t) ? 1 : 0;
  }
  return makeDataset(X, y, n, d, 1, { names: featureNames(d), source: "lowRankGaussian" });
}

/**
 * d×r matrix (row-major) with orthonormal columns: modified Gram–Schmidt, applied twice ("twice is
 * enough", Giraud et al. 2005), of a d×r standard Gaussian matrix drawn from the rng (full rank a.s.).
 */
function orthonormalColumns(rng: Rng, d: number, r: number): Float64Array {
  const A = new Float64Array(d * r);
  for (let i = 0; i < d * r; i++) A[i] = rng.normal();
  for (let j = 0; j < r; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < j; p++) {
        let dot = 0;
        for (let q = 0; q < d; q++) dot += A[q * r + p] * A[q * r + j];
        for (let q = 0; q < d; q++) A[q * r + j] -= dot * A[q * r + p];
      }
    }
    let norm = 0;
    for (let q = 0; q < d; q++) norm += A[q * r + j] * A[q * r + j];
    norm = Math.sqrt(norm);
    for (let q = 0; q < d; q++) A[q * r + j] /= norm;
  }
  return A;
}
