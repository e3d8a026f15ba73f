import type { Dataset } from "../core/dataset.js";
import { m1 as m1Of } from "../mixing/dtilde.js";
import type { Model } from "../models/types.js";
import { cx, Rcos } from "./assumptions.js";

/**
 * ε_mix = R·c_x·m1 (docs/theory.md §3.6, Theorems 3.1 and 3.2): the radius of the adversarial loss that the
 * Mixup loss (second-order core) bounds. Its ℓ2 radius is ε_mix·√d. Grows with m1 (so with α up to
 * α = β) and is at most R·c_x/2 since m1 < 1/2.
 */
export function epsMix(model: Model, ds: Dataset, alpha: number, beta: number): number {
  return Rcos(model, ds) * cx(ds) * m1Of(alpha, beta);
}
