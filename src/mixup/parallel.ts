import type { Dataset } from "../core/dataset.js";
import type { Family } from "../losses/types.js";
import type { Model } from "../models/types.js";
import { chunkPlan, reduceChunks, type ExactResult } from "./exactPairs.js";
import { PairIntegrator, type ChunkResult } from "./pairIntegrator.js";
import { makePairProblem, type PairProblem, type PairProblemOptions } from "./pairProblem.js";
import { runChunkPlan } from "./workerPool.js";

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
  const P = makePairProblem(ds, model, family, alpha, beta, opts);
  if (P.pairs === "distinct" && P.n < 2) throw new RangeError("distinct pairs need n ≥ 2");
  const plan = chunkPlan(P.n);
  const parts: ChunkResult[] = new Array(plan.length);
  const store = (id: number, r: ChunkResult) => {
    parts[id] = r;
  };
  await runChunkPlan(P, "loss", plan, opts.workers, new PairIntegrator(P), store, progressOf(P, plan, opts.onProgress));
  return reduceChunks(P, parts);
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

/** Ends the kept worker threads of the exact loss and gradient (unref'd while idle: never needed to exit). */
export { closeWorkers as closeExactWorkers, keptWorkers as exactWorkerPool } from "./workerPool.js";

export { runChunks } from "./exactPairs.js";
