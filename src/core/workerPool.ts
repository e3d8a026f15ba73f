import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { InputError, OverflowError } from "./errors.js";
import type { PoolFromWorker, PoolToWorker, WorkerErrorInfo } from "./worker.js";

/**
 * The one worker pool (docs/numerics.md, "Worker threads"). A job cuts its work into a fixed plan of chunks
 * [i0, i1) that depends on the problem's size only; the chunks are handed out on demand to kept worker
 * threads and to this thread, and every result goes to `onResult(id, r)` as it arrives, in any order. The
 * caller reduces in chunk order, so the bytes do not depend on the threads.
 *
 * The pool knows jobs only through `ChunkJob` values and their `kind`: the worker script (worker.ts) finds
 * the same job in the registry src/jobs.ts. Nothing here imports the mixup or taylor code.
 */

/** One kind of chunked work, runnable in any thread. */
export interface ChunkJob<P, R> {
  /** its key in the registry of the worker script (src/jobs.ts) */
  readonly kind: string;
  /** builds the function that computes one chunk of `problem` (once per call in each thread) */
  setup(problem: P): (i0: number, i1: number) => R;
  /** the buffers of a chunk's result to move back from a worker rather than copy */
  transfer?(result: R): ArrayBuffer[];
  /**
   * The problem as posted to the workers, e.g. its large arrays in shared memory (shared.ts): one copy
   * for all workers instead of a structured-clone copy per worker. Called once per call that uses workers.
   */
  share?(problem: P): P;
}

export interface RunJobOptions<R> {
  /** threads, counting this one (1 = this thread only); at most one per chunk */
  threads: number;
  /** gets every chunk's result once, in any order */
  onResult: (id: number, r: R) => void;
  /** this thread's chunk function; default `job.setup(problem)` */
  local?: (i0: number, i1: number) => R;
  /** called in this thread after onResult, once per chunk, in the order the chunks finish */
  onProgress?: (id: number) => void;
}

const workerUrl = new URL("./worker.js", import.meta.url);

/** True when the compiled worker script exists next to this module (not when running TS sources). */
export function workersAvailable(): boolean {
  return fileURLToPath(import.meta.url).endsWith(".js");
}

/** The default thread count: the machine's parallelism. */
export function defaultThreads(): number {
  return availableParallelism();
}

/** The threads runJob will use for `requested` threads and a plan of `chunks` chunks (1 from TS sources). */
export function plannedThreads(requested: number, chunks: number): number {
  if (!workersAvailable()) return 1;
  return Math.max(1, Math.min(Math.floor(requested), chunks));
}

/**
 * Runs the chunks of `plan` for `problem`: on plannedThreads(opts.threads, plan.length) threads, this
 * thread included, or all in this thread. An error of a chunk in any thread, of onResult or of onProgress
 * rejects; a worker's InputError / OverflowError / RangeError / TypeError is rebuilt as the same kind.
 * Calls that use workers are serialized (one at a time on the kept workers).
 */
export async function runJob<P, R>(job: ChunkJob<P, R>, problem: P, plan: ReadonlyArray<readonly [number, number]>, opts: RunJobOptions<R>): Promise<void> {
  const threads = plannedThreads(opts.threads, plan.length);
  const local = opts.local ?? job.setup(problem);
  if (threads <= 1) {
    for (let id = 0; id < plan.length; id++) {
      opts.onResult(id, local(plan[id][0], plan[id][1]));
      opts.onProgress?.(id);
    }
    return;
  }
  const sink: Sink = { local, onResult: opts.onResult as Sink["onResult"], progress: opts.onProgress ?? null };
  const run = queue.then(() => runOnWorkers(job as ChunkJob<unknown, unknown>, problem, plan, threads, sink));
  queue = run.catch(() => undefined);
  await run;
}

/**
 * Ends the kept worker threads. Never needed to exit (idle workers are unref'd); for tests, and to free
 * their memory. closeExactWorkers and closeTaylorWorkers are the same function under older names.
 */
export function closeWorkers(): void {
  const ws = pool;
  pool = [];
  for (const w of ws) void w.terminate();
}

/** For tests: the live kept workers (a test may terminate one to check it is replaced). */
export function keptWorkers(): readonly Worker[] {
  return pool;
}

