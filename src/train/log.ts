import type { Dataset } from "../core/dataset.js";
import { standardLoss } from "../losses/standard.js";
import type { Family } from "../losses/types.js";
import { toCsv } from "../figures/csv.js";
import type { Row } from "../figures/types.js";
import { mixupLoss } from "../mixup/index.js";
import { predict } from "../models/index.js";
import type { Model } from "../models/types.js";
import { adversarialUnavailable } from "../robustness/summary.js";
import { theoremInequality, unmetAssumptions } from "../robustness/theorem.js";
import { taylorTerms } from "../taylor/terms.js";

/**
 * One row of the training log, at a checkpoint (docs/api.md, "Training"): the model after `step` updates.
 *  - trainLoss, testLoss: L_std on the training and test data (docs/theory.md §2.4);
 *  - mixupLoss: the exact L_mix at the run's α, β (mixupLoss, method auto), also for ERM runs;
 *  - R1, R2, R3, approx = L_std + R1 + R2 + R3: Lemma 3.1's terms (docs/theory.md §3.1);
 *  - R, cx, epsMix, inThetaFraction, tightestEps, epsRatio = ε_mix/ε*, unmetAssumptions: Section 3's
 *    ingredients (docs/theory.md §3.6, §3.9), computed as defined whether or not the theorems' assumptions
 *    hold; unmetAssumptions lists the keys of those that do not (";"-separated; "none" when all hold);
 *  - trainAccuracy, testAccuracy: the fraction classified correctly (logistic: f > 0 ⇔ y = 1; softmax:
 *    argmax f = argmax y);
 *  - gradNorm: ‖∇θ‖₂ of the training objective, for the deterministic (full-batch) objectives;
 *  - wallTime: seconds since training started (the only field that differs between runs with one seed).
 * A quantity that is undefined for the model or data is null with `<field>Reason` beside it, never NaN.
 */
export interface TrainLogRow {
  step: number;
  trainLoss: number;
  testLoss: number | null;
  mixupLoss: number;
  approx: number | null;
  R1: number | null;
  R2: number | null;
  R3: number | null;
  R: number | null;
  cx: number | null;
  epsMix: number | null;
  inThetaFraction: number | null;
  tightestEps: number | null;
  epsRatio: number | null;
  unmetAssumptions: string | null;
  trainAccuracy: number | null;
  testAccuracy: number | null;
  gradNorm: number | null;
  wallTime: number;
  testLossReason?: string;
  approxReason?: string;
  R1Reason?: string;
  R2Reason?: string;
  R3Reason?: string;
  RReason?: string;
  cxReason?: string;
  epsMixReason?: string;
  inThetaFractionReason?: string;
  tightestEpsReason?: string;
  epsRatioReason?: string;
  unmetAssumptionsReason?: string;
  trainAccuracyReason?: string;
  testAccuracyReason?: string;
  gradNormReason?: string;
}

/** The log's columns in order (the CSV header; wallTime last). */
export const LOG_COLUMNS = [
  "step",
  "trainLoss",
  "testLoss",
  "mixupLoss",
  "approx",
  "R1",
  "R2",
  "R3",
  "R",
  "cx",
  "epsMix",
  "inThetaFraction",
  "tightestEps",
  "epsRatio",
  "unmetAssumptions",
  "trainAccuracy",
  "testAccuracy",
  "gradNorm",
  "wallTime",
] as const;

/** L_std of `model` on ds, computed as `mixup-theory loss` does (predict, then standardLoss): the same bytes. */
export function trainingLoss(model: Model, family: Family, ds: Dataset): number {
  return standardLoss(family, predict(model, ds.X, ds.n), ds.y, ds.n, ds.K);
}

/**
 * Accuracy of `model` on ds, or null with a reason: logistic labels must be in {0, 1} (prediction 1 iff
 * f > 0), softmax compares argmax f with argmax y (first index on ties); regression losses have none.
 */
export function accuracy(model: Model, family: Family, ds: Dataset): { value: number | null; reason?: string } {
  const { n, K, y } = ds;
  if (family.name === "logistic") {
    for (let i = 0; i < n; i++) {
      if (y[i] !== 0 && y[i] !== 1) return { value: null, reason: `labels are not in {0, 1} (row ${i + 1}: ${y[i]})` };
    }
  } else if (!family.vector) {
    return { value: null, reason: `accuracy is for classification losses (logistic, softmax), not ${family.name}` };
  }
  const f = predict(model, ds.X, n);
  let right = 0;
  for (let i = 0; i < n; i++) {
    if (!family.vector) {
      if (f[i] > 0 === (y[i] === 1)) right++;
    } else if (argmax(f, i * K, K) === argmax(y, i * K, K)) right++;
  }
  return { value: right / n };
}

function argmax(a: ArrayLike<number>, off: number, K: number): number {
  let best = 0;
  for (let k = 1; k < K; k++) if (a[off + k] > a[off + best]) best = k;
  return best;
}

