/**
 * The exact Mixup loss by quadrature over all pairs (docs/numerics.md, "The exact Mixup loss"): in this
 * thread (exactMixupLoss) or on the kept worker threads (exactMixupLossParallel), the same bytes either way.
 */
import { EPS } from "../../core/constants.js";
import type { Dataset } from "../../core/dataset.js";
import { Neumaier } from "../../core/sum.js";
import type { Family } from "../../losses/types.js";
import type { Model } from "../../models/types.js";
import type { MixupForm } from "../components.js";
import { checkPairMagnitudes } from "../magnitude.js";
import { runChunkPlan } from "../pairJobs.js";
import { LossIntegrator } from "./loss.js";
import { makeExactProblem, type PairProblem, type PairProblemOptions } from "./problem.js";
import { chunkPlan, type ChunkResult } from "./rows.js";

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

/**
 * Progress of a long computation: `done` of `total` units, called with non-decreasing `done` and last
 * with done = total. Only a report: it never changes the result.
 */
export type ProgressCallback = (done: number, total: number) => void;

export interface ParallelOptions extends PairProblemOptions {
  /** threads, counting this one; default: the machine's parallelism (2 here), 1 = this thread only */
  workers?: number;
  /**
   * Called after each finished chunk of `chunkPlan(n)` with the pairs (i ≤ j; i < j for distinct pairs)
   * done so far out of n(n+1)/2 (distinct: n(n−1)/2), in this thread, in the order the chunks finish.
   */
  onProgress?: ProgressCallback;
}

/** Reduce chunk results in chunk order (compensated) into the final result (form "both": the labelled value). */
export function reduceChunks(P: PairProblem, parts: readonly ChunkResult[], form: MixupForm = P.form === "both" ? "labelled" : P.form): ExactResult {
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
    errorEstimate: (err + 4 * EPS * abs) / norm,
    nodes,
    meanAbsLoss: abs / norm,
    unresolved,
    pairs: P.pairs,
    form,
    tol: P.tol,
  };
}

/** Runs the chunks of the plan in this thread. */
export function runChunks(P: PairProblem, plan: ReadonlyArray<[number, number]>): ChunkResult[] {
  const integ = new LossIntegrator(P);
  return plan.map(([i0, i1]) => integ.integrateRows(i0, i1));
}

/**
 * The exact Mixup loss (paper eq. (1)) by quadrature over all pairs, in this thread.
 * L_mix = (1/n²) Σ_{i,j} E_{λ~Beta(α,β)} l(θ, λx_i + (1−λ)x_j, λy_i + (1−λ)y_j); with
 * `pairs: "distinct"` the mean over the n(n−1) pairs i ≠ j; with `form: "label-free"` the same loss
 * through D̃ (docs/theory.md §2.5), on its own nodes. Accuracy: |error| ≤ tol · meanAbsLoss.
 */
export function exactMixupLoss(
  ds: Dataset,
  model: Model,
  family: Family,
  alpha: number,
  beta: number,
  opts: PairProblemOptions = {},
): ExactResult {
  // the dispatch checks this too, but these are also called directly
  checkPairMagnitudes(ds, model, family, "loss");
  const P = makeExactProblem(ds, model, family, alpha, beta, opts);
  return reduceChunks(P, runChunks(P, chunkPlan(P.n)));
}

/**
 * The exact Mixup loss on worker threads. The pairs are cut into fixed chunks that depend only on n,
 * handed out on demand, and reduced in chunk order: the same input gives the same bytes with any
 * number of workers (and equals `exactMixupLoss`). The pool of workerPool.ts, shared with the gradient:
 * this thread is one of the `workers` (it takes chunks too); the workers are kept between calls, unref'd
 * while idle (`closeExactWorkers` ends them); calls are serialized; a worker that dies is replaced and its
 * chunks are done again by the others. Without an explicit `workers`, fewer than 200,000 pairs run here.
 */
export async function exactMixupLossParallel(
  ds: Dataset,
  model: Model,
  family: Family,
  alpha: number,
  beta: number,
  opts: ParallelOptions = {},
): Promise<ExactResult> {
  // the dispatch checks this too, but these are also called directly
  checkPairMagnitudes(ds, model, family, "loss");
  const P = makeExactProblem(ds, model, family, alpha, beta, opts);
  return reduceChunks(P, await runOnPool(P, opts));
}

/** The chunks of P's plan on the kept worker threads (this thread takes chunks too), in chunk order. */
async function runOnPool(P: PairProblem, opts: ParallelOptions): Promise<ChunkResult[]> {
  const plan = chunkPlan(P.n);
  const parts: ChunkResult[] = new Array(plan.length);
  const store = (id: number, r: ChunkResult) => {
    parts[id] = r;
  };
  await runChunkPlan(P, "loss", plan, opts.workers, new LossIntegrator(P), store, progressOf(P, plan, opts.onProgress));
  return parts;
}

/** Both forms of the exact loss from one pass (form "both"): their values, error estimates and shared nodes. */
export interface BothForms {
  labelled: ExactResult;
  labelFree: ExactResult;
}

/**
 * The labelled loss (paper eq. (1)) and its label-free rewrite (docs/theory.md §2.5) in one pass over the
 * pairs, on worker threads as exactMixupLossParallel: the pieces, the nodes and each node's score (and
 * softplus) are shared, each value meets its own tolerance and has its own error estimate (a piece is accepted
 * only when both pass), and `nodes` counts the shared nodes once for each. About 1.3× one form's cost instead
 * of 2× (`npm run bench`). The values can differ in the last digits from separate calls (other pieces), always
 * within the error estimates.
 */
export async function exactMixupLossBothParallel(
  ds: Dataset,
  model: Model,
  family: Family,
  alpha: number,
  beta: number,
  opts: Omit<ParallelOptions, "form"> = {},
): Promise<BothForms> {
  checkPairMagnitudes(ds, model, family, "loss");
  const P = makeExactProblem(ds, model, family, alpha, beta, { ...opts, form: "both" });
  const parts = await runOnPool(P, opts);
  return {
    labelled: reduceChunks(P, parts, "labelled"),
    labelFree: reduceChunks(P, parts.map((r) => r.twin!), "label-free"),
  };
}

/** The progress reporter of a plan: chunk id → onProgress(pairs done so far, all pairs); null without a callback. */
function progressOf(P: PairProblem, plan: ReadonlyArray<[number, number]>, cb: ProgressCallback | undefined): ((id: number) => void) | null {
  if (cb === undefined) return null;
  const perRow = P.pairs === "all" ? 0 : 1; // row i holds n − i pairs j ≥ i (all) or n − 1 − i (distinct)
  const size = plan.map(([i0, i1]) => {
    let s = 0;
    for (let i = i0; i < i1; i++) s += P.n - i - perRow;
    return s;
  });
  const total = size.reduce((a, b) => a + b, 0);
  let done = 0;
  return (id: number) => {
    done += size[id];
    cb(done, total);
  };
}