/**
 * For tests: workers started, chunks handed out again after their worker died, and chunks computed by
 * workers, since the process began.
 */
export function poolCounters(): { started: number; retried: number; workerChunks: number } {
  return { ...counters };
}

const counters = { started: 0, retried: 0, workerChunks: 0 };

/**
 * This process's Node options for a worker, less the ones that describe the main script: a worker
 * inherits process.execArgv, and under `node --input-type=module -e …` it died at once ("--input-type can
 * only be used with string input"), so every call ran in this thread alone (same bytes, half the speed).
 */
export function workerExecArgv(argv: readonly string[] = process.execArgv): string[] {
  const out: string[] = [];
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    if (a.startsWith("--input-type")) continue;
    if (a === "-e" || a === "--eval" || a === "-p" || a === "--print") {
      k++; // and the script after it
      continue;
    }
    if (a.startsWith("--eval=") || a.startsWith("--print=")) continue;
    out.push(a);
  }
  return out;
}
let pool: Worker[] = [];
let queue: Promise<unknown> = Promise.resolve();
/** Numbers the calls: a late message of an earlier call (a `ready` after it ended) is ignored. */
let calls = 0;
/**
 * Workers that have answered a `ready`: their modules are loaded, so a call hands them chunks right after
 * its setup. A new worker gets chunks only once it is ready (this thread computes them meanwhile); a kept
 * one would otherwise idle until this thread finishes its first chunk and reads the `ready` (a whole
 * 4096-row block of the Taylor sums, per pass).
 */
const warm = new WeakSet<Worker>();

/** k live workers from the pool, starting new ones as needed (a dead worker has left the pool). */
function takeWorkers(k: number): Worker[] {
  while (pool.length < k) {
    const w = new Worker(workerUrl, { execArgv: workerExecArgv() });
    counters.started++;
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
  local: (i0: number, i1: number) => unknown;
  onResult: (id: number, r: unknown) => void;
  progress: ((id: number) => void) | null;
};

async function runOnWorkers(
  job: ChunkJob<unknown, unknown>,
  problem: unknown,
  plan: ReadonlyArray<readonly [number, number]>,
  threads: number,
  sink: Sink,
): Promise<void> {
  const ws = takeWorkers(threads - 1);
  const call = ++calls;
  const posted = job.share ? job.share(problem) : problem;
  for (const w of ws) {
    w.ref();
    w.postMessage({ kind: "setup", call, job: job.kind, problem: posted } satisfies PoolToWorker);
  }
  try {
    await chunksOn(ws, call, plan, sink);
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

function chunksOn(ws: Worker[], call: number, plan: ReadonlyArray<readonly [number, number]>, sink: Sink): Promise<void> {
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
        w.postMessage({ kind: "chunk", call, id, chunk: [plan[id][0], plan[id][1]] } satisfies PoolToWorker);
      };
      let fed = false;
      const start = () => {
        fed = true;
        for (let q = 0; q < IN_FLIGHT; q++) feed();
      };
      const onMessage = (msg: PoolFromWorker) => {
        if (settled || msg.call !== call) return;
        try {
          if ("ready" in msg) {
            warm.add(w);
            if (!fed) start();
          } else if ("error" in msg) {
            finish(rebuildError(msg.error));
          } else {
            held.delete(msg.id);
            counters.workerChunks++;
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
        counters.retried += held.size;
        held.clear();
        if (localIdle && retry.length > 0) {
          localIdle = false;
          setImmediate(step);
        }
      };
      w.on("message", onMessage);
      w.on("exit", onExit);
      if (warm.has(w)) start(); // the chunks queue behind this call's setup in the worker
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
        store(id, sink.local(plan[id][0], plan[id][1]));
      } catch (e) {
        finish(e);
        return;
      }
      setImmediate(step);
    };
    setImmediate(step);
  });
}

/** A worker's error as the same kind of error in this thread (the CLI maps the typed ones to exit code 2). */
function rebuildError(e: WorkerErrorInfo): Error {
  if (e.name === "OverflowError") return new OverflowError(e.row ?? 0, e.message);
  if (e.name === "InputError") return new InputError(e.where ?? "", e.message);
  if (e.name === "RangeError") return new RangeError(e.message);
  if (e.name === "TypeError") return new TypeError(e.message);
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}
