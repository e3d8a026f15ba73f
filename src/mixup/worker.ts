/** Worker thread for exactMixupLossParallel: integrates the chunks it is sent. */
import { parentPort, workerData } from "node:worker_threads";
import { PairIntegrator } from "./pairIntegrator.js";
import type { PairProblem } from "./pairProblem.js";

const P = workerData as PairProblem;
const integ = new PairIntegrator(P);
// modules loaded and rules built: only now does the main thread hand out chunks (until then it computes
// them itself, so a slow start costs nothing when the whole job is short)
parentPort!.postMessage({ ready: true });
parentPort!.on("message", (msg: { id: number; chunk: [number, number] }) => {
  try {
    const result = integ.integrateRows(msg.chunk[0], msg.chunk[1]);
    parentPort!.postMessage({ id: msg.id, result });
  } catch (e) {
    const err = e as { name?: string; message?: string; where?: string; row?: number };
    parentPort!.postMessage({
      id: msg.id,
      error: { name: err.name ?? "Error", message: err.message ?? String(e), where: err.where, row: err.row },
    });
  }
});
