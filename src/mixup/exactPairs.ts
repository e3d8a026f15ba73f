import type { Dataset } from "../core/dataset.js";
import { Neumaier } from "../core/sum.js";
import type { Family } from "../losses/types.js";
import type { Model } from "../models/types.js";
import { PairIntegrator, type ChunkResult } from "./pairIntegrator.js";
import type { MixupForm } from "./components.js";
import { makePairProblem, type PairProblem, type PairProblemOptions } from "./pairProblem.js";

/** The value of an exact (quadrature) Mixup loss, with its error estimate. */
export interface ExactResult {
  value: number;
  method: "exact-pairs";
  /** absolute error estimate: Σ over pieces of |Q_2N − Q_N| plus rounding; bounds the true error */
  errorEstimate: number;
  /** integrand evaluations (pair-nodes) */
  nodes: number;
  /** (1/#pairs) Σ E_λ |l|: the scale the tolerance is relative to */
  meanAbsLoss: number;
  /** pieces that reached the bisection limit without meeting the tolerance (0 in every test) */
  unresolved: number;
  pairs: "all" | "distinct";
  form: MixupForm;
  tol: number;
}

/** Target pairs per chunk: chunk boundaries depend on n only, never on the number of workers. */
export const PAIRS_PER_CHUNK = 16384;

/** Row ranges [i0, i1) holding about PAIRS_PER_CHUNK pairs (i < j) each. */
export function chunkPlan(n: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let i0 = 0;
  let acc = 0;
  for (let i = 0; i < n; i++) {
    acc += n - 1 - i + 1;
    if (acc >= PAIRS_PER_CHUNK || i === n - 1) {
      out.push([i0, i + 1]);
      i0 = i + 1;
      acc = 0;
    }
  }
  return out;
}

/** Reduce chunk results in chunk order (compensated) into the final result. */
export function reduceChunks(P: PairProblem, parts: readonly ChunkResult[]): ExactResult {
  const v = new Neumaier();
  let err = 0;
  let abs = 0;
  let nodes = 0;
  let unresolved = 0;
  for (const r of parts) {
    v.add(r.value);
    err += r.err;
    abs += r.abs;
    nodes += r.evals;
    unresolved += r.unresolved;
  }
  const norm = P.pairs === "all" ? P.n * P.n : P.n * (P.n - 1);
  return {
    value: v.value / norm,
    method: "exact-pairs",
    errorEstimate: (err + 4 * 2.220446049250313e-16 * abs) / norm,
    nodes,
    meanAbsLoss: abs / norm,
    unresolved,
    pairs: P.pairs,
    form: P.form,
    tol: P.tol,
  };
}

/** Runs the chunks [c0, c1) of the plan in this thread. */
export function runChunks(P: PairProblem, plan: ReadonlyArray<[number, number]>): ChunkResult[] {
  const integ = new PairIntegrator(P);
  return plan.map(([i0, i1]) => integ.integrateRows(i0, i1));
}

/** makePairProblem, refusing distinct pairs of fewer than two rows (for the loss and its gradient). */
export function makeExactProblem(...args: Parameters<typeof makePairProblem>): PairProblem {
  const P = makePairProblem(...args);
  if (P.pairs === "distinct" && P.n < 2) throw new RangeError("distinct pairs need n ≥ 2");
  return P;
}

/**
 * The exact Mixup loss (paper eq. (1)) by quadrature over all pairs, in this thread.
 * L_mix = (1/n²) Σ_{i,j} E_{λ~Beta(α,β)} l(θ, λx_i + (1−λ)x_j, λy_i + (1−λ)y_j); with
 * `pairs: "distinct"` the mean over the n(n−1) pairs i ≠ j; with `form: "label-free"` the same loss
 * through D̃ (paper.md §2), on its own nodes. Accuracy: |error| ≤ tol · meanAbsLoss.
 */
export function exactMixupLoss(
  ds: Dataset,
  model: Model,
  family: Family,
  alpha: number,
  beta: number,
  opts: PairProblemOptions = {},
): ExactResult {
  const P = makeExactProblem(ds, model, family, alpha, beta, opts);
  return reduceChunks(P, runChunks(P, chunkPlan(P.n)));
}
