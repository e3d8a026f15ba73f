import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Dataset } from "../core/dataset.js";
import { InputError, OverflowError } from "../core/errors.js";
import type { Family } from "../losses/types.js";
import type { Model } from "../models/types.js";
import { chunkPlan, reduceChunks, runChunks, type ExactResult } from "./exactPairs.js";
import { PairIntegrator, type ChunkResult } from "./pairIntegrator.js";
import { makePairProblem, type PairProblem, type PairProblemOptions } from "./pairProblem.js";

export interface ParallelOptions extends PairProblemOptions {
  /** threads, counting this one; default: the machine's parallelism (2 here), 1 = this thread only */
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
 * number of workers (and equals `exactMixupLoss`). This thread is one of the `workers`: it takes chunks
 * too, one per event-loop turn, so k threads start only k − 1 workers (a worker costs ~130 ms to load its
 * modules before its first chunk, and starts with a cold JIT).
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

/** Chunks each worker holds at once: it never waits for this thread to finish a chunk before its next. */
const IN_FLIGHT = 2;

function runOnWorkers(P: PairProblem, plan: Array<[number, number]>, nw: number): Promise<ChunkResult[]> {
  return new Promise((resolve, reject) => {
    const parts: ChunkResult[] = new Array(plan.length);
    let next = 0;
    let done = 0;
    let settled = false;
    const workers: Worker[] = [];
    const finish = (err?: unknown) => {
      if (settled) return;
      settled = true;
      for (const w of workers) void w.terminate();
      if (err) reject(err);
      else resolve(parts);
    };
    const store = (id: number, r: ChunkResult) => {
      parts[id] = r;
      done++;
      if (done === plan.length) finish();
    };
    for (let k = 0; k < nw - 1; k++) {
      const w = new Worker(workerUrl, { workerData: P });
      workers.push(w);
      const feed = () => {
        if (next < plan.length) {
          const id = next++;
          w.postMessage({ id, chunk: plan[id] });
        }
      };
      w.on("message", (msg: { ready?: true; id: number; result?: ChunkResult; error?: { name: string; message: string; where?: string; row?: number } }) => {
        if (settled) return;
        if (msg.ready) {
          for (let q = 0; q < IN_FLIGHT; q++) feed();
          return;
        }
        if (msg.error) {
          finish(rebuildError(msg.error));
          return;
        }
        store(msg.id, msg.result!);
        feed();
      });
      w.on("error", (e) => finish(e));
    }
    // this thread's share: one chunk per turn of the event loop, so the workers' results are taken in between
    const integ = new PairIntegrator(P);
    const local = () => {
      if (settled || next >= plan.length) return;
      const id = next++;
      try {
        store(id, integ.integrateRows(plan[id][0], plan[id][1]));
      } catch (e) {
        finish(e);
        return;
      }
      setImmediate(local);
    };
    setImmediate(local);
  });
}

function rebuildError(e: { name: string; message: string; where?: string; row?: number }): Error {
  if (e.name === "OverflowError") return new OverflowError(e.row ?? 0, e.message);
  if (e.name === "InputError") return new InputError(e.where ?? "", e.message);
  return new Error(e.message);
}

export { runChunks };
