/**
 * Shared by the Lemma 3.1 proofs-checks and claims (src/claims/remainder.ts): the remainder (or a deliberately wrong residual, for the negative
 * controls) on a ladder of data scales or α values, and the 16×-wide window of the ladder that the
 * quadrature still resolves.
 *
 * Two routes to the remainder: `L_mix − approx` from the exact loss (any model, but a difference of
 * O(1) numbers, so it is resolved only while the remainder is above ~1e-11), and the direct integral of
 * the Taylor remainder (taylor/directRemainder.ts: smooth models only, resolved down to ~1e-15). Where
 * both resolve, they must agree within their error bounds: that is part of each check's margin.
 */
import type { Dataset } from "../core/dataset.js";
import { logLogSlope } from "../core/fit.js";
import type { Family } from "../losses/types.js";
import { betaMoment } from "../mixing/beta.js";
import type { Model } from "../models/types.js";
import { exactMixupLoss } from "../mixup/index.js";
import { directRemainder } from "./directRemainder.js";
import { withRemainder } from "./remainder.js";
import { scaleData } from "./study.js";
import { taylorTerms, taylorTermsWithMoments } from "./terms.js";
import { EPS } from "../core/constants.js";

/**
 * What is subtracted from L_mix: the paper's approximation (`remainder`), or for the negative controls
 * the approximation without R2 (`drop-R2`) or with Beta(α, β) moments in place of the D̃ ones
 * (`beta-moments`).
 */
export type Residual = "remainder" | "drop-R2" | "beta-moments";

export interface LadderRow {
  /** scale s, or α (= β) */
  at: number;
  /** L_mix minus the chosen approximation (direct route where the model is smooth) */
  value: number;
  /** its absolute error bound */
  err: number;
  R2: number;
  /** the same from the exact loss, where computed: {value, err} */
  exact?: { value: number; err: number };
}

/** Tolerance of the exact loss on the ladders: the remainder is a small difference of O(1) numbers. */
export const LADDER_TOL = 1e-14;

/** Smooth along every pair: the direct remainder applies (not to ReLU nets). */
export function isSmooth(model: Model): boolean {
  return model.kind === "linear" || model.activation !== "relu";
}

export function ladderRow(
  ds: Dataset,
  model: Model,
  family: Family,
  alpha: number,
  beta: number,
  at: number,
  residual: Residual,
  withExact: boolean,
): LadderRow {
  const terms = taylorTerms(ds, model, family, alpha, beta);
  // what the wrong residuals add to the true remainder: + R2, or approx − approx(Beta moments)
  let offset = 0;
  if (residual === "drop-R2") offset = terms.R2;
  if (residual === "beta-moments") {
    const b1 = betaMoment(beta, alpha, 1); // E_Beta(α,β)[1 − λ] = E_Beta(β,α)[λ]
    const b2 = betaMoment(beta, alpha, 2);
    offset = terms.approx - taylorTermsWithMoments(ds, model, family, b1, b2).approx;
  }
  let exact: LadderRow["exact"];
  if (withExact || !isSmooth(model)) {
    const r = withRemainder(terms, exactMixupLoss(ds, model, family, alpha, beta, { tol: LADDER_TOL }));
    exact = { value: r.remainder + offset, err: r.remainderError };
  }
  if (!isSmooth(model)) return { at, value: exact!.value, err: exact!.err, R2: terms.R2, exact };
  const d = directRemainder(ds, model, family, alpha, beta, { tol: 1e-6 });
  const rounding = 4 * EPS * Math.abs(offset);
  return { at, value: d.value + offset, err: d.errorEstimate + rounding, R2: terms.R2, exact };
}

/** Rows at data scales s = 2^0, 2^-1, …, 2^-(levels−1); the exact route too on the first `exactLevels`. */
export function scaleLadder(
  ds: Dataset,
  model: Model,
  family: Family,
  alpha: number,
  beta: number,
  levels: number,
  residual: Residual,
  exactLevels = 5,
): LadderRow[] {
  const rows: LadderRow[] = [];
  for (let k = 0; k < levels; k++) {
    const s = Math.pow(2, -k);
    rows.push(ladderRow(scaleData(ds, s), model, family, alpha, beta, s, residual, k < exactLevels));
  }
  return rows;
}

/** Rows at α = β = each value of the grid (data unchanged). */
export function alphaLadder(ds: Dataset, model: Model, family: Family, grid: readonly number[], residual: Residual): LadderRow[] {
  return grid.map((a) => ladderRow(ds, model, family, a, a, a, residual, true));
}

/** A row is resolved when its error bound is at most `rel`·|value| (the 1e-3). */
export function resolved(r: LadderRow, rel = 1e-3): boolean {
  return r.err <= rel * Math.abs(r.value);
}

/**
 * 1 − |direct − exact|/(err_direct + err_exact), the smallest over the rows where both routes ran
 * (≥ 0: the two routes to the remainder agree within their error bounds); 1 when none did.
 */
export function routesAgree(rows: readonly LadderRow[]): number {
  let m = 1;
  for (const r of rows) {
    if (!r.exact || r.exact === undefined || r.value === r.exact.value) continue;
    m = Math.min(m, 1 - Math.abs(r.value - r.exact.value) / (r.err + r.exact.err));
  }
  return m;
}

/**
 * The deepest window of `width` consecutive rows that are all resolved (a 16× range for width 5 on a
 * ladder of halvings), or null. Deepest, because the order of the remainder is an asymptotic claim:
 * on random smooth nets the remainder often changes sign or is still pre-asymptotic at s ∈ [1/16, 1].
 */
export function deepestWindow(rows: readonly LadderRow[], width = 5): LadderRow[] | null {
  for (let e = rows.length; e >= width; e--) {
    const w = rows.slice(e - width, e);
    if (w.every((r) => resolved(r))) return w;
  }
  return null;
}

/** Least-squares slope of log|value| against log(at). */
export function ladderSlope(rows: readonly LadderRow[]): number {
  return logLogSlope(rows.map((r) => r.at), rows.map((r) => r.value));
}
