import type { Dataset } from "../core/dataset.js";
import { InputError } from "../core/errors.js";
import type { Rng } from "../core/rng.js";
import type { Family } from "../losses/types.js";
import type { Model } from "../models/types.js";
import { adversarialRadius, checkEps, checkNorm, norm2, projectOntoBall, randomPointInBall, type Norm } from "./ball.js";
import { checkRobustProblem, lossAndAscentDirection, lossAt, lossGradScratch } from "./lossGrad.js";

/**
 * Gradient attacks on the loss over the paper's ball (docs/theory.md §3.3: ε is the paper's ε, the ℓ∞ radius is ε and
 * the ℓ2 radius ε√d). They give adversarial inputs, hence LOWER bounds on the worst-case loss
 * L_adv(ε) = (1/n) Σ_i max_{‖δ‖ ≤ r} l(x_i + δ, y_i); the exact value (linear models, exactAdversarial.ts) and a
 * certified upper bound (certified.ts) sandwich them. The gradient is ∇ₓl = J_f(x)ᵀ(h'(f) − y) (lossGrad.ts),
 * for every model kind and family. Every function returns a new n×d Float64Array and leaves the data set alone.
 */
export type AttackName = "fgsm" | "pgd";

export const ATTACKS: readonly AttackName[] = ["fgsm", "pgd"];

export function isAttackName(name: unknown): name is AttackName {
  return name === "fgsm" || name === "pgd";
}

/** PGD defaults: 20 steps, 1 restart, step size 2.5·radius/steps (Madry et al., 2018). */
export const PGD_DEFAULTS = { steps: 20, restarts: 1, stepFactor: 2.5 } as const;

/** The default PGD step size 2.5·radius/steps: enough to cross the ball from one side to the other. */
export function defaultStepSize(radius: number, steps: number): number {
  return (PGD_DEFAULTS.stepFactor * radius) / steps;
}

export interface PgdOptions {
  /** gradient steps per restart (integer ≥ 1; default 20) */
  readonly steps?: number;
  /** step length (ℓ∞: per coordinate; ℓ2: Euclidean); default 2.5·radius/steps */
  readonly stepSize?: number;
  /** random starts (integer ≥ 1; default 1) */
  readonly restarts?: number;
  /** the only source of randomness: row i draws from rng.fork(i) */
  readonly rng: Rng;
  /**
   * Called at every iterate (after the projection, before its loss is compared), for tests and diagnostics:
   * x[xOff..xOff+d) must not be modified or kept.
   */
  readonly onIterate?: (row: number, restart: number, step: number, x: Float64Array, xOff: number, loss: number) => void;
}

export interface AttackOptions extends Partial<PgdOptions> {
  readonly attack: AttackName;
  readonly norm: Norm;
}

/**
 * FGSM (Goodfellow et al., 2015), one step from each x_i:
 * - ℓ∞: x_i + ε·sign(∇ₓl(x_i)) (a zero gradient component leaves that coordinate alone);
 * - ℓ2: the fast gradient method with normalized gradient, x_i + ε√d·∇ₓl/‖∇ₓl‖₂, the ℓ2 analogue: the step
 *   of length ε√d (the ℓ2 radius) that maximizes the linearized loss. A zero gradient leaves x_i alone.
 * For a linear model with a monotone (logistic, labels in {0, 1}) or symmetric (squared) loss the one step
 * lands on the exact worst case of the ball; for Poisson or soft labels it can go to the wrong end
 * (the worst end is not always on the side of the gradient; see docs/api.md).
 */
export function fgsm(ds: Dataset, model: Model, family: Family, eps: number, norm: Norm = "inf"): Float64Array {
  checkEps(eps);
  checkNorm(norm);
  checkRobustProblem(ds, model, family);
  const { n, d, K, X, y } = ds;
  const radius = adversarialRadius(eps, d, norm);
  const out = new Float64Array(n * d);
  const s = lossGradScratch(model);
  const g = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const off = i * d;
    lossAndAscentDirection(model, family, X, off, y, i * K, s, g, 0);
    for (let j = 0; j < d; j++) out[off + j] = X[off + j];
    step(out, off, g, d, radius, norm);
  }
  return out;
}

/**
 * PGD (Madry et al., 2018) per row: each restart starts at a uniform random point of the ball (rng.fork(i)
 * for row i, so a row's start does not depend on the other rows), takes `steps` steps x ← Π(x + α·dir) with
 * dir = sign(∇ₓl) (ℓ∞) or ∇ₓl/‖∇ₓl‖₂ (ℓ2) and Π the projection onto the ball around x_i. Returns, per row, the
 * iterate with the highest loss over all restarts and steps, the clean point x_i included: the attack never
 * reports a loss below the clean loss. A non-finite loss (overflow) ends the row: it is the worst there is.
 */
