import { InputError } from "../core/errors.js";
import { makeDataset, type Dataset } from "../core/dataset.js";
import type { Rng } from "../core/rng.js";
import { sharedFloat64Array } from "../core/shared.js";

/**
 * Seeded synthetic data sets. All randomness comes from the `Rng` passed in (and advances it), so
 * the same seed and arguments give the same bytes. Features are named x1..xd.
 */

export interface BlobOptions {
  /** distance ‖μ₁ − μ₀‖ between the two class means (default 2) */
  readonly separation?: number;
  /** per-coordinate standard deviation of each blob (default 1) */
  readonly std?: number;
}

/**
 * Two Gaussian blobs, labels {0, 1}: row i has label y_i = i mod 2 (balanced, interleaved) and
 * x_i = (2y_i − 1)·(s/2)·u + σ·z_i with u = (1, …, 1)/√d, z_i ~ N(0, I_d), s = separation.
 * The Bayes classifier is sign(uᵀx).
 */
export function gaussianBlobs(rng: Rng, n: number, d: number, opts: BlobOptions = {}): Dataset {
  const separation = opts.separation ?? 2;
  const std = opts.std ?? 1;
  checkCount("gaussianBlobs", "n", n);
  checkCount("gaussianBlobs", "d", d);
  if (!(Number.isFinite(separation) && separation >= 0)) throw new RangeError(`gaussianBlobs: separation = ${separation}`);
  if (!(Number.isFinite(std) && std >= 0)) throw new RangeError(`gaussianBlobs: std = ${std}`);
  // on shared memory, as the file readers' (core/shared.ts)
  const X = sharedFloat64Array(n * d);
  const y = sharedFloat64Array(n);
  const m = separation / 2 / Math.sqrt(d);
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    y[i] = label;
    const mu = label === 1 ? m : -m;
    for (let k = 0; k < d; k++) X[i * d + k] = mu + std * rng.normal();
  }
  return makeDataset(X, y, n, d, 1, { names: featureNames(d), source: "gaussianBlobs" });
}

export interface MoonsOptions {
  /** shuffle the rows with the rng after generating them (default false: outer moon first) */
  readonly shuffle?: boolean;
  /**
   * "linspace" (default): scikit-learn's evenly spaced angles; "uniform": each angle t ~ U(0, π)
   * i.i.d., so two calls give two i.i.d. samples of one distribution (a train and a test set).
   */
  readonly angles?: "linspace" | "uniform";
}

/**
 * scikit-learn's make_moons: n_out = ⌊n/2⌋ points on the outer moon, t = linspace(0, π, n_out),
 * (cos t, sin t), label 0; n_in = n − n_out on the inner moon, t = linspace(0, π, n_in),
 * (1 − cos t, 1 − sin t − 0.5), label 1; then N(0, noise²) added to every coordinate
 * (row-major draw order). Rows are outer then inner unless `shuffle`.
 * With `angles: "uniform"` the n angles are drawn first, t = π·u with u ~ U[0, 1) from the rng (outer
 * rows then inner rows), then the noise as above; the default draws no angles (the same bytes as before).
 */
export function twoMoons(rng: Rng, n: number, noise: number, opts: MoonsOptions = {}): Dataset {
  checkCount("twoMoons", "n", n);
  if (!(Number.isFinite(noise) && noise >= 0)) throw new RangeError(`twoMoons: noise = ${noise}`);
  const angles = opts.angles ?? "linspace";
  if (angles !== "linspace" && angles !== "uniform") throw new RangeError(`twoMoons: angles = ${String(angles)}`);
  const nOut = Math.floor(n / 2);
  const nIn = n - nOut;
  const X = sharedFloat64Array(n * 2);
  const y = sharedFloat64Array(n);
  const tOut = angles === "linspace" ? linspace(0, Math.PI, nOut) : uniformAngles(rng, nOut);
  const tIn = angles === "linspace" ? linspace(0, Math.PI, nIn) : uniformAngles(rng, nIn);
  for (let i = 0; i < nOut; i++) {
    X[2 * i] = Math.cos(tOut[i]);
    X[2 * i + 1] = Math.sin(tOut[i]);
    y[i] = 0;
  }
  for (let i = 0; i < nIn; i++) {
    const r = nOut + i;
    X[2 * r] = 1 - Math.cos(tIn[i]);
    X[2 * r + 1] = 1 - Math.sin(tIn[i]) - 0.5;
    y[r] = 1;
  }
  if (noise > 0) for (let i = 0; i < 2 * n; i++) X[i] += noise * rng.normal();
  if (opts.shuffle) {
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      if (j === i) continue;
      const x0 = X[2 * i];
      const x1 = X[2 * i + 1];
      X[2 * i] = X[2 * j];
      X[2 * i + 1] = X[2 * j + 1];
      X[2 * j] = x0;
      X[2 * j + 1] = x1;
      const t = y[i];
      y[i] = y[j];
      y[j] = t;
    }
  }
  return makeDataset(X, y, n, 2, 1, { names: featureNames(2), source: "twoMoons" });
}

