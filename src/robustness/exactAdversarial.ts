import type { Dataset } from "../core/dataset.js";
import type { Family } from "../losses/types.js";
import { outputAt } from "../models/index.js";
import type { Model } from "../models/types.js";
import { dualNorm, type Norm } from "./ball.js";
import { ballMean, intervalWorstRows, type BallPerRow, type BallQuantity } from "./result.js";

export { adversarialRadius } from "./ball.js";

/**
 * The exact adversarial loss of a LINEAR model with a scalar output (docs/theory.md §3.4, [exact]):
 *
 *     L_adv(ε) = (1/n) Σ_i max_{‖δ‖ ≤ r} l(θᵀ(x_i + δ) + b, y_i) = (1/n) Σ_i max(l(z_i − ρ, y_i), l(z_i + ρ, y_i))
 *
 * with z_i = θᵀx_i + b, r the radius (ε for ℓ∞, ε√d for ℓ2) and ρ = max_{‖δ‖ ≤ r} θᵀδ = r·‖θ‖_dual:
 * ρ = ε‖θ‖₁ (ℓ∞) or ρ = ε√d‖θ‖₂ (ℓ2). Over the ball the score θᵀ(x + δ) sweeps exactly [z − ρ, z + ρ], and every
 * scalar family (logistic, squared, Poisson) is convex in the score, so the maximum is at an end. For logistic
 * regression with labels in {0, 1} and s_i = 2y_i − 1 this is softplus(−s_i z_i + ρ).
 *
 * No closed form (null with a reason): softmax (the worst case of a convex function of K scores over a ball
 * has none) and two-layer nets (see certified.ts for an upper bound, attacks.ts for lower bounds).
 */

/** Why the exact adversarial loss has no closed form for this model/family, or null when it has one. */
export function exactAdversarialUnavailable(model: Model, family: Family): string | null {
  if (family.vector) return "no closed form for the softmax loss (K scores): see robustLoss (attack) for a lower bound";
  if (model.kind !== "linear") {
    return "no closed form for a two-layer net: robustLoss (attack) is a lower bound, certifiedUpper an upper bound";
  }
  return null;
}

/** ρ = r·‖θ‖_dual: the half-width of the score interval of a linear scalar model over the ball of radius r. */
export function linearScoreHalfWidth(theta: ArrayLike<number>, d: number, radius: number, norm: Norm): number {
  return radius === 0 ? 0 : radius * dualNorm(theta, 0, d, norm);
}

/** Per-row exact adversarial losses max(l(z_i − ρ), l(z_i + ρ)) (values may be +∞ where the loss overflows). */
export function exactAdversarialPerRow(ds: Dataset, model: Model, family: Family, eps: number, norm: Norm): BallPerRow {
  return exactRows(ds, model, family, eps, norm, null);
}

/**
 * The exact adversarial loss (mean over rows) at ε, with the radius used. null with a reason when there is no
 * closed form (softmax, nets) or when a worst-case loss overflows float64 (squared/Poisson at a huge score).
 */
export function exactAdversarialLoss(ds: Dataset, model: Model, family: Family, eps: number, norm: Norm): BallQuantity {
  return ballMean(family, ds.y, ds.n, "exact adversarial loss", (worst) => exactRows(ds, model, family, eps, norm, worst));
}

/** The per-row worst cases, and the worst-case scores into `worst` when given: the score interval is z_i ± ρ. */
function exactRows(ds: Dataset, model: Model, family: Family, eps: number, norm: Norm, worst: Float64Array | null): BallPerRow {
  return intervalWorstRows(ds, model, family, eps, norm, worst, exactAdversarialUnavailable, (radius) => {
    if (model.kind !== "linear") throw new Error("unreachable");
    const rho = linearScoreHalfWidth(model.theta, model.d, radius, norm);
    const z = new Float64Array(1);
    return (i, iv) => {
      outputAt(model, ds.X, i * ds.d, z, 0);
      iv[0] = z[0] - rho;
      iv[1] = z[0] + rho;
    };
  });
}
