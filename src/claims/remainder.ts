/**
 * Per-instance forms of two Lemma 3.1 remainder checks (docs/claims.md, "Claims as predicates"): the order of the
 * remainder under data scaling (`lemma-3.1-order`) and its behaviour as α = β → 0 (`lemma-3.1-alpha`), each on a
 * ladder of the user's own data and smooth model (linear, tanh, softplus). The remainder is integrated directly
 * (taylor/directRemainder.ts, resolved down to ~1e-15) and, on some rungs, also taken from the exact loss; the two
 * routes must agree within their error bounds (part of the margin).
 */
import type { Dataset } from "../core/dataset.js";
import { family } from "../losses/index.js";
import type { Model } from "../models/types.js";
import { isSmooth, ladderRow, ladderSlope, resolved, routesAgree, type LadderRow, type Residual } from "../taylor/ladder.js";
import { scaleData } from "../taylor/study.js";
import type { ClaimInput, ClaimResult } from "./index.js";

/**
 * A rung is resolved when its error is at most rel·|value| (ladder.ts `resolved`). A least-squares slope over 5
 * rungs spaced by ln 2 moves by at most 6/(10·ln 2)·rel ≈ 0.87·rel when each log|value| moves by rel, so
 * rel = 1e-2 (the order claim) costs ≤ 0.009 of slope against its slack of 0.2; the α claim compares ratios to 2%
 * and keeps the default 1e-3.
 */
const ORDER_RESOLVED = 1e-2;

/**
 * The deepest 5 rungs (a 16× range) that are resolved (error ≤ 1e-2·|remainder|), lie at s ≤ 1/16 (s ∈ [1/16, 1] is often pre-asymptotic:
 * docs/claims.md, lemma-3.1-order) and, with the two rungs above them, have one sign: near a zero of the
 * remainder c·s^k·(1 − s/s₀) the local slope of log|remainder| is k − (s/s₀)/(1 − s/s₀), so with s₀ at least 4× the
 * window's top the fit is within ~0.15 of k, and closer to a zero it is not a rate. Null when no such window.
 */
function asymptoticWindow(rows: readonly LadderRow[]): LadderRow[] | null {
  for (let e = rows.length; e >= 9; e--) {
    const w = rows.slice(e - 5, e);
    const above = rows.slice(e - 7, e);
    if (w.every((r) => resolved(r, ORDER_RESOLVED)) && above.every((r) => Math.abs(r.value) > r.err && Math.sign(r.value) === Math.sign(w[0].value))) return w;
  }
  return null;
}

/** Scales of the `lemma-3.1-order` ladder: s = 1, 1/2, …, 2^-13 (14 rungs, as the check). */
export const ORDER_LADDER = 14;

/**
 * Lemma 3.1's remainder L_mix − (L_std + R1 + R2 + R3) under data scaling x → s·x (docs/theory.md §3.2)
 * [exact], on this instance: O(s⁴) for a linear GLM (the third-order pair term cancels), zero for the squared loss
 * with a linear model, O(s³) for a smooth net (tanh, softplus). Ladder s = 2^-k, k ≤ 13 (14 rungs, as the check;
 * about 10 ms per instance of the arbitraries). The slope of log|remainder| on log s is fitted on the deepest
 * window of `asymptoticWindow` (5 rungs resolved to 1e-2 at s ≤ 1/16, one sign with the two rungs above). Margin: the
 * smaller of slope − (order − slack), slack 0.3 for the quartic and 0.2 for the cubic (the check's bands, one-sided:
 * O(s^k) bounds the rate from below; a cancelling leading coefficient makes the slope steeper, not flatter), and
 * the routes' agreement on the first 3 rungs (1 − |direct − exact|/(both bounds)). Zero case (squared loss, linear
 * model, or a remainder below its bound on every rung): worst 1 − |remainder|/bound. Unmet "smooth": ReLU nets
 * (their remainder is only O(s): the finding of `lemma-3.1-relu`); "asymptotic": no such window on the ladder (the
 * remainder is below the direct route's rounding floor, or changes sign, too close to the deepest rungs): 5% of
 * 240 linear models and 1% of 240 tanh nets of the arbitraries (n ≤ 6, d ≤ 2); the smallest margins there were
 * 0.26 (linear) and 0.11 (tanh).
 */
export const lemma31Order = (ds: Dataset, model: Model, o: ClaimInput): ClaimResult => remainderOrder(ds, model, o, "remainder");

