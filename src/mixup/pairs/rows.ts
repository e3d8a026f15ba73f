/**
 * Rows and chunks of the all-pairs sum: the fixed chunk plan (a function of n only, so the bytes do not
 * depend on the threads), and the loop over one chunk's pairs that both integrators (loss.ts, grad.ts)
 * share (docs/numerics.md, "The exact Mixup loss").
 */
import { EPS } from "../../core/constants.js";
import { Neumaier } from "../../core/sum.js";
import type { PairProblem } from "./problem.js";

/** Partial sums of one chunk of rows; reduced in chunk order so the bytes do not depend on workers. */
export interface ChunkResult {
  /** Σ over the chunk's pairs of ∫ l dμ (compensated) */
  value: number;
  /** Σ of per-piece |Q_hi − Q_lo| plus a rounding allowance */
  err: number;
  /** Σ of ∫ |l| dμ: the scale of the tolerance */
  abs: number;
  /** integrand evaluations */
  evals: number;
  /** pieces that hit the bisection limit without meeting the tolerance */
  unresolved: number;
  /** form "both": the label-free value's sums over the same pairs and nodes (value is the labelled one) */
  twin?: ChunkResult;
}

/** What sumPairs needs of an integrator (the loss's and the gradient's). */
export interface PairTerms {
  /** integrand evaluations so far */
  evals: number;
  /** l(f(x_i), y_i): the diagonal pair (i, i), mass 1 per ordered pair */
  pointTerm(i: number): number;
  /** ∫ l along pair (i, j) against the pair measure; sets pairErr, pairAbs, pairUnresolved */
  integratePair(i: number, j: number): number;
  readonly pairErr: number;
  readonly pairAbs: number;
  readonly pairUnresolved: number;
  /** form "both": the second value of the last pair, its error and ∫|·| */
  readonly pairTwin?: number;
  readonly pairTwinErr?: number;
  readonly pairTwinAbs?: number;
}

/** Target pairs per chunk: chunk boundaries depend on n only, never on the number of workers. */
export const PAIRS_PER_CHUNK = 16384;

/** Row ranges [i0, i1) holding about PAIRS_PER_CHUNK pairs (i ≤ j) each. */
export function chunkPlan(n: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let i0 = 0;
  let acc = 0;
  for (let i = 0; i < n; i++) {
    acc += n - 1 - i + 1;
    if (acc >= PAIRS_PER_CHUNK || i === n - 1) {
      out.push([i0, i + 1]);
      i0 = i + 1;
      acc = 0;
    }
  }
  return out;
}

/**
 * The pairs (i, j) with i in [i0, i1) and j > i, plus the diagonal terms of those rows when pairs = all:
 * the loss summed with compensation, its error and scale added up; resets and reports t.evals.
 */
export function sumPairs(t: PairTerms, P: PairProblem, i0: number, i1: number): ChunkResult {
  const { n, pairs } = P;
  // form "both": the label-free value is summed the same way, in `twin`
  const both = P.form === "both";
  const sum = new Neumaier();
  const twin = new Neumaier();
  let err = 0;
  let abs = 0;
  let unresolved = 0;
  let err2 = 0;
  let abs2 = 0;
  t.evals = 0;
  for (let i = i0; i < i1; i++) {
    if (pairs === "all") {
      // i = j: the mixed point is x_i with label y_i for every λ (in both forms)
      const l = t.pointTerm(i);
      sum.add(l);
      abs += Math.abs(l);
      err += 4 * EPS * Math.abs(l);
      if (both) {
        twin.add(l);
        abs2 += Math.abs(l);
        err2 += 4 * EPS * Math.abs(l);
      }
    }
    for (let j = i + 1; j < n; j++) {
      sum.add(t.integratePair(i, j));
      err += t.pairErr;
      abs += t.pairAbs;
      unresolved += t.pairUnresolved;
      if (both) {
        twin.add(t.pairTwin!);
        err2 += t.pairTwinErr!;
        abs2 += t.pairTwinAbs!;
      }
    }
  }
  const out: ChunkResult = { value: sum.value, err, abs, evals: t.evals, unresolved };
  if (both) out.twin = { value: twin.value, err: err2, abs: abs2, evals: t.evals, unresolved };
  return out;
}