export function pgd(ds: Dataset, model: Model, family: Family, eps: number, norm: Norm, opts: PgdOptions): Float64Array {
  checkEps(eps);
  checkNorm(norm);
  checkRobustProblem(ds, model, family);
  const steps = opts.steps ?? PGD_DEFAULTS.steps;
  const restarts = opts.restarts ?? PGD_DEFAULTS.restarts;
  if (!(Number.isSafeInteger(steps) && steps >= 1)) throw new InputError("steps", `steps: expected an integer ≥ 1, got ${steps}`);
  if (!(Number.isSafeInteger(restarts) && restarts >= 1)) {
    throw new InputError("restarts", `restarts: expected an integer ≥ 1, got ${restarts}`);
  }
  const { n, d, K, X, y } = ds;
  const radius = adversarialRadius(eps, d, norm);
  const alpha = opts.stepSize ?? defaultStepSize(radius, steps);
  if (!(Number.isFinite(alpha) && alpha >= 0)) throw new InputError("stepSize", `stepSize: expected a finite number ≥ 0, got ${alpha}`);
  const out = new Float64Array(n * d);
  const s = lossGradScratch(model);
  const g = new Float64Array(d);
  const cur = new Float64Array(d);
  const onIterate = opts.onIterate;
  for (let i = 0; i < n; i++) {
    const off = i * d;
    const yOff = i * K;
    for (let j = 0; j < d; j++) out[off + j] = X[off + j];
    let best = lossAt(model, family, X, off, y, yOff, s);
    if (!(best < Infinity) && !Number.isNaN(best)) continue; // +∞ at the clean point: nothing is worse
    if (radius === 0) continue; // the ball is the point
    const rng = opts.rng.fork(i);
    rows: for (let r = 0; r < restarts; r++) {
      randomPointInBall(rng, X, off, d, radius, norm, cur, 0);
      for (let t = 0; ; t++) {
        const last = t === steps;
        const loss = last ? lossAt(model, family, cur, 0, y, yOff, s) : lossAndAscentDirection(model, family, cur, 0, y, yOff, s, g, 0);
        if (onIterate) onIterate(i, r, t, cur, 0, loss);
        if (loss > best || (Number.isNaN(best) && loss === loss)) {
          best = loss;
          for (let j = 0; j < d; j++) out[off + j] = cur[j];
          if (loss === Infinity) break rows;
        }
        if (last || !(loss === loss)) break;
        step(cur, 0, g, d, alpha, norm);
        projectOntoBall(cur, 0, X, off, d, radius, norm);
      }
    }
  }
  return out;
}

/** FGSM or PGD by name (the CLI's and robustCurve's entry point); FGSM ignores the PGD options. */
export function attack(ds: Dataset, model: Model, family: Family, eps: number, opts: AttackOptions): Float64Array {
  if (!isAttackName(opts.attack)) {
    throw new InputError("attack", `attack: "${String(opts.attack)}" is not one of ${ATTACKS.join(", ")}`);
  }
  if (opts.attack === "fgsm") return fgsm(ds, model, family, eps, opts.norm);
  if (opts.rng === undefined) throw new InputError("rng", "attack: PGD needs an rng (its random starts)");
  return pgd(ds, model, family, eps, opts.norm, { ...opts, rng: opts.rng });
}

/**
 * x[off..off+d) += a·dir(g): sign(g) for ℓ∞ (NaN components count as 0), g/‖g‖₂ for ℓ2 (nothing when g = 0;
 * when some |g_j| overflow to ∞ the direction is that of the infinite components).
 */
function step(x: Float64Array, off: number, g: Float64Array, d: number, a: number, norm: Norm): void {
  if (norm === "inf") {
    for (let j = 0; j < d; j++) {
      const gj = g[j];
      if (gj > 0) x[off + j] += a;
      else if (gj < 0) x[off + j] -= a;
    }
    return;
  }
  let len = norm2(g, 0, d);
  if (len === Infinity) {
    for (let j = 0; j < d; j++) g[j] = g[j] === Infinity ? 1 : g[j] === -Infinity ? -1 : 0;
    len = norm2(g, 0, d);
  }
  if (!(len > 0)) return;
  const k = a / len;
  for (let j = 0; j < d; j++) x[off + j] += k * g[j];
}
