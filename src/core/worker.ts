/**
 * The one worker script of the pool (workerPool.ts). Kept alive between calls, so its modules stay loaded
 * and its compiled code warm: `setup` brings one call's job kind and problem and is answered by `ready`
 * once the job's chunk function is built; each `chunk` is computed and its result returned (the buffers
 * the job names are transferred, not copied); `release` drops the problem. Every reply carries the call
 * number it belongs to. The jobs come from the registry src/jobs.ts, the only module outside core/ that
 * core/ imports.
 */
import { parentPort } from "node:worker_threads";
import { JOBS } from "../jobs.js";
import type { ChunkJob } from "./workerPool.js";

export type PoolToWorker =
  | { kind: "setup"; call: number; job: string; problem: unknown }
  | { kind: "chunk"; call: number; id: number; chunk: [number, number] }
  | { kind: "release" };

export interface WorkerErrorInfo {
  name: string;
  message: string;
  where?: string;
  row?: number;
}

export type PoolFromWorker =
  | { call: number; ready: true }
  | { call: number; id: number; result: unknown }
  | { call: number; id: number; error: WorkerErrorInfo };

let job: ChunkJob<unknown, unknown> | null = null;
let run: ((i0: number, i1: number) => unknown) | null = null;
let current = -1;

function post(msg: PoolFromWorker, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(msg, transfer);
}

/** Each buffer once (one named twice makes postMessage throw), shared memory never (it cannot be moved). */
function transferable(bufs: ArrayBuffer[]): ArrayBuffer[] {
  return [...new Set(bufs)].filter((b) => !((b as unknown) instanceof SharedArrayBuffer));
}

function info(e: unknown): WorkerErrorInfo {
  const err = e as { name?: string; message?: string; where?: string; row?: number };
  return { name: err.name ?? "Error", message: err.message ?? String(e), where: err.where, row: err.row };
}

parentPort!.on("message", (msg: PoolToWorker) => {
  if (msg.kind === "release") {
    job = null;
    run = null;
    current = -1;
    return;
  }
  if (msg.kind === "setup") {
    current = msg.call;
    try {
      job = (JOBS[msg.job] as ChunkJob<unknown, unknown> | undefined) ?? null;
      if (job === null) throw new Error(`worker: no job "${msg.job}" in src/jobs.ts`);
      run = job.setup(msg.problem);
      // set up: only now does this thread get chunks (until then the main thread computes them itself,
      // so a slow start costs nothing when the whole call is short)
      post({ call: msg.call, ready: true });
    } catch (e) {
      job = null;
      run = null;
      post({ call: msg.call, id: -1, error: info(e) });
    }
    return;
  }
  try {
    if (run === null || job === null || msg.call !== current) throw new Error(`worker: chunk of call ${msg.call} without its setup`);
    const result = run(msg.chunk[0], msg.chunk[1]);
    post({ call: msg.call, id: msg.id, result }, job.transfer ? transferable(job.transfer(result)) : []);
  } catch (e) {
    post({ call: msg.call, id: msg.id, error: info(e) });
  }
});
