import type { Dataset } from "../core/dataset.js";
import { InputError } from "../core/errors.js";
import type { Rng } from "../core/rng.js";
import type { Family } from "../losses/types.js";
import { predict } from "../models/index.js";
import type { Model } from "../models/types.js";
import { adversarialRadius, checkEps, checkNorm, type Norm } from "./ball.js";
import { attack, isAttackName, ATTACKS, defaultStepSize, PGD_DEFAULTS, type AttackName } from "./attacks.js";
import { certifiedUpperBound } from "./certified.js";
import { exactAdversarialLoss } from "./exactAdversarial.js";
import { checkRobustProblem } from "./lossGrad.js";
import { meanOfLosses, type Quantity } from "./result.js";

/**
 * Robust loss and robust accuracy at adversarial inputs, and the robustness curve over a grid of ε
 * (docs/theory.md §3.3: ε is the paper's ε; ℓ∞ radius ε, ℓ2 radius ε√d; every row states its radius).
 */

/**
 * The robust loss: the mean loss (1/n) Σ_i l(f(x_i^adv), y_i) at adversarial inputs Xadv (n×d, e.g. from
 * `attack`). A lower bound on the adversarial loss L_adv(ε). null with a reason when a loss overflows.
 */
export function robustLoss(ds: Dataset, model: Model, family: Family, Xadv: Float64Array): Quantity {
  checkRobustProblem(ds, model, family);
  checkShape(ds, Xadv);
  const { n, K } = ds;
  const f = predict(model, Xadv, n);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = family.vector ? family.loss(f, i * K, K, ds.y, i * K) : family.loss(f[i], ds.y[i]);
  return meanOfLosses(values, family, f, ds.y, K, "robust loss");
}

/** Why accuracy is undefined for this family and these labels, or null. */
export function accuracyUnavailable(ds: Dataset, family: Family): string | null {
  if (family.name === "squared" || family.name === "poisson") {
    return `accuracy is undefined for the ${family.name} loss (a regression loss)`;
  }
  if (family.name === "logistic") {
    for (let i = 0; i < ds.n; i++) {
      const y = ds.y[i];
      if (y !== 0 && y !== 1) return `accuracy needs logistic labels in {0, 1}; row ${i + 1} has y = ${y}`;
    }
  }
  return null;
}

/**
 * Accuracy at inputs Xadv: logistic with labels in {0, 1}: correct iff (2y − 1)·f > 0 (f = 0 is wrong);
 * softmax: argmax f = argmax y (the first index on ties). Squared / Poisson, or soft logistic labels: null with a
 * reason. At attack points that maximize the LOSS this is an upper bound on the accuracy under attack (another
 * point of the ball may be misclassified); for a linear logistic model under FGSM it is exact (the loss and the
 * margin move together).
 */
export function robustAccuracy(ds: Dataset, model: Model, family: Family, Xadv: Float64Array): Quantity {
  checkRobustProblem(ds, model, family);
  checkShape(ds, Xadv);
  const reason = accuracyUnavailable(ds, family);
  if (reason !== null) return { value: null, reason };
  const { n, K, y } = ds;
  const f = predict(model, Xadv, n);
  let correct = 0;
  if (family.vector) {
    for (let i = 0; i < n; i++) if (argmax(f, i * K, K) === argmax(y, i * K, K)) correct++;
  } else {
    for (let i = 0; i < n; i++) if ((2 * y[i] - 1) * f[i] > 0) correct++;
  }
  return { value: correct / n };
}

function argmax(a: ArrayLike<number>, off: number, K: number): number {
  let best = 0;
  for (let k = 1; k < K; k++) if (a[off + k] > a[off + best]) best = k;
  return best;
}

function checkShape(ds: Dataset, Xadv: Float64Array): void {
  if (Xadv.length !== ds.n * ds.d) {
    throw new InputError("Xadv", `Xadv: ${Xadv.length} values, expected n·d = ${ds.n * ds.d}`);
  }
}

