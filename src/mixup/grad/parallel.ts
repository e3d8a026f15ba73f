import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import type { Dataset } from "../../core/dataset.js";
import type { Family } from "../../losses/types.js";
import type { Model } from "../../models/types.js";
import { chunkPlan } from "../exactPairs.js";
import { exactMixupGrad, GradReducer, makeGradProblem, type GradOptions, type MixupGradResult } from "./exactGrad.js";
import { GradIntegrator, type GradChunk } from "./gradIntegrator.js";
import { runChunkPool } from "./pool.js";

export interface GradParallelOptions extends GradOptions {
  /** threads, counting this one; default: the machine's parallelism; 1 = this thread only */
  workers?: number;
}

/** Below this many pairs, starting threads costs more than it saves (as the loss path). */
const MIN_PAIRS_FOR_WORKERS = 200_000;

const workerUrl = new URL("./worker.js", import.meta.url);

/** True when the compiled worker script exists next to this module (not when running TS sources). */
function workersAvailable(): boolean {
  return fileURLToPath(import.meta.url).endsWith(".js");
}

/**
 * exactMixupGrad on worker threads: the fixed chunks of chunkPlan(n), handed out on demand, folded in
 * chunk order (compensated), so any number of workers gives the same bytes as exactMixupGrad. From TS
 * sources (no compiled worker) it runs in this thread.
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
  const want = opts.workers ?? availableParallelism();
  const pairs = (P.n * (P.n + 1)) / 2;
  const nw = Math.min(want, plan.length);
  if (nw <= 1 || !workersAvailable() || (opts.workers === undefined && pairs < MIN_PAIRS_FOR_WORKERS)) {
    return exactMixupGrad(ds, model, family, alpha, beta, opts);
  }
  const red = new GradReducer(P, plan.length);
  const integ = new GradIntegrator(P);
  await runChunkPool<GradChunk>(
    workerUrl,
    P,
    plan.length,
    nw,
    (id) => integ.integrateRows(plan[id][0], plan[id][1]),
    (id, r) => red.offer(id, r),
  );
  return red.finish(ds);
}
