import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { InputError, OverflowError } from "../core/errors.js";
import type { PairProblem } from "./pairs/problem.js";
import type { JobKind, PoolFromWorker, PoolToWorker, WorkerErrorInfo } from "./worker.js";

export type { JobKind };

/**
 * The worker pool of the exact pair paths (the loss, exactMixupLossParallel, and its gradient,
 * exactMixupGradParallel): the fixed chunks of chunkPlan(n) are handed out on demand to kept worker threads
 * and to this thread, and every result goes to `onResult(id, r)` as it arrives, in any order (the caller
 * reduces in chunk order, so the bytes do not depend on the threads). This thread takes chunks too, one
 * per event-loop turn, so k threads use k − 1 workers. The workers are kept between calls (a new one costs
 * ~130 ms to load its modules and starts with a cold JIT): unref'd while idle, so they never hold the
 * process open; `closeWorkers` ends them. Each call sends its problem (a copy of U, Y and the model) and
 * its job kind to the workers it uses; calls of both kinds are serialized. A worker that dies is dropped
 * from the pool (the next call starts a new one) and its unfinished chunks are computed by the others.
 */

/** An integrator of chunks of rows: LossIntegrator (loss) or GradIntegrator (gradient), pairs/. */
export interface RowIntegrator<R> {
  integrateRows(i0: number, i1: number): R;
}

/** Below this many pairs, starting threads costs more than it saves. */
const MIN_PAIRS_FOR_WORKERS = 200_000;

const workerUrl = new URL("./worker.js", import.meta.url);

/** True when the compiled worker script exists next to this module (not when running TS sources). */
function workersAvailable(): boolean {
  return fileURLToPath(import.meta.url).endsWith(".js");
}

/**
 * Threads to use, counting this one (1 = this thread only): `workers` (default: the machine's parallelism,
 * and 1 below MIN_PAIRS_FOR_WORKERS pairs), at most one per chunk; 1 from TS sources (no compiled worker).
 */
function threadsFor(n: number, chunks: number, workers: number | undefined): number {
  if (!workersAvailable()) return 1;
  if (workers === undefined && (n * (n + 1)) / 2 < MIN_PAIRS_FOR_WORKERS) return 1;
  return Math.max(1, Math.min(workers ?? availableParallelism(), chunks));
}

/**
 * Runs the chunks of `plan` for problem P: on `workers` threads (see threadsFor) with `local` as this
 * thread's integrator, or all in this thread. `onResult(id, r)` gets every chunk's result once, in any
 * order; `progress(id)` (optional) is called after it. An error of either, or of a chunk in any thread,
 * rejects (a worker's OverflowError / InputError / RangeError is rebuilt as the same kind).
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
  const nw = threadsFor(P.n, plan.length, workers);
  if (nw <= 1) {
    for (let id = 0; id < plan.length; id++) {
      onResult(id, local.integrateRows(plan[id][0], plan[id][1]));
      progress?.(id);
    }
    return;
  }
  const run = queue.then(() => runOnWorkers(P, kind, plan, nw, local, onResult as (id: number, r: unknown) => void, progress));
  queue = run.catch(() => undefined);
  await run;
}

/** Ends the kept worker threads (they are unref'd while idle, so this is never needed to exit). */
export function closeWorkers(): void {
  const ws = pool;
  pool = [];
  for (const w of ws) void w.terminate();
}

/** For tests: the live kept workers (a test may terminate one to check it is replaced). */
export function keptWorkers(): readonly Worker[] {
  return pool;
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

type Sink = {
  local: RowIntegrator<unknown>;
  onResult: (id: number, r: unknown) => void;
  progress: ((id: number) => void) | null;
};

async function runOnWorkers(
  P: PairProblem,
  kind: JobKind,
  plan: Array<[number, number]>,
  nw: number,
  local: RowIntegrator<unknown>,
  onResult: (id: number, r: unknown) => void,
  progress: ((id: number) => void) | null,
): Promise<void> {
  const ws = takeWorkers(nw - 1);
  const call = ++calls;
  for (const w of ws) {
    w.ref();
    w.postMessage({ kind: "setup", call, job: kind, P } satisfies PoolToWorker);
  }
  try {
    await chunksOn(ws, call, plan, { local, onResult, progress });
  } catch (e) {
    closeWorkers(); // a worker may still be busy with this call's chunks: start afresh next time
    throw e;
  } finally {
    for (const w of ws) {
      w.postMessage({ kind: "release" } satisfies PoolToWorker);
      w.unref();
    }
  }
}

function chunksOn(ws: Worker[], call: number, plan: Array<[number, number]>, sink: Sink): Promise<void> {
  return new Promise((resolve, reject) => {
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
      else resolve();
    };
    const take = (): number => (retry.length > 0 ? retry.pop()! : next < plan.length ? next++ : -1);
    const store = (id: number, r: unknown) => {
      sink.onResult(id, r);
      done++;
      sink.progress?.(id);
      if (done === plan.length) finish();
    };
    for (const w of ws) {
      const held = new Set<number>();
      const feed = () => {
        const id = take();
        if (id < 0) return;
        held.add(id);
        w.postMessage({ kind: "chunk", call, id, chunk: plan[id] } satisfies PoolToWorker);
      };
      const onMessage = (msg: PoolFromWorker) => {
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
          finish(e); // from onResult or progress
        }
      };
      const onExit = () => {
        if (settled) return;
        // its chunks go back to the others; this thread resumes taking chunks if it had stopped
        retry.push(...held);
        held.clear();
        if (localIdle && retry.length > 0) {
          localIdle = false;
          setImmediate(step);
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
    const step = () => {
      if (settled) return;
      const id = take();
      if (id < 0) {
        localIdle = true;
        return;
      }
      try {
        store(id, sink.local.integrateRows(plan[id][0], plan[id][1]));
      } catch (e) {
        finish(e);
        return;
      }
      setImmediate(step);
    };
    setImmediate(step);
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