export interface RobustCurveOptions {
  readonly attack: AttackName;
  readonly norm: Norm;
  /** PGD only: steps (default 20), step size (default 2.5·radius/steps, per ε), restarts (default 1) */
  readonly steps?: number;
  readonly stepSize?: number;
  readonly restarts?: number;
  /** PGD's random starts: the row at ε uses rng.fork(epsStreamId(ε)), so it does not depend on the rest of the grid */
  readonly rng?: Rng;
  /** also compute certifiedUpper (default true) */
  readonly certified?: boolean;
  /** PGD: called at every iterate with the data row (0-based) it belongs to; for progress, never changes a number */
  readonly onRow?: (row: number) => void;
}

/** One point of the robustness curve. Every null number has a `<field>Reason` beside it. */
export interface RobustRow {
  eps: number;
  radius: number;
  norm: Norm;
  attack: AttackName;
  /** PGD: the step size used at this ε */
  stepSize?: number;
  robustAccuracy: number | null;
  robustAccuracyReason?: string;
  robustLoss: number | null;
  robustLossReason?: string;
  exactLoss: number | null;
  exactLossReason?: string;
  certifiedUpper?: number | null;
  certifiedUpperReason?: string;
}

/**
 * A 32-bit stream id for ε (a hash of its float64 bits): the PGD starts at ε depend only on (seed, ε), so
 * `--eps 0.1` and `--eps 0,0.1` give the same row at 0.1.
 */
export function epsStreamId(eps: number): number {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, eps + 0); // −0 → 0
  const hi = v.getUint32(0);
  const lo = v.getUint32(4);
  let h = Math.imul(hi ^ 0x85ebca6b, 0x9e3779b1) ^ lo;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
  return (h ^ (h >>> 15)) >>> 0;
}

/**
 * Per ε of the grid: the attack's adversarial inputs, the robust accuracy and loss there, the exact adversarial
 * loss where a closed form exists (linear scalar models; else null with a reason) and the certified upper
 * bound (one-output models; else null with a reason). For a linear model robustLoss ≤ exactLoss ≤
 * certifiedUpper, with equality for FGSM-ℓ∞ on logistic {0, 1} or squared labels.
 */
export function robustCurve(
  ds: Dataset,
  model: Model,
  family: Family,
  epsGrid: readonly number[],
  opts: RobustCurveOptions,
): RobustRow[] {
  checkRobustProblem(ds, model, family);
  checkNorm(opts.norm);
  if (!isAttackName(opts.attack)) {
    throw new InputError("attack", `attack: "${String(opts.attack)}" is not one of ${ATTACKS.join(", ")}`);
  }
  for (const eps of epsGrid) checkEps(eps);
  const { norm } = opts;
  const rows: RobustRow[] = [];
  for (const eps of epsGrid) {
    const radius = adversarialRadius(eps, ds.d, norm);
    const row: RobustRow = { eps, radius, norm, attack: opts.attack } as RobustRow;
    let Xadv: Float64Array;
    if (opts.attack === "pgd") {
      if (opts.rng === undefined) throw new InputError("rng", "robustCurve: PGD needs an rng (its random starts)");
      const steps = opts.steps ?? PGD_DEFAULTS.steps;
      const stepSize = opts.stepSize ?? defaultStepSize(radius, steps);
      row.stepSize = stepSize;
      Xadv = attack(ds, model, family, eps, {
        attack: "pgd",
        norm,
        steps,
        stepSize,
        restarts: opts.restarts,
        rng: opts.rng.fork(epsStreamId(eps)),
        ...(opts.onRow ? { onIterate: (i: number) => opts.onRow!(i) } : {}),
      });
    } else {
      Xadv = attack(ds, model, family, eps, { attack: "fgsm", norm });
    }
    put(row, "robustAccuracy", robustAccuracy(ds, model, family, Xadv));
    put(row, "robustLoss", robustLoss(ds, model, family, Xadv));
    put(row, "exactLoss", exactAdversarialLoss(ds, model, family, eps, norm));
    if (opts.certified !== false) put(row, "certifiedUpper", certifiedUpperBound(ds, model, family, eps, norm));
    rows.push(row);
  }
  return rows;
}

function put(row: RobustRow, key: "robustAccuracy" | "robustLoss" | "exactLoss" | "certifiedUpper", q: Quantity): void {
  row[key] = q.value;
  if (q.value === null) row[`${key}Reason`] = q.reason ?? "undefined";
}
