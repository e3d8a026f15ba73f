import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Dataset } from "../core/dataset.js";
import type { Family } from "../losses/types.js";
import { m1 as m1Of, m2 as m2Of } from "../mixing/dtilde.js";
import { firstLayerWidth } from "../models/index.js";
import type { Model } from "../models/types.js";
import {
  blockPlan,
  finishNetSums,
  finishRowSums,
  isOnePassNet,
  mergeMoments,
  taylorSums,
  type Pass1Block,
  type Pass2Block,
  type TaylorSums,
  type TaylorSumsOptions,
} from "./sums.js";
import { termsFromSums, type TaylorTerms } from "./terms.js";
import type { TaylorMessage, TaylorTask } from "./worker.js";

export interface TaylorParallelOptions extends TaylorSumsOptions {
  /** worker threads; default: the machine's parallelism, 1 = this thread only */
  workers?: number;
}

/**
 * Below this much work (n·p·(d + p) multiply-adds, p the first-layer width), starting threads and copying
 * X costs more than it saves (≈ 30 ms of work in one thread); an explicit `workers` overrides it.
 */
const MIN_WORK_FOR_WORKERS = 5e7;

const workerUrl = new URL("./worker.js", import.meta.url);

/** True when the compiled worker script exists next to this module (not when running TS sources). */
function workersAvailable(): boolean {
  return fileURLToPath(import.meta.url).endsWith(".js");
}

/**
 * taylorSums on worker threads: the same fixed blocks (a function of n only), handed out on demand and
 * merged in block order by the same functions, so the result has the same bytes as `taylorSums` with any
 * number of workers. Each task carries a copy of its block's rows of X and y (transferred; copied while
 * the workers compute the previous blocks). Falls back to this thread for one worker, one block, or (without an explicit `workers`) little
 * work. The worker threads are kept between calls (unref'd while idle, so they never hold the process
 * open; `closeTaylorWorkers` ends them); calls are serialized.
 */
export async function taylorSumsParallel(ds: Dataset, model: Model, family: Family, opts: TaylorParallelOptions = {}): Promise<TaylorSums> {
  const p = firstLayerWidth(model);
  const plan = blockPlan(ds.n, opts.blockRows);
  const nw = Math.min(opts.workers ?? availableParallelism(), plan.length);
  const small = opts.workers === undefined && ds.n * p * (ds.d + p) < MIN_WORK_FOR_WORKERS;
  if (nw <= 1 || small || !workersAvailable()) return taylorSums(ds, model, family, opts);
  const run = queue.then(() => onWorkers(ds, model, family, plan, nw, p));
  queue = run.catch(() => undefined);
  return run;
}

async function onWorkers(ds: Dataset, model: Model, family: Family, plan: Array<[number, number]>, nw: number, p: number): Promise<TaylorSums> {
  const ws = getPool(nw).slice(0, nw);
  for (const w of ws) {
    w.ref();
    w.postMessage({ kind: "setup", model, family: family.name } satisfies TaylorMessage);
  }
  try {
    const pass1 = await runTasks<Pass1Block>(ws, plan.length, (id) => task(ds, plan[id], id, 1));
    const mm = mergeMoments(pass1, p);
    if (isOnePassNet(model, family)) return finishNetSums(pass1, mm, p, ds.n);
    const pass2 = await runTasks<Pass2Block>(ws, plan.length, (id) => task(ds, plan[id], id, 2, mm.mean, mm.cov));
    return finishRowSums(pass2, ds.n, ds.K);
  } catch (e) {
    closeTaylorWorkers(); // a worker may be dead or mid-task: start afresh next time
    throw e;
  } finally {
    for (const w of ws) {
      w.postMessage({ kind: "release" } satisfies TaylorMessage);
      w.unref();
    }
  }
}

/** Block [i0, i1) as its own small data set: copies of its rows of X and y, to be transferred. */
function task(ds: Dataset, [i0, i1]: [number, number], id: number, pass: 1 | 2, mean?: Float64Array, G?: Float64Array): TaylorTask {
  const { d, K } = ds;
  const block = { n: i1 - i0, d, K, X: ds.X.slice(i0 * d, i1 * d), y: ds.y.slice(i0 * K, i1 * K) };
  return { kind: "task", id, pass, block, mean, G };
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

/** Ends the kept worker threads (they are unref'd while idle, so this is never needed to exit). */
export function closeTaylorWorkers(): void {
  for (const w of pool) void w.terminate();
  pool = [];
}

let pool: Worker[] = [];
let queue: Promise<unknown> = Promise.resolve();

function getPool(nw: number): Worker[] {
  while (pool.length < nw) {
    const w = new Worker(workerUrl);
    w.unref();
    pool.push(w);
  }
  return pool;
}

type Reply = { id: number; result?: unknown; error?: { name: string; message: string } };

/**
 * Hands tasks 0..count−1 out on demand, two outstanding per worker (the next block's rows are copied and
 * sent while the worker computes), and returns the results by task id: which worker ran a block never
 * changes its bytes.
 */
function runTasks<T>(workers: Worker[], count: number, make: (id: number) => TaylorTask): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const out: T[] = new Array(count);
    let next = 0;
    let done = 0;
    let failed = false;
    const cleanups: Array<() => void> = [];
    const finish = (err?: unknown) => {
      for (const c of cleanups) c();
      if (err) reject(err);
      else resolve(out);
    };
    const fail = (e: unknown) => {
      if (!failed) {
        failed = true;
        finish(e);
      }
    };
    const feeds: Array<() => void> = [];
    for (const w of workers) {
      const feed = () => {
        if (next < count) {
          const t = make(next++);
          w.postMessage(t, [t.block.X.buffer as ArrayBuffer, t.block.y.buffer as ArrayBuffer]);
        }
      };
      feeds.push(feed);
      const onMessage = (msg: Reply) => {
        if (failed) return;
        if (msg.error) {
          const e = new Error(msg.error.message);
          e.name = msg.error.name;
          fail(e);
          return;
        }
        out[msg.id] = msg.result as T;
        if (++done === count) finish();
        else feed();
      };
      const onExit = (code: number) => fail(new Error(`taylor worker exited (code ${code}) during a run`));
      w.on("message", onMessage);
      w.on("error", fail);
      w.on("exit", onExit);
      cleanups.push(() => {
        w.off("message", onMessage);
        w.off("error", fail);
        w.off("exit", onExit);
      });
    }
    for (const f of feeds) f(); // one block each to start, then a second one each
    for (const f of feeds) f();
  });
}
