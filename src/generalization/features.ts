import type { Dataset } from "../core/dataset.js";
import type { Rng } from "../core/rng.js";

/**
 * Fixed random ReLU features φ(x) = relu(W·x), W ∈ ℝ^{m×d} with entries N(0, 1/d), no bias: Theorem 4.2 is
 * taken as Theorem 4.1 on φ (docs/theory.md §4.5) [reconstructed]. W is drawn row-major from rng; the labels
 * are kept.
 */
export function reluFeatures(ds: Dataset, m: number, rng: Rng): { data: Dataset; W: Float64Array } {
  const { n, d, X } = ds;
  const W = new Float64Array(m * d);
  const sd = 1 / Math.sqrt(d);
  for (let k = 0; k < m * d; k++) W[k] = sd * rng.normal();
  const F = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += W[j * d + k] * X[i * d + k];
      F[i * m + j] = s > 0 ? s : 0;
    }
  }
  const names = Array.from({ length: m }, (_, j) => `phi${j + 1}`);
  return { data: { ...ds, d: m, X: F, names, source: `${ds.source ?? "data"} (relu features, m = ${m})` }, W };
}
