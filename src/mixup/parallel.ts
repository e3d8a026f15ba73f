import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Dataset } from "../core/dataset.js";
import { InputError, OverflowError } from "../core/errors.js";
import type { Family } from "../losses/types.js";
import type { Model } from "../models/types.js";
import { chunkPlan, reduceChunks, runChunks, type ExactResult } from "./exactPairs.js";
import type { ChunkResult } from "./pairIntegrator.js";
import { makePairProblem, type PairProblem, type PairProblemOptions } from "./pairProblem.js";

export interface ParallelOptions extends PairProblemOptions {
  /** worker threads; default: the machine's parallelism (2 here), 1 = this thread only */
  workers?: number;
}

/** Below this many pairs, starting threads costs more than it saves. */
const MIN_PAIRS_FOR_WORKERS = 200_000;

const workerUrl = new URL("./worker.js", import.meta.url);

/** True when the compiled worker script exists next to this module (not when running TS sources). */
function workersAvailable(): boolean {
  return fileURLToPath(import.meta.url).endsWith(".js");
}

/**
 * The exact Mixup loss on worker threads. The pairs are cut into fixed chunks that depend only on n,
 * handed out on demand, and reduced in chunk order: the same input gives the same bytes with any
 * number of workers (and equals `exactMixupLoss`).
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
  const want = opts.workers ?? availableParallelism();
  const pairs = (P.n * (P.n + 1)) / 2;
  const nw = Math.min(want, plan.length);
  if (nw <= 1 || !workersAvailable() || (opts.workers === undefined && pairs < MIN_PAIRS_FOR_WORKERS)) {
    return reduceChunks(P, runChunks(P, plan));
  }
  const parts = await runOnWorkers(P, plan, nw);
  return reduceChunks(P, parts);
}

function runOnWorkers(P: PairProblem, plan: Array<[number, number]>, nw: number): Promise<ChunkResult[]> {
  return new Promise((resolve, reject) => {
    const parts: ChunkResult[] = new Array(plan.length);
    let next = 0;
    let done = 0;
    let failed = false;
    const workers: Worker[] = [];
    const finish = (err?: unknown) => {
      for (const w of workers) void w.terminate();
      if (err) reject(err);
      else resolve(parts);
    };
    for (let k = 0; k < nw; k++) {
      const w = new Worker(workerUrl, { workerData: P });
      workers.push(w);
      const feed = () => {
        if (next < plan.length) {
          const id = next++;
          w.postMessage({ id, chunk: plan[id] });
        }
      };
      w.on("message", (msg: { id: number; result?: ChunkResult; error?: { name: string; message: string; where?: string; row?: number } }) => {
        if (failed) return;
        if (msg.error) {
          failed = true;
          finish(rebuildError(msg.error));
          return;
        }
        parts[msg.id] = msg.result!;
        done++;
        if (done === plan.length) finish();
        else feed();
      });
      w.on("error", (e) => {
        if (!failed) {
          failed = true;
          finish(e);
        }
      });
      feed();
    }
  });
}

function rebuildError(e: { name: string; message: string; where?: string; row?: number }): Error {
  if (e.name === "OverflowError") return new OverflowError(e.row ?? 0, e.message);
  if (e.name === "InputError") return new InputError(e.where ?? "", e.message);
  return new Error(e.message);
}

export { runChunks };
