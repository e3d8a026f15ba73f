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
import type { ExactFromWorker, ExactToWorker, WorkerErrorInfo } from "./worker.js";

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
 * too, one per event-loop turn, so k threads use k − 1 workers. The workers are kept between calls (a new
 * one costs ~130 ms to load its modules and starts with a cold JIT): unref'd while idle, so they never hold
 * the process open; `closeExactWorkers` ends them. Each call sends its problem (a copy of U, Y and the
 * model) to the workers it uses; calls are serialized. A worker that dies is dropped from the pool (the
 * next call starts a new one) and its unfinished chunks are computed by the remaining threads.
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
  const report = progressOf(P, plan, opts.onProgress);
  if (nw <= 1 || !workersAvailable() || (opts.workers === undefined && pairs < MIN_PAIRS_FOR_WORKERS)) {
    if (report === null) return reduceChunks(P, runChunks(P, plan));
    const integ = new PairIntegrator(P);
    const parts: ChunkResult[] = [];
    for (let id = 0; id < plan.length; id++) {
      parts.push(integ.integrateRows(plan[id][0], plan[id][1]));
      report(id);
    }
    return reduceChunks(P, parts);
  }
  const run = queue.then(() => runOnWorkers(P, plan, nw, report));
  queue = run.catch(() => undefined);
  return reduceChunks(P, await run);
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

/** Ends the kept worker threads (they are unref'd while idle, so this is never needed to exit). */
export function closeExactWorkers(): void {
  const ws = pool;
  pool = [];
  for (const w of ws) void w.terminate();
}

let pool: Worker[] = [];
let queue: Promise<unknown> = Promise.resolve();
/** Numbers the calls: a late message of an earlier call (a `ready` after it ended) is ignored. */
let calls = 0;

/** k live workers from the pool, starting new ones as needed (a dead worker has left the pool). */
function takeWorkers(k: number): Worker[] {
  while (pool.length < k) {
    const w = new Worker(workerUrl);
    w.unref();
    // an idle worker that fails must not throw in this thread ('error' without a listener would);
    // its 'exit' drops it from the pool
    w.on("error", () => undefined);
    w.on("exit", () => {
      pool = pool.filter((x) => x !== w);
    });
    pool.push(w);
  }
  return pool.slice(0, k);
}

/** Chunks each worker holds at once: it never waits for this thread to finish a chunk before its next. */
const IN_FLIGHT = 2;

async function runOnWorkers(P: PairProblem, plan: Array<[number, number]>, nw: number, report: ((id: number) => void) | null): Promise<ChunkResult[]> {
  const ws = takeWorkers(nw - 1);
  const call = ++calls;
  for (const w of ws) {
    w.ref();
    w.postMessage({ kind: "setup", call, P } satisfies ExactToWorker);
  }
  try {
    return await chunksOn(ws, call, P, plan, report);
  } catch (e) {
    closeExactWorkers(); // a worker may still be busy with this call's chunks: start afresh next time
    throw e;
  } finally {
    for (const w of ws) {
      w.postMessage({ kind: "release" } satisfies ExactToWorker);
      w.unref();
    }
  }
}

function chunksOn(ws: Worker[], call: number, P: PairProblem, plan: Array<[number, number]>, report: ((id: number) => void) | null): Promise<ChunkResult[]> {
  return new Promise((resolve, reject) => {
    const parts: ChunkResult[] = new Array(plan.length);
    let next = 0;
    /** chunks handed to a worker that died before returning them: taken again first */
    const retry: number[] = [];
    let done = 0;
    let settled = false;
    let localIdle = false;
    const cleanups: Array<() => void> = [];
    const finish = (err?: unknown) => {
      if (settled) return;
      settled = true;
      for (const c of cleanups) c();
      if (err !== undefined) reject(err);
      else resolve(parts);
    };
    const take = (): number => (retry.length > 0 ? retry.pop()! : next < plan.length ? next++ : -1);
    const store = (id: number, r: ChunkResult) => {
      parts[id] = r;
      done++;
      report?.(id);
      if (done === plan.length) finish();
    };
    for (const w of ws) {
      const held = new Set<number>();
      const feed = () => {
        const id = take();
        if (id < 0) return;
        held.add(id);
        w.postMessage({ kind: "chunk", call, id, chunk: plan[id] } satisfies ExactToWorker);
      };
      const onMessage = (msg: ExactFromWorker) => {
        if (settled || msg.call !== call) return;
        try {
          if ("ready" in msg) {
            for (let q = 0; q < IN_FLIGHT; q++) feed();
          } else if ("error" in msg) {
            finish(rebuildError(msg.error));
          } else {
            held.delete(msg.id);
            store(msg.id, msg.result);
            feed();
          }
        } catch (e) {
          finish(e); // from onProgress
        }
      };
      const onExit = () => {
        if (settled) return;
        // its chunks go back to the others; this thread resumes taking chunks if it had stopped
        retry.push(...held);
        held.clear();
        if (localIdle && retry.length > 0) {
          localIdle = false;
          setImmediate(local);
        }
      };
      w.on("message", onMessage);
      w.on("exit", onExit);
      cleanups.push(() => {
        w.off("message", onMessage);
        w.off("exit", onExit);
      });
    }
    // this thread's share: one chunk per turn of the event loop, so the workers' results are taken in between
    const integ = new PairIntegrator(P);
    const local = () => {
      if (settled) return;
      const id = take();
      if (id < 0) {
        localIdle = true;
        return;
      }
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

function rebuildError(e: WorkerErrorInfo): Error {
  if (e.name === "OverflowError") return new OverflowError(e.row ?? 0, e.message);
  if (e.name === "InputError") return new InputError(e.where ?? "", e.message);
  if (e.name === "RangeError") return new RangeError(e.message);
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

/** For tests: the live kept workers (a test may terminate one to check it is replaced). */
export function exactWorkerPool(): readonly Worker[] {
  return pool;
}

export { runChunks };
