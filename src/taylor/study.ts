import ndarray from "ndarray";
import ops from "ndarray-ops";
import { featureView, makeDataset, type Dataset } from "../core/dataset.js";
import { sharedFloat64Array } from "../core/shared.js";
import type { Family } from "../losses/types.js";
import type { Model } from "../models/types.js";
import { checkTol } from "../core/constants.js";
import { mixupLoss } from "../mixup/index.js";
import { logLogSlope, signChanges as countSignChanges } from "../core/fit.js";
import { taylorTermsParallel } from "./parallel.js";
import { withRemainder, type TaylorWithRemainder } from "./remainder.js";

/** One row of a remainder study: the variable's value and Lemma 3.1's terms with the remainder there. */
export interface StudyRow extends TaylorWithRemainder {
  /** the scale s (scale study) or α (α study) */
  at: number;
}

export interface StudyResult {
  variable: "scale" | "alpha";
  rows: StudyRow[];
  /**
   * least-squares slope of log|remainder| against log s (or log α); null with `slopeReason` when fewer
   * than two rows have a remainder above its error bound (a remainder that is zero to quadrature accuracy,
   * as for the squared loss with a linear model, has no slope).
   */
  slope: number | null;
  slopeReason?: string;
  /**
   * sign changes of the remainder along the rows: a fit of log|remainder| across a zero of the remainder
   * is not an order of convergence (pre-asymptotic rows; go to smaller s)
   */
  signChanges: number;
}

export interface StudyOptions {
  tol?: number;
  workers?: number;
  /** progress of each row's exact L_mix (mixupLoss's onProgress: pairs done of all, per row) */
  onProgress?: (done: number, total: number) => void;
}

/** The data with every feature multiplied by s (labels unchanged): one ndarray-ops pass over the view. */
export function scaleData(ds: Dataset, s: number): Dataset {
  const X = sharedFloat64Array(ds.X.length); // sent to the workers without a copy (core/shared.ts)
  ops.muls(ndarray(X, [ds.n, ds.d]), featureView(ds), s);
  return makeDataset(X, ds.y, ds.n, ds.d, ds.K, { names: ds.names, source: ds.source });
}

async function row(ds: Dataset, model: Model, family: Family, alpha: number, beta: number, at: number, o: StudyOptions): Promise<StudyRow> {
  // on worker threads when the data are large (the same bytes as taylorTerms)
  const terms = await taylorTermsParallel(ds, model, family, alpha, beta, { workers: o.workers === 1 ? 1 : undefined });
  // the all-pairs quadrature through the dispatch, which first checks the input against the contract for
  // huge inputs (mixup/magnitude.ts)
  const mix = await mixupLoss(ds, model, family, alpha, beta, { method: "pairs", tol: o.tol, workers: o.workers, onProgress: o.onProgress });
  return { at, ...withRemainder(terms, mix) };
}

/**
 * The remainder of Lemma 3.1 under data scaling x → s·x (docs/theory.md §3.2): O(s⁴) for linear GLMs
 * (the third-order pair term cancels), exactly 0 for the squared loss with a linear model, O(s³) for
 * smooth nets, only O(s) for ReLU nets (the kinks do not move).
 */
export async function scaleStudy(
  ds: Dataset,
  model: Model,
  family: Family,
  alpha: number,
  beta: number,
  scales: readonly number[],
  o: StudyOptions = {},
): Promise<StudyResult> {
  const opts = { ...o, tol: checkTol(o.tol) };
  const rows: StudyRow[] = [];
  for (const s of scales) rows.push(await row(scaleData(ds, s), model, family, alpha, beta, s, opts));
  return { variable: "scale", rows, ...fitSlope(rows) };
}

/**
 * The remainder against α = β (docs/theory.md §3.2): it vanishes in proportion to α as α → 0, but so
 * does R2, and remainder/R2 tends to a non-zero constant.
 */
export async function alphaStudy(
  ds: Dataset,
  model: Model,
  family: Family,
  alphas: readonly number[],
  o: StudyOptions = {},
): Promise<StudyResult> {
  const opts = { ...o, tol: checkTol(o.tol) };
  const rows: StudyRow[] = [];
  for (const a of alphas) rows.push(await row(ds, model, family, a, a, a, opts));
  return { variable: "alpha", rows, ...fitSlope(rows) };
}

/** Slope of log|remainder| on log(at) over the rows whose remainder exceeds its error bound. */
export function fitSlope(rows: readonly StudyRow[]): { slope: number | null; slopeReason?: string; signChanges: number } {
  const ok = rows.filter((r) => Math.abs(r.remainder) > r.remainderError && r.at > 0);
  const signChanges = countSignChanges(ok.map((r) => r.remainder));
  if (ok.length < 2) {
    return {
      slope: null,
      slopeReason: `the remainder exceeds its error bound at ${ok.length} of ${rows.length} points (zero to quadrature accuracy)`,
      signChanges,
    };
  }
  return { slope: logLogSlope(ok.map((r) => r.at), ok.map((r) => r.remainder)), signChanges };
}
