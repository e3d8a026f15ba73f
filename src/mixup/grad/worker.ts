/** Worker thread for exactMixupGradParallel: integrates the chunks (by plan index) it is sent. */
import { parentPort, workerData } from "node:worker_threads";
import { chunkPlan } from "../exactPairs.js";
import type { PairProblem } from "../pairProblem.js";
import { GradIntegrator } from "./gradIntegrator.js";
import { serializeError } from "./pool.js";

const P = workerData as PairProblem;
const plan = chunkPlan(P.n);
const integ = new GradIntegrator(P);
parentPort!.postMessage({ ready: true });
parentPort!.on("message", (msg: { id: number }) => {
  try {
    const result = integ.integrateRows(plan[msg.id][0], plan[msg.id][1]);
    const bufs = [result.D.buffer, result.Derr.buffer, result.H.buffer, result.Herr.buffer] as ArrayBuffer[];
    parentPort!.postMessage({ id: msg.id, result }, bufs);
  } catch (e) {
    parentPort!.postMessage({ id: msg.id, error: serializeError(e) });
  }
});