/** What a checkpoint needs besides the model. */
export interface CheckpointContext {
  readonly ds: Dataset;
  readonly test?: Dataset;
  readonly family: Family;
  readonly alpha: number;
  readonly beta: number;
  readonly tol: number;
  readonly workers?: number;
}

/** The log row of `model` at `step` (gradNorm and wallTime from the training loop). */
export async function checkpointRow(
  ctx: CheckpointContext,
  model: Model,
  step: number,
  gradNorm: { value: number | null; reason?: string },
  wallTime: number,
): Promise<TrainLogRow> {
  const { ds, test, family, alpha, beta } = ctx;
  const t = taylorTerms(ds, model, family, alpha, beta);
  const mix = await mixupLoss(ds, model, family, alpha, beta, { method: "auto", tol: ctx.tol, workers: ctx.workers });
  const row = {
    step,
    trainLoss: trainingLoss(model, family, ds),
    testLoss: null as number | null,
    mixupLoss: mix.value,
    approx: t.approx,
    R1: t.R1,
    R2: t.R2,
    R3: t.R3,
  } as TrainLogRow;
  if (test) row.testLoss = trainingLoss(model, family, test);
  else row.testLossReason = "no test data";
  Object.assign(row, sectionThree(ctx, model, t));
  const tr = accuracy(model, family, ds);
  row.trainAccuracy = tr.value;
  if (tr.reason !== undefined) row.trainAccuracyReason = tr.reason;
  const te = test ? accuracy(model, family, test) : { value: null, reason: "no test data" };
  row.testAccuracy = te.value;
  if (te.reason !== undefined) row.testAccuracyReason = te.reason;
  row.gradNorm = gradNorm.value;
  if (gradNorm.reason !== undefined) row.gradNormReason = gradNorm.reason;
  row.wallTime = wallTime;
  return nonFiniteToReason(row);
}

type SectionThree = Pick<TrainLogRow, "R" | "cx" | "epsMix" | "inThetaFraction" | "tightestEps" | "epsRatio" | "unmetAssumptions"> &
  Partial<TrainLogRow>;

/** Section 3's ingredients (docs/theory.md §3.6, §3.9) for one scalar output; null with reasons for softmax. */
function sectionThree(ctx: CheckpointContext, model: Model, t: ReturnType<typeof taylorTerms>): SectionThree {
  const why = adversarialUnavailable(model, ctx.family);
  if (why !== null) {
    const out: Record<string, unknown> = {};
    for (const k of ["R", "cx", "epsMix", "inThetaFraction", "tightestEps", "epsRatio", "unmetAssumptions"]) {
      out[k] = null;
      out[`${k}Reason`] = why;
    }
    return out as SectionThree;
  }
  const th = theoremInequality(ctx.ds, model, ctx.family, ctx.alpha, ctx.beta, t);
  const a = th.assumptions;
  const out: SectionThree = {
    R: th.R,
    cx: a.cx,
    epsMix: th.epsMix,
    inThetaFraction: a.binaryLabels ? (ctx.ds.n - a.inTheta.violating.length) / ctx.ds.n : null,
    tightestEps: th.tightestEps.value,
    epsRatio: th.ratio,
    unmetAssumptions: unmetAssumptions(model, ctx.family, a).map((u) => u.key).join(";") || "none",
  };
  if (!a.binaryLabels) out.inThetaFractionReason = "labels are not in {0, 1}: Θ is undefined";
  if (th.tightestEps.reason !== undefined) out.tightestEpsReason = th.tightestEps.reason;
  if (th.ratioReason !== undefined) out.epsRatioReason = th.ratioReason;
  return out;
}

/** Any number field that is not finite becomes null with a reason (none is expected; never NaN in a log). */
function nonFiniteToReason(row: TrainLogRow): TrainLogRow {
  const r = row as unknown as Record<string, unknown>;
  for (const k of LOG_COLUMNS) {
    const v = r[k];
    if (typeof v === "number" && !Number.isFinite(v)) {
      r[k] = null;
      r[`${k}Reason`] = `${k} is ${String(v)} in float64`;
    }
  }
  return row;
}

/**
 * The log as CSV (figures/csv.ts toCsv): the header LOG_COLUMNS, one line per checkpoint; numbers in their
 * shortest round-trip form (−0 as -0), a null field as an empty cell (its reason is in the JSON form of the row). With
 * `wallTime: false` the wallTime column is left out, and the same seed gives byte-identical CSV.
 */
export function trainLogCsv(rows: readonly TrainLogRow[], opts: { wallTime?: boolean } = {}): string {
  const cols = opts.wallTime === false ? LOG_COLUMNS.filter((c) => c !== "wallTime") : [...LOG_COLUMNS];
  return toCsv(cols, rows as unknown as readonly Row[]);
}
