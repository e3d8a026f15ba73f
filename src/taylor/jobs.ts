/**
 * The Taylor sums' two block passes as jobs of the core worker pool (core/workerPool.ts): chunk [i0, i1)
 * is one block of blockPlan(n), computed by taylorPass1 / taylorPass2 on the whole data set's rows i0..i1
 * (a block pass reads its own rows only, so the bytes are those of taylorSums).
 */
import type { ChunkJob } from "../core/workerPool.js";
import { shareArray } from "../core/shared.js";
import type { Dataset } from "../core/dataset.js";
import { family as familyOf } from "../losses/index.js";
import type { LossName } from "../losses/types.js";
import type { Model } from "../models/types.js";
import { taylorPass1, taylorPass2, type Pass1Block, type Pass2Block } from "./sums.js";

/** What a worker needs for a pass: the rows (X, y), the model and the family's name; pass 2 the merged ū and G. */
export interface TaylorProblem {
  ds: Pick<Dataset, "n" | "d" | "K" | "X" | "y">;
  model: Model;
  family: LossName;
  mean?: Float64Array;
  G?: Float64Array;
}

/** X and y on shared memory (no copy if they already are): one copy for both passes and every worker. */
export function shareTaylorProblem(P: TaylorProblem): TaylorProblem {
  return { ...P, ds: { n: P.ds.n, d: P.ds.d, K: P.ds.K, X: shareArray(P.ds.X), y: shareArray(P.ds.y) } };
}

export const taylorPass1Job: ChunkJob<TaylorProblem, Pass1Block> = {
  kind: "taylor.pass1",
  setup(P) {
    const fam = familyOf(P.family);
    return (i0, i1) => taylorPass1(P.ds as Dataset, P.model, fam, i0, i1);
  },
  transfer(r) {
    const out = [r.mean.buffer, r.m2.buffer];
    if (r.net) out.push(r.net.M.buffer, r.net.B0.buffer, r.net.Q1.buffer, r.net.A0.buffer, r.net.A1.buffer, r.net.scores.buffer);
    return out as ArrayBuffer[];
  },
  share: shareTaylorProblem,
};

export const taylorPass2Job: ChunkJob<TaylorProblem, Pass2Block> = {
  kind: "taylor.pass2",
  setup(P) {
    const fam = familyOf(P.family);
    return (i0, i1) => taylorPass2(P.ds as Dataset, P.model, fam, i0, i1, P.mean!, P.G!);
  },
  transfer: (r) => [r.scores.buffer as ArrayBuffer],
  share: shareTaylorProblem,
};
