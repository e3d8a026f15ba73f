import { Worker } from "node:worker_threads";
import { InputError, OverflowError } from "../../core/errors.js";

/**
 * A generic chunk pool (the scheme of src/mixup/parallel.ts, factored so the gradient path does not copy
 * it): chunks [0, count) are handed out on demand to nw − 1 worker threads and to this thread (one chunk
 * per event-loop turn, so results are taken in between); every result goes to `onResult(id, r)` as it
 * arrives, in any order; the caller makes the reduction order-independent. Errors from a worker come back
 * as {name, message, where, row} and are rebuilt as the same OverflowError / InputError kinds.
 */
export interface PoolWorkerError {
  name: string;
  message: string;
  where?: string;
  row?: number;
}

/** Chunks each worker holds at once: it never waits for this thread to finish a chunk before its next. */
const IN_FLIGHT = 2;

export function runChunkPool<R>(
  workerUrl: URL,
  workerData: unknown,
  count: number,
  nw: number,
  local: (id: number) => R,
  onResult: (id: number, r: R) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let next = 0;
    let done = 0;
    let settled = false;
    const workers: Worker[] = [];
    const finish = (err?: unknown) => {
      if (settled) return;
      settled = true;
      for (const w of workers) void w.terminate();
      if (err) reject(err);
      else resolve();
    };
    const store = (id: number, r: R) => {
      try {
        onResult(id, r);
      } catch (e) {
        finish(e);
        return;
      }
      done++;
      if (done === count) finish();
    };
    for (let k = 0; k < nw - 1; k++) {
      const w = new Worker(workerUrl, { workerData });
      workers.push(w);
      const feed = () => {
        if (next < count) w.postMessage({ id: next++ });
      };
      w.on("message", (msg: { ready?: true; id: number; result?: R; error?: PoolWorkerError }) => {
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
    const step = () => {
      if (settled || next >= count) return;
      const id = next++;
      let r: R;
      try {
        r = local(id);
      } catch (e) {
        finish(e);
        return;
      }
      store(id, r);
      setImmediate(step);
    };
    setImmediate(step);
  });
}

export function serializeError(e: unknown): PoolWorkerError {
  const err = e as { name?: string; message?: string; where?: string; row?: number };
  return { name: err.name ?? "Error", message: err.message ?? String(e), where: err.where, row: err.row };
}

export function rebuildError(e: PoolWorkerError): Error {
  if (e.name === "OverflowError") return new OverflowError(e.row ?? 0, e.message);
  if (e.name === "InputError") return new InputError(e.where ?? "", e.message);
  if (e.name === "RangeError") return new RangeError(e.message);
  return new Error(e.message);
}
