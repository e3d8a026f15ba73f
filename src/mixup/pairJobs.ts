/**
 * The exact pair paths' jobs on the core worker pool (core/workerPool.ts): the loss (LossIntegrator) and
 * its gradient (GradIntegrator) over chunks of rows of chunkPlan(n), and runChunkPlan, the pairs' thread
 * policy, called by pairs/exact.ts and pairs/exactGrad.ts.
 */
import { shareArray } from "../core/shared.js";
import { defaultThreads, runJob, type ChunkJob } from "../core/workerPool.js";
import { GradIntegrator, type GradChunk } from "./pairs/grad.js";
import { LossIntegrator } from "./pairs/loss.js";
import type { PairProblem } from "./pairs/problem.js";
import type { ChunkResult } from "./pairs/rows.js";

/** U (n×p) and Y on shared memory: one copy for all workers (the model and the rest are small). */
function sharePairProblem(P: PairProblem): PairProblem {
  return { ...P, U: shareArray(P.U), Y: shareArray(P.Y) };
}

export const pairLossJob: ChunkJob<PairProblem, ChunkResult> = {
  kind: "pairs.loss",
  setup(P) {
    const integ = new LossIntegrator(P);
    return (i0, i1) => integ.integrateRows(i0, i1);
  },
  share: sharePairProblem,
};

export const pairGradJob: ChunkJob<PairProblem, GradChunk> = {
  kind: "pairs.grad",
  setup(P) {
    const integ = new GradIntegrator(P);
    return (i0, i1) => integ.integrateRows(i0, i1);
  },
  transfer: (g) => [g.D.buffer, g.Derr.buffer, g.H.buffer, g.Herr.buffer] as ArrayBuffer[],
  share: sharePairProblem,
};

/** "loss": LossIntegrator's ChunkResult; "grad": GradIntegrator's GradChunk. */
export type JobKind = "loss" | "grad";

/** An integrator of chunks of rows: LossIntegrator (loss) or GradIntegrator (gradient), pairs/. */
export interface RowIntegrator<R> {
  integrateRows(i0: number, i1: number): R;
}

/** Below this many pairs, starting threads costs more than it saves. */
const MIN_PAIRS_FOR_WORKERS = 200_000;

/**
 * Runs the chunks of `plan` for problem P on `workers` threads counting this one (default: the machine's
 * parallelism, and 1 below MIN_PAIRS_FOR_WORKERS pairs), with `local` as this thread's integrator.
 * `onResult(id, r)` gets every chunk's result once, in any order; `progress(id)` (optional) is called
 * after it. The pool's rules hold (core/workerPool.ts): at most one thread per chunk, 1 from TS sources,
 * serialized calls, a dead worker's chunks done again, a worker's typed error rebuilt.
 */
export async function runChunkPlan<R>(
  P: PairProblem,
  kind: JobKind,
  plan: Array<[number, number]>,
  workers: number | undefined,
  local: RowIntegrator<R>,
  onResult: (id: number, r: R) => void,
  progress: ((id: number) => void) | null = null,
): Promise<void> {
  const small = workers === undefined && (P.n * (P.n + 1)) / 2 < MIN_PAIRS_FOR_WORKERS;
  const job = (kind === "loss" ? pairLossJob : pairGradJob) as unknown as ChunkJob<PairProblem, R>;
  await runJob(job, P, plan, {
    threads: small ? 1 : (workers ?? defaultThreads()),
    local: (i0, i1) => local.integrateRows(i0, i1),
    onResult,
    onProgress: progress ?? undefined,
  });
}
