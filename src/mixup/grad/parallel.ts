import type { Dataset } from "../../core/dataset.js";
import type { Family } from "../../losses/types.js";
import type { Model } from "../../models/types.js";
import { chunkPlan } from "../exactPairs.js";
import { runChunkPlan } from "../workerPool.js";
import { GradReducer, makeGradProblem, type GradOptions, type MixupGradResult } from "./exactGrad.js";
import { GradIntegrator } from "./gradIntegrator.js";

export interface GradParallelOptions extends GradOptions {
  /** threads, counting this one; default: the machine's parallelism; 1 = this thread only */
  workers?: number;
}

/**
 * exactMixupGrad on worker threads: the fixed chunks of chunkPlan(n), handed out on demand (the kept pool
 * of workerPool.ts, shared with exactMixupLossParallel; `closeExactWorkers` ends it), folded in chunk order
 * (compensated), so any number of workers gives the same bytes as exactMixupGrad. From TS sources (no
 * compiled worker) or, without an explicit `workers`, below 200,000 pairs, it runs in this thread.
 */
export async function exactMixupGradParallel(
  ds: Dataset,
  model: Model,
  family: Family,
  alpha: number,
  beta: number,
  opts: GradParallelOptions = {},
): Promise<MixupGradResult> {
  const P = makeGradProblem(ds, model, family, alpha, beta, opts);
  const plan = chunkPlan(P.n);
  const red = new GradReducer(P, plan.length);
  await runChunkPlan(P, "grad", plan, opts.workers, new GradIntegrator(P), (id, r) => red.offer(id, r));
  return red.finish(ds);
}