export type TeacherFamily = "logistic" | "poisson" | "squared";

export interface TeacherOptions {
  /** squared family: standard deviation of the additive label noise (default 1) */
  readonly noise?: number;
  /** intercept b added to θᵀx (default 0) */
  readonly bias?: number;
}

/**
 * Labels from a linear teacher z_i = θᵀx_i + b with x_i ~ N(0, I_d):
 * logistic → y = 1 if z > 0 else 0; poisson → y = round(exp(z)); squared → y = z + noise·ε_i.
 * All n·d features are drawn first (row-major), then the n label noises (squared only), so the
 * features for a given rng state do not depend on the family.
 */
export function linearTeacher(
  rng: Rng,
  n: number,
  d: number,
  theta: ArrayLike<number>,
  family: TeacherFamily,
  opts: TeacherOptions = {},
): Dataset {
  checkCount("linearTeacher", "n", n);
  checkCount("linearTeacher", "d", d);
  if (theta.length !== d) throw new RangeError(`linearTeacher: theta has ${theta.length} entries, d = ${d}`);
  for (let k = 0; k < d; k++) {
    if (!Number.isFinite(theta[k])) throw new RangeError(`linearTeacher: theta[${k}] = ${theta[k]}`);
  }
  const noise = opts.noise ?? 1;
  const bias = opts.bias ?? 0;
  if (!(Number.isFinite(noise) && noise >= 0)) throw new RangeError(`linearTeacher: noise = ${noise}`);
  if (!Number.isFinite(bias)) throw new RangeError(`linearTeacher: bias = ${bias}`);
  if (family !== "logistic" && family !== "poisson" && family !== "squared") {
    throw new RangeError(`linearTeacher: unknown family ${String(family)}`);
  }
  const X = sharedFloat64Array(n * d);
  for (let i = 0; i < n * d; i++) X[i] = rng.normal();
  const y = sharedFloat64Array(n);
  for (let i = 0; i < n; i++) {
    let z = bias;
    for (let k = 0; k < d; k++) z += theta[k] * X[i * d + k];
    if (family === "logistic") y[i] = z > 0 ? 1 : 0;
    else if (family === "poisson") {
      const mean = Math.exp(z);
      if (!(mean <= Number.MAX_SAFE_INTEGER)) {
        throw new InputError(`linearTeacher row ${i + 1}`, `linearTeacher: row ${i + 1}: exp(θᵀx) = ${mean} is too large for a count label`);
      }
      y[i] = Math.round(mean);
    } else y[i] = z;
  }
  if (family === "squared" && noise > 0) for (let i = 0; i < n; i++) y[i] += noise * rng.normal();
  return makeDataset(X, y, n, d, 1, { names: featureNames(d), source: `linearTeacher(${family})` });
}

// ---------------------------------------------------------------------------------------------

export function checkCount(fn: string, name: string, v: number): void {
  if (!(Number.isInteger(v) && v >= 1)) throw new RangeError(`${fn}: ${name} must be an integer ≥ 1, got ${v}`);
}

export function featureNames(d: number): string[] {
  return Array.from({ length: d }, (_, k) => `x${k + 1}`);
}

/** m angles t = π·u, u ~ U[0, 1) from the rng (U[0, π) and U(0, π) are the same law). */
function uniformAngles(rng: Rng, m: number): Float64Array {
  const t = new Float64Array(m);
  for (let i = 0; i < m; i++) t[i] = Math.PI * rng.uniform();
  return t;
}

/** numpy.linspace(a, b, m) with endpoint: a + i·step, the last point exactly b; m = 1 gives [a]. */
export function linspace(a: number, b: number, m: number): Float64Array {
  const t = new Float64Array(m);
  if (m === 0) return t;
  if (m === 1) {
    t[0] = a;
    return t;
  }
  const step = (b - a) / (m - 1);
  for (let i = 0; i < m; i++) t[i] = a + i * step;
  t[m - 1] = b;
  return t;
}
