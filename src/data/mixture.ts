import { makeDataset, type Dataset } from "../core/dataset.js";
import type { Rng } from "../core/rng.js";
import { sharedFloat64Array } from "../core/shared.js";
import { checkCount, featureNames } from "./synthetic.js";

export interface MixtureOptions {
  /** number of classes k ≥ 2 (default 2) */
  readonly k?: number;
  /** distance ‖μ_a − μ_b‖ between any two class means (default 2) */
  readonly separation?: number;
  /** per-coordinate standard deviation of each component (default 1) */
  readonly std?: number;
}

/**
 * k Gaussian classes with equal weights: row i has class c = i mod k (label y_i = c, a class index)
 * and x_i = μ_c + σ·z_i, z_i ~ N(0, I_d), d normals per row in row order.
 *
 * The means are the vertices of a regular simplex centred at 0, all pairwise distances = separation s:
 * - k = 2: μ_0 = −(s/2)·u, μ_1 = +(s/2)·u with u = (1, …, 1)/√d, so X and y are byte for byte
 *   `gaussianBlobs(rng, n, d, { separation: s, std: σ })`.
 * - k ≥ 3 (needs d ≥ k − 1): the Helmert coordinates of (s/√2)(e_c − 𝟙/k) ∈ ℝ^k in the first k − 1
 *   features, μ_c[j−1] = (s/√2)·h_j[c] with h_j = (1, …, 1, −j, 0, …, 0)/√(j(j+1)) (j ones), j = 1..k−1;
 *   the other features have mean 0.
 */
export function gaussianMixture(rng: Rng, n: number, d: number, opts: MixtureOptions = {}): Dataset {
  const k = opts.k ?? 2;
  const separation = opts.separation ?? 2;
  const std = opts.std ?? 1;
  checkCount("gaussianMixture", "n", n);
  checkCount("gaussianMixture", "d", d);
  if (!(Number.isInteger(k) && k >= 2)) throw new RangeError(`gaussianMixture: k must be an integer ≥ 2, got ${k}`);
  if (k > 2 && d < k - 1) throw new RangeError(`gaussianMixture: k = ${k} equidistant means need d ≥ k − 1 = ${k - 1}, got d = ${d}`);
  if (!(Number.isFinite(separation) && separation >= 0)) throw new RangeError(`gaussianMixture: separation = ${separation}`);
  if (!(Number.isFinite(std) && std >= 0)) throw new RangeError(`gaussianMixture: std = ${std}`);
  const mu = mixtureMeans(k, d, separation);
  const X = sharedFloat64Array(n * d);
  const y = sharedFloat64Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % k;
    y[i] = c;
    for (let q = 0; q < d; q++) X[i * d + q] = mu[c * d + q] + std * rng.normal();
  }
  return makeDataset(X, y, n, d, 1, { names: featureNames(d), source: "gaussianMixture" });
}

/** The k×d means of `gaussianMixture`, row-major (see there for the arrangement). */
export function mixtureMeans(k: number, d: number, separation: number): Float64Array {
  const mu = new Float64Array(k * d);
  if (k === 2) {
    // the same expression as gaussianBlobs, so the bytes agree
    const m = separation / 2 / Math.sqrt(d);
    for (let q = 0; q < d; q++) {
      mu[q] = -m;
      mu[d + q] = m;
    }
    return mu;
  }
  const a = separation / Math.SQRT2;
  for (let j = 1; j < k; j++) {
    const h = 1 / Math.sqrt(j * (j + 1));
    for (let c = 0; c < j; c++) mu[c * d + j - 1] = a * h;
    mu[j * d + j - 1] = -a * j * h;
  }
  return mu;
}
