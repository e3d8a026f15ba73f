import ndarray, { type NdArray } from "ndarray";
import { InputError } from "./errors.js";

/**
 * A data set: n rows of d features, row-major in one Float64Array, and labels.
 * Labels are `n` values (`K = 1`: binary/real/count labels) or `n×K` row-major soft labels for
 * softmax. `names` are the feature names in file order (CSV header), when known.
 */
export interface Dataset {
  readonly n: number;
  readonly d: number;
  readonly X: Float64Array;
  readonly y: Float64Array;
  /** label columns: 1 for a scalar label, K for soft/one-hot multi-class labels */
  readonly K: number;
  readonly names?: readonly string[];
  /** where the data came from, for messages */
  readonly source?: string;
}

/** Build a dataset, checking shapes and finiteness. */
export function makeDataset(
  X: Float64Array,
  y: Float64Array,
  n: number,
  d: number,
  K = 1,
  opts: { names?: readonly string[]; source?: string } = {},
): Dataset {
  const where = opts.source ?? "data";
  if (n < 1) throw new InputError(where, `${where}: no data rows`);
  if (X.length !== n * d) throw new InputError(where, `${where}: X has ${X.length} values, expected n·d = ${n * d}`);
  if (y.length !== n * K) throw new InputError(where, `${where}: y has ${y.length} values, expected ${n * K}`);
  for (let i = 0; i < X.length; i++) {
    if (!Number.isFinite(X[i])) {
      const r = Math.floor(i / d);
      throw new InputError(`${where} row ${r + 1}`, `${where}: row ${r + 1}, column ${(i % d) + 1}: value is not finite`);
    }
  }
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i])) {
      const r = Math.floor(i / K);
      throw new InputError(`${where} row ${r + 1}`, `${where}: row ${r + 1}: label is not finite`);
    }
  }
  return { n, d, X, y, K, names: opts.names, source: opts.source };
}

/** ndarray view (n×d) over the feature matrix; no copy. */
export function featureView(ds: Dataset): NdArray<Float64Array> {
  return ndarray(ds.X, [ds.n, ds.d]);
}

/** Per-feature mean x̄ = (1/n) Σ x_i (compensated). */
export function featureMean(ds: Dataset): Float64Array {
  const { n, d, X } = ds;
  const s = new Float64Array(d);
  const c = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const off = i * d;
    for (let k = 0; k < d; k++) {
      const v = X[off + k];
      const t = s[k] + v;
      c[k] += Math.abs(s[k]) >= Math.abs(v) ? s[k] - t + v : v - t + s[k];
      s[k] = t;
    }
  }
  for (let k = 0; k < d; k++) s[k] = (s[k] + c[k]) / n;
  return s;
}

/** Per-feature statistics: mean, population standard deviation, min, max. */
export function featureStats(ds: Dataset): { mean: Float64Array; std: Float64Array; min: Float64Array; max: Float64Array } {
  const { n, d, X } = ds;
  const mean = featureMean(ds);
  const std = new Float64Array(d);
  const min = new Float64Array(d).fill(Infinity);
  const max = new Float64Array(d).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) {
      const v = X[i * d + k];
      const e = v - mean[k];
      std[k] += e * e;
      if (v < min[k]) min[k] = v;
      if (v > max[k]) max[k] = v;
    }
  }
  for (let k = 0; k < d; k++) std[k] = Math.sqrt(std[k] / n);
  return { mean, std, min, max };
}

/** A centered copy: x_i − x̄ (a second pass removes the rounding residue of the first). */
export function center(ds: Dataset): Dataset {
  const X = ds.X.slice();
  const view = { ...ds, X };
  for (let pass = 0; pass < 2; pass++) {
    const m = featureMean(view);
    for (let i = 0; i < ds.n; i++) for (let k = 0; k < ds.d; k++) X[i * ds.d + k] -= m[k];
  }
  return view;
}

/** Row i of X as a subarray (no copy). */
export function row(ds: Dataset, i: number): Float64Array {
  return ds.X.subarray(i * ds.d, (i + 1) * ds.d);
}
