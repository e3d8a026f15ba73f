import { defaultThreads, plannedThreads, runJob, type ChunkJob } from "../core/workerPool.js";
import type { Dataset } from "../core/dataset.js";
import type { Family } from "../losses/types.js";
import { m1 as m1Of, m2 as m2Of } from "../mixing/dtilde.js";
import { firstLayerWidth } from "../models/index.js";
import type { Model } from "../models/types.js";
import { shareTaylorProblem, taylorPass1Job, taylorPass2Job, type TaylorProblem } from "./jobs.js";
import {
  blockPlan,
  finishNetSums,
  finishRowSums,
  isOnePassNet,
  mergeMoments,
  taylorPass1,
  taylorPass2,
  type TaylorSums,
  type TaylorSumsOptions,
} from "./sums.js";
import { termsFromSums, type TaylorTerms } from "./terms.js";

export interface TaylorParallelOptions extends TaylorSumsOptions {
  /** threads, counting this one; default: the machine's parallelism, 1 = this thread only */
  workers?: number;
  /**
   * Called in this thread after each block of each pass with the block passes done and their total
   * (blocks × passes: one pass for a one-output two-layer net, two otherwise). Never changes the result.
   */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Below this much work (n·p·(d + p) multiply-adds, p the first-layer width), starting threads and sharing
 * X costs more than it saves (≈ 30 ms of work in one thread); an explicit `workers` overrides it.
 */
const MIN_WORK_FOR_WORKERS = 5e7;

/**
 * taylorSums on the core worker pool (core/workerPool.ts): the same fixed blocks (a function of n only),
 * handed out on demand to the kept workers and to this thread, and merged in block order by the same
 * functions, so the result has the same bytes as `taylorSums` with any number of threads. X and y are
 * put on shared memory once per call when workers are used (not at all when they already are), for both
 * passes and every worker. Runs in this thread for `workers: 1`, one block, or (without an explicit
 * `workers`) little work.
 */
export async function taylorSumsParallel(ds: Dataset, model: Model, family: Family, opts: TaylorParallelOptions = {}): Promise<TaylorSums> {
  const p = firstLayerWidth(model);
  const plan = blockPlan(ds.n, opts.blockRows);
  const small = opts.workers === undefined && ds.n * p * (ds.d + p) < MIN_WORK_FOR_WORKERS;
  const threads = small ? 1 : plannedThreads(opts.workers ?? defaultThreads(), plan.length);
  const onePass = isOnePassNet(model, family);
  const total = plan.length * (onePass ? 1 : 2);
  let done = 0;
  const onProgress = opts.onProgress ? () => opts.onProgress!(++done, total) : undefined;
  const P: TaylorProblem = threads > 1 ? shareTaylorProblem({ ds, model, family: family.name }) : { ds, model, family: family.name };
  // this thread reads the caller's arrays and family object: the same numbers as the workers' copies
  const pass1 = await blocks(taylorPass1Job, P, plan, threads, (i0, i1) => taylorPass1(ds, model, family, i0, i1), onProgress);
  const mm = mergeMoments(pass1, p);
  if (onePass) return finishNetSums(pass1, mm, p, ds.n);
  const P2 = { ...P, mean: mm.mean, G: mm.cov };
  const pass2 = await blocks(taylorPass2Job, P2, plan, threads, (i0, i1) => taylorPass2(ds, model, family, i0, i1, mm.mean, mm.cov), onProgress);
  return finishRowSums(pass2, ds.n, ds.K);
}

/** One pass's block results, by block id. */
async function blocks<R>(
  job: ChunkJob<TaylorProblem, R>,
  P: TaylorProblem,
  plan: Array<[number, number]>,
  threads: number,
  local: (i0: number, i1: number) => R,
  onProgress: (() => void) | undefined,
): Promise<R[]> {
  const out: R[] = new Array(plan.length);
  await runJob(job, P, plan, { threads, local, onResult: (id, r) => (out[id] = r), onProgress });
  return out;
}

/** Lemma 3.1's terms on worker threads: the same bytes as `taylorTerms` (terms.ts). */
export async function taylorTermsParallel(
  ds: Dataset,
  model: Model,
  family: Family,
  alpha: number,
  beta: number,
  opts: TaylorParallelOptions = {},
): Promise<TaylorTerms> {
  const sums = await taylorSumsParallel(ds, model, family, opts);
  return { alpha, beta, ...termsFromSums(ds, family, sums, m1Of(alpha, beta), m2Of(alpha, beta)) };
}
