import { InputError } from "../core/errors.js";
import { logistic } from "./logistic.js";
import { poisson } from "./poisson.js";
import { softmax } from "./softmax.js";
import { squared } from "./squared.js";
import type { Family, LossName } from "./types.js";

/**
 * Loss families l(z, y) = h(z) − y·z (docs/theory.md §2.2). `family(name)` maps a loss name to its family object.
 */
export { logistic } from "./logistic.js";
export { squared } from "./squared.js";
export { poisson } from "./poisson.js";
export { softmax, SIMPLEX_TOL } from "./softmax.js";
export { standardLoss, lossPerRow, lossOverflow } from "./standard.js";
export { checkLabels } from "./labels.js";
export type { Family, LossName, ScalarFamily, VectorFamily } from "./types.js";

/** Every loss name, in the order used for messages. */
export const LOSS_NAMES: readonly LossName[] = ["logistic", "squared", "poisson", "softmax"];

const FAMILIES: Readonly<Record<LossName, Family>> = { logistic, squared, poisson, softmax };

/** True when `name` is a loss name (for parsing user input). */
export function isLossName(name: unknown): name is LossName {
  return typeof name === "string" && Object.prototype.hasOwnProperty.call(FAMILIES, name);
}

/**
 * The family for a loss name. The type already restricts `name`, but it often comes from user input
 * (CLI, JSON) cast to LossName, so an unknown name is an InputError rather than undefined.
 */
export function family(name: LossName): Family {
  if (!isLossName(name)) {
    throw new InputError("loss", `unknown loss "${String(name)}": expected one of ${LOSS_NAMES.join(", ")}`);
  }
  return FAMILIES[name];
}
