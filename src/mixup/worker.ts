/**
 * Worker thread for exactMixupLossParallel (parallel.ts). Kept alive between calls (so its modules stay
 * loaded and its compiled code warm): `setup` brings one call's problem (a structured-clone copy of U, Y
 * and the model) and is answered by `ready` once the rules are built; each `chunk` is integrated and its
 * result returned; `release` drops the problem. Every reply carries the call number it belongs to.
 */
import { parentPort } from "node:worker_threads";
import { PairIntegrator, type ChunkResult } from "./pairIntegrator.js";
import type { PairProblem } from "./pairProblem.js";

export type ExactToWorker =
  | { kind: "setup"; call: number; P: PairProblem }
  | { kind: "chunk"; call: number; id: number; chunk: [number, number] }
  | { kind: "release" };

export interface WorkerErrorInfo {
  name: string;
  message: string;
  where?: string;
  row?: number;
}

export type ExactFromWorker =
  | { call: number; ready: true }
  | { call: number; id: number; result: ChunkResult }
  | { call: number; id: number; error: WorkerErrorInfo };

let integ: PairIntegrator | null = null;
let current = -1;

function post(msg: ExactFromWorker): void {
  parentPort!.postMessage(msg);
}

function info(e: unknown): WorkerErrorInfo {
  const err = e as { name?: string; message?: string; where?: string; row?: number };
  return { name: err.name ?? "Error", message: err.message ?? String(e), where: err.where, row: err.row };
}

parentPort!.on("message", (msg: ExactToWorker) => {
  if (msg.kind === "release") {
    integ = null;
    current = -1;
    return;
  }
  if (msg.kind === "setup") {
    current = msg.call;
    try {
      integ = new PairIntegrator(msg.P);
      // rules built: only now does the main thread hand out chunks (until then it computes them itself,
      // so a slow start costs nothing when the whole job is short)
      post({ call: msg.call, ready: true });
    } catch (e) {
      integ = null;
      post({ call: msg.call, id: -1, error: info(e) });
    }
    return;
  }
  try {
    if (integ === null || msg.call !== current) throw new Error(`exact-loss worker: chunk of call ${msg.call} without its setup`);
    post({ call: msg.call, id: msg.id, result: integ.integrateRows(msg.chunk[0], msg.chunk[1]) });
  } catch (e) {
    post({ call: msg.call, id: msg.id, error: info(e) });
  }
});
