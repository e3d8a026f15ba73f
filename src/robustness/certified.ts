import type { Dataset } from "../core/dataset.js";
import type { Family } from "../losses/types.js";
import { activationFns } from "../models/index.js";
import type { Model } from "../models/types.js";
import { dualNorm, type Norm } from "./ball.js";
import { ballMean, intervalWorstRows, type BallPerRow, type BallQuantity } from "./result.js";
import { UNIT_ROUNDOFF as U } from "../core/constants.js";

/**
 * A certified UPPER bound on the worst-case loss over the paper's ball (docs/theory.md §3.10; ℓ∞ radius ε, ℓ2 radius
 * ε√d) by interval bound propagation, for linear models and two-layer nets with one output and a scalar family:
 *
 * 1. first layer, exactly over the ball: u_r = w_rᵀx + b_r sweeps [u_r − ρ_r, u_r + ρ_r], ρ_r = r·‖w_r‖_dual
 *    (ε‖w_r‖₁ for ℓ∞, ε√d‖w_r‖₂ for ℓ2);
 * 2. σ (relu, softplus, tanh) is nondecreasing: σ(u_r) ∈ [σ(lo_r), σ(hi_r)];
 * 3. output f = c + Σ_r v_r σ(u_r) ∈ [c + Σ v_r·(v_r ≥ 0 ? σ(lo_r) : σ(hi_r)), c + Σ v_r·(v_r ≥ 0 ? σ(hi_r) : σ(lo_r))];
 * 4. the family is convex in f, so max over the output interval [lo, hi] is max(l(lo), l(hi)).
 *
 * Each interval is widened outward by an a-priori bound on its float64 rounding error (γ_k·Σ|terms|,
 * γ_k = ku/(1 − ku), u = 2⁻⁵³; 4 ulps for σ), so the bound holds for the real-arithmetic worst case, not just
 * for the rounded one. For a linear model steps 2–3 vanish and the bound is the exact adversarial loss
 * (exactAdversarial.ts) up to that widening (~1e-16 relative). For nets it is loose: the units' intervals
 * are taken independently. Softmax (K > 1 outputs): null with a reason.
 */

function gamma(k: number): number {
  return (k * U) / (1 - k * U);
}

/** Why there is no certified bound for this model/family, or null. */
export function certifiedUnavailable(model: Model, family: Family): string | null {
  if (family.vector || model.K !== 1) return "no certified bound for the softmax loss (K outputs): interval bounds are implemented for one output";
  return null;
}

/**
 * The output interval [lo, hi] of a one-output model over the ball of radius r around x[xOff..xOff+d), into
 * out[0], out[1] (widened outward for rounding). No allocation.
 */
export function outputInterval(model: Model, x: ArrayLike<number>, xOff: number, radius: number, norm: Norm, out: Float64Array): void {
  const d = model.d;
  if (model.kind === "linear") {
    const { theta, bias } = model;
    let u = bias === null ? 0 : bias[0];
    let mag = Math.abs(u);
    for (let j = 0; j < d; j++) {
      const t = theta[j] * x[xOff + j];
      u += t;
      mag += Math.abs(t);
    }
    const rho = radius === 0 ? 0 : radius * dualNorm(theta, 0, d, norm);
    const pad = gamma(d + 6) * (mag + rho);
    out[0] = u - rho - pad;
    out[1] = u + rho + pad;
    return;
  }
  const { m, W, b, V, c } = model;
  const sigma = activationFns(model.activation).f;
  let lo = c === null ? 0 : c[0];
  let hi = lo;
  let mag = Math.abs(lo);
  for (let r = 0; r < m; r++) {
    const row = r * d;
    let u = b === null ? 0 : b[r];
    let um = Math.abs(u);
    for (let j = 0; j < d; j++) {
      const t = W[row + j] * x[xOff + j];
      u += t;
      um += Math.abs(t);
    }
    const rho = radius === 0 ? 0 : radius * dualNorm(W, row, d, norm);
    const pad = gamma(d + 6) * (um + rho);
    let a = sigma(u - rho - pad);
    let z = sigma(u + rho + pad);
    a -= 4 * U * Math.abs(a);
    z += 4 * U * Math.abs(z);
    const v = V[r];
    if (v >= 0) {
      lo += v * a;
      hi += v * z;
    } else {
      lo += v * z;
      hi += v * a;
    }
    mag += Math.abs(v) * Math.max(Math.abs(a), Math.abs(z));
  }
  const pad = gamma(m + 2) * mag;
  out[0] = lo - pad;
  out[1] = hi + pad;
}

/** Per-row certified upper bounds max(l(lo_i), l(hi_i)) (values may be +∞ where the loss overflows). */
export function certifiedUpperPerRow(ds: Dataset, model: Model, family: Family, eps: number, norm: Norm): BallPerRow {
  return certifiedRows(ds, model, family, eps, norm, null);
}

/** The certified upper bound on the adversarial loss (mean over rows) at ε, with the radius used. */
export function certifiedUpperBound(ds: Dataset, model: Model, family: Family, eps: number, norm: Norm): BallQuantity {
  return ballMean(family, ds.y, ds.n, "certified upper bound", (worst) => certifiedRows(ds, model, family, eps, norm, worst));
}

function certifiedRows(ds: Dataset, model: Model, family: Family, eps: number, norm: Norm, worst: Float64Array | null): BallPerRow {
  return intervalWorstRows(ds, model, family, eps, norm, worst, certifiedUnavailable, (radius) => (i, iv) =>
    outputInterval(model, ds.X, i * ds.d, radius, norm, iv),
  );
}
