/**
 * Worker thread of the exact pair paths' pool (workerPool.ts), for the loss and for its gradient. Kept
 * alive between calls (so its modules stay loaded and its compiled code warm): `setup` brings one call's
 * job kind and problem (a structured-clone copy of U, Y and the model) and is answered by `ready` once the
 * integrator is built; each `chunk` is integrated and its result returned (a gradient chunk's arrays are
 * transferred, not copied); `release` drops the problem. Every reply carries the call number it belongs to.
 */
import { parentPort } from "node:worker_threads";
import { GradIntegrator, type GradChunk } from "./pairs/grad.js";
import { LossIntegrator } from "./pairs/loss.js";
import type { PairProblem } from "./pairs/problem.js";

/** "loss": LossIntegrator's ChunkResult; "grad": GradIntegrator's GradChunk. */
export type JobKind = "loss" | "grad";

export type PoolToWorker =
  | { kind: "setup"; call: number; job: JobKind; P: PairProblem }
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

interface Job {
  integrateRows(i0: number, i1: number): unknown;
}

/** The integrator of a job kind, and the buffers of a result to transfer. */
const jobs: Record<JobKind, { make: (P: PairProblem) => Job; transfer: (r: unknown) => ArrayBuffer[] }> = {
  loss: { make: (P) => new LossIntegrator(P), transfer: () => [] },
  grad: {
    make: (P) => new GradIntegrator(P),
    transfer: (r) => {
      const g = r as GradChunk;
      return [...new Set([g.D.buffer, g.Derr.buffer, g.H.buffer, g.Herr.buffer] as ArrayBuffer[])];
    },
  },
};

let integ: Job | null = null;
let job: JobKind = "loss";
let current = -1;

function post(msg: PoolFromWorker, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(msg, transfer);
}

function info(e: unknown): WorkerErrorInfo {
  const err = e as { name?: string; message?: string; where?: string; row?: number };
  return { name: err.name ?? "Error", message: err.message ?? String(e), where: err.where, row: err.row };
}

parentPort!.on("message", (msg: PoolToWorker) => {
  if (msg.kind === "release") {
    integ = null;
    current = -1;
    return;
  }
  if (msg.kind === "setup") {
    current = msg.call;
    job = msg.job;
    try {
      integ = jobs[job].make(msg.P);
      // integrator built: only now does the main thread hand out chunks (until then it computes them
      // itself, so a slow start costs nothing when the whole job is short)
      post({ call: msg.call, ready: true });
    } catch (e) {
      integ = null;
      post({ call: msg.call, id: -1, error: info(e) });
    }
    return;
  }
  try {
    if (integ === null || msg.call !== current) throw new Error(`exact-pairs worker: chunk of call ${msg.call} without its setup`);
    const result = integ.integrateRows(msg.chunk[0], msg.chunk[1]);
    post({ call: msg.call, id: msg.id, result }, jobs[job].transfer(result));
  } catch (e) {
    post({ call: msg.call, id: msg.id, error: info(e) });
  }
});
