/**
 * Worker thread for taylorSumsParallel (parallel.ts). Kept alive between calls (so its compiled code
 * stays warm): a `setup` message installs one call's model and family; each `task` brings one block's
 * rows of X and y (transferred, not shared) and runs a block pass on them; `release` drops the model.
 */
import { parentPort } from "node:worker_threads";
import type { Dataset } from "../core/dataset.js";
import { family as familyOf } from "../losses/index.js";
import type { Family, LossName } from "../losses/types.js";
import type { Model } from "../models/types.js";
import { taylorPass1, taylorPass2, type Pass1Block, type Pass2Block } from "./sums.js";

export interface TaylorSetup {
  kind: "setup";
  model: Model;
  family: LossName;
}

/** One block: its rows of X (rows×d) and y (rows×K); a block pass only reads its own rows. */
export interface TaylorTask {
  kind: "task";
  id: number;
  pass: 1 | 2;
  block: Dataset;
  /** pass 2: the merged ū and G */
  mean?: Float64Array;
  G?: Float64Array;
}

export type TaylorMessage = TaylorSetup | TaylorTask | { kind: "release" };

let ctx: { model: Model; family: Family } | null = null;

function buffers(r: Pass1Block | Pass2Block): ArrayBuffer[] {
  if ("m2" in r) {
    const out = [r.mean.buffer, r.m2.buffer];
    if (r.net) out.push(r.net.M.buffer, r.net.B0.buffer, r.net.Q1.buffer, r.net.A0.buffer, r.net.A1.buffer, r.net.scores.buffer);
    return out as ArrayBuffer[];
  }
  return [r.scores.buffer as ArrayBuffer];
}

parentPort!.on("message", (msg: TaylorMessage) => {
  if (msg.kind === "setup") {
    ctx = { model: msg.model, family: familyOf(msg.family) };
    return;
  }
  if (msg.kind === "release") {
    ctx = null;
    return;
  }
  try {
    if (ctx === null) throw new Error("taylor worker: task before setup");
    const { model, family } = ctx;
    const b = msg.block;
    const result = msg.pass === 1 ? taylorPass1(b, model, family, 0, b.n) : taylorPass2(b, model, family, 0, b.n, msg.mean!, msg.G!);
    parentPort!.postMessage({ id: msg.id, result }, buffers(result));
  } catch (e) {
    const err = e as { name?: string; message?: string };
    parentPort!.postMessage({ id: msg.id, error: { name: err.name ?? "Error", message: err.message ?? String(e) } });
  }
});