/** lemma31Order with another residual (a test's negative control: `drop-R2` falls like s², and must fail). */
export function remainderOrder(ds: Dataset, model: Model, o: ClaimInput, residual: Residual): ClaimResult {
  if (!isSmooth(model)) return { margin: 0, assumptions: { met: false, unmet: ["smooth"] }, details: {} };
  const fam = family(model.loss);
  const beta = o.beta ?? o.alpha;
  const rows: LadderRow[] = [];
  for (let k = 0; k < ORDER_LADDER; k++) {
    const s = Math.pow(2, -k);
    rows.push(ladderRow(scaleData(ds, s), model, fam, o.alpha, beta, s, residual, k < 3));
  }
  const agree = routesAgree(rows);
  const zero = model.kind === "linear" && model.loss === "squared";
  const met = { met: true, unmet: [] as string[] };
  if (zero || rows.every((r) => Math.abs(r.value) <= r.err)) {
    const worst = Math.min(...rows.map((r) => (r.value === 0 ? 1 : 1 - Math.abs(r.value) / r.err)));
    return { margin: Math.min(worst, agree), assumptions: met, details: { order: 0, identicallyZero: zero, routesAgree: agree } };
  }
  const order = model.kind === "linear" ? 4 : 3;
  const slack = order === 4 ? 0.3 : 0.2;
  const win = asymptoticWindow(rows);
  if (win === null) return { margin: 0, assumptions: { met: false, unmet: ["asymptotic"] }, details: { order, resolvedRungs: rows.filter((r) => resolved(r, ORDER_RESOLVED)).length, routesAgree: agree } };
  const fit = ladderSlope(win);
  return {
    margin: Math.min(fit - (order - slack), agree),
    assumptions: met,
    details: { order, slope: fit, windowFrom: win[0].at, windowTo: win[4].at, routesAgree: agree },
  };
}

/** α = β of the `lemma-3.1-alpha` ladder (the check's tail: α ≤ 0.03). */
export const ALPHA_LADDER: readonly number[] = [0.03, 0.01, 0.003, 0.001];

/**
 * As α = β → 0, Lemma 3.1's remainder vanishes in proportion to α while remainder/R2 settles to a non-zero
 * constant (docs/theory.md §3.2) [exact; the settling is our finding], on this instance, over α = β ∈ {0.03, 0.01,
 * 0.003, 0.001} (the instance's own α, β are not used). Margin: the smaller of 0.15 − |slope − 1| (slope of
 * log|remainder| on log α over the four rungs; the check's band) and 0.02 − |r(0.001) − r(0.003)|/|r(0.001)|
 * (r = remainder/R2: the ratio moves by O(α); on 240 instances of the arbitraries, linear and tanh, it moved by at
 * most 0.9% and mostly below 0.05%, so a 2% band is settled), and the routes' agreement (direct integral against
 * L_mix − approx from the exact loss at tol 1e-14, every rung). Every rung must be resolved
 * (error ≤ 1e-3·|remainder|), else margin −1; a resolved remainder with a settled ratio makes the limit
 * non-zero (the check's extra floor |r| ≥ 1e-3 is a property of its instances, not of every instance). Unmet
 * "remainder": the squared loss with a linear model (remainder identically zero), or R2 = 0 (a model constant
 * along every pair's start: no ratio); "smooth": ReLU nets, whose remainder comes from the kinks and is taken from
 * the exact loss alone; there the ratio settles more slowly (2.2% and 2.7% apart at α = 0.003 and 0.001 on 2 of 120
 * instances, one more unresolved), so the band would test the ladder, not the claim; `lemma-3.1-relu` studies them.
 * Cost: 4 exact losses at tol 1e-14 and 4 direct remainders.
 */
export const lemma31Alpha = (ds: Dataset, model: Model): ClaimResult => remainderAlpha(ds, model, "remainder");

/** lemma31Alpha with another residual (a test's negative control: `beta-moments` tends to a constant, slope 0). */
export function remainderAlpha(ds: Dataset, model: Model, residual: Residual): ClaimResult {
  if (!isSmooth(model)) return { margin: 0, assumptions: { met: false, unmet: ["smooth"] }, details: {} };
  if (model.kind === "linear" && model.loss === "squared") return { margin: 0, assumptions: { met: false, unmet: ["remainder"] }, details: {} };
  const fam = family(model.loss);
  const rows = ALPHA_LADDER.map((a) => ladderRow(ds, model, fam, a, a, a, residual, true));
  if (rows.some((r) => r.R2 === 0)) return { margin: 0, assumptions: { met: false, unmet: ["remainder"] }, details: { R2: 0 } };
  const met = { met: true, unmet: [] as string[] };
  const agree = routesAgree(rows);
  if (!rows.every((r) => resolved(r))) return { margin: -1, assumptions: met, details: { resolvedRungs: rows.filter((r) => resolved(r)).length, routesAgree: agree } };
  const fit = ladderSlope(rows);
  const last = rows[3].value / rows[3].R2;
  const settle = Math.abs(last - rows[2].value / rows[2].R2) / Math.abs(last);
  const margin = Math.min(0.15 - Math.abs(fit - 1), 0.02 - settle, agree);
  return { margin: Number.isNaN(margin) ? -1 : margin, assumptions: met, details: { slope: fit, remainderOverR2: last, settle, routesAgree: agree } };
}
