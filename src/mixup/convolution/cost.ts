/**
 * `auto`'s choice between the O(n) convolution and the all-pairs quadrature for a linear model. The
 * convolution's cost grows with the score range (bins and λ nodes both grow with it), the pairs' with n²,
 * so small data with very wide scores is faster by pairs: at n = 100 and a score range of ~1,900 the
 * convolution took 40 s and the pairs 0.04 s.
 *
 * Cost model, fitted on the 2-core machine (logistic, tol 1e-10, n = 100–3000, score ranges 20–1,900,
 * timed runs tabulated in docs/numerics.md, "Limits"): a λ node costs ≈ 1 µs per grid bin and
 * the adaptive rule takes ≈ 24 + 0.2·bins nodes; an unordered pair costs ≈ 0.4 µs + 0.0024 µs per unit of
 * score range, split over the threads. Both estimates are within ~3× of the measured times, so the rule
 * prefers the convolution unless the pairs look at least 2× cheaper and the convolution would take 0.05 s.
 */
import type { Dataset } from "../../core/dataset.js";
import { InputError } from "../../core/errors.js";
import type { Family } from "../../losses/types.js";
import type { Model } from "../../models/types.js";
import { scores } from "./common.js";
import { chooseDelta, type ScalarName } from "./pairSums.js";

export function expectedSeconds(n: number, range: number, name: ScalarName, tol: number, threads: number): { convolution: number; pairs: number } {
  const delta = chooseDelta(name, 12, tol / 32, range);
  const bins = Math.max(1, range / delta);
  const convolution = (24 + 0.2 * bins) * bins * 1e-6 + n * 2e-7;
  const pairs = ((n * (n + 1)) / 2) * (0.4 + 0.0024 * range) * 1e-6 / Math.max(1, threads);
  return { convolution, pairs };
}

/**
 * True when the convolution is expected to be no more than 2× slower than the pairs, or to take under
 * 0.05 s anyway (small problems keep the O(n) path: the choice only matters when it costs time).
 * `z`: the scores Xθ + b.
 */
export function preferConvolution(n: number, z: Float64Array, name: ScalarName, tol: number, threads: number): boolean {
  if (name === "squared") return true;
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < z.length; i++) {
    if (z[i] < lo) lo = z[i];
    if (z[i] > hi) hi = z[i];
  }
  const range = 2 * (hi / 2 - lo / 2); // the span without overflow where it is representable (common.ts, gridBins)
  if (!(range < Infinity)) return true; // a span beyond float64: let the convolution report it, naming the rows
  const e = expectedSeconds(n, range, name, tol, threads);
  return e.convolution <= 2 * e.pairs || e.convolution < 0.05;
}

/** At or below this many rows, `auto` re-runs a convolution whose error estimates miss tol on all pairs. */
export const AUTO_PAIRS_FALLBACK_N = 3000;

/**
 * `auto`'s convolution attempt (the loss or its gradient, `run`), or null when the all-pairs quadrature is
 * to be used instead: the cost model prefers it, the grid would be too wide (an InputError naming
 * --method), or n ≤ AUTO_PAIRS_FALLBACK_N and `good` says the result misses tol. `run(mayFallBack, z)` is
 * told whether its result may still be dropped (so it can hold back progress reports) and gets the scores
 * Xθ + b computed here (so they are computed once).
 */
export function tryConvolution<R>(
  ds: Dataset,
  model: Model,
  family: Family,
  tol: number,
  threads: number,
  run: (mayFallBack: boolean, z: Float64Array) => R,
  good: (r: R) => boolean,
): R | null {
  const z = scores(ds, model);
  if (!preferConvolution(ds.n, z, family.name as ScalarName, tol, threads)) return null;
  const mayFallBack = ds.n <= AUTO_PAIRS_FALLBACK_N;
  try {
    const r = run(mayFallBack, z);
    if (!mayFallBack || good(r)) return r;
  } catch (e) {
    // a score range too wide for the grid: the all-pairs quadrature still applies
    if (!(e instanceof InputError) || e.where !== "--method") throw e;
  }
  return null;
}
