import { InputError } from "../core/errors.js";
import { formatVector } from "./standard.js";
import type { Family } from "./types.js";

/**
 * Check that every label lies in the family's domain (docs/theory.md §2.2, table: logistic [0, 1], squared R,
 * Poisson [0, ∞), softmax the simplex Δ_K). `y` is n×K row-major. Throws InputError naming the 1-based
 * row, e.g. `data.csv row 7: label 1.5 outside [0, 1] for the logistic loss`. The label shape is checked
 * too: a scalar family needs K = 1, softmax K ≥ 2.
 */
export function checkLabels(family: Family, y: ArrayLike<number>, n: number, K: number, where: string): void {
  if (family.vector) {
    if (K < 2) {
      throw new InputError(
        where,
        `${where}: the softmax loss needs K ≥ 2 label columns (one-hot or soft labels), got ${K}`,
      );
    }
  } else if (K !== 1) {
    throw new InputError(where, `${where}: the ${family.name} loss needs one label column, got ${K}`);
  }
  if (y.length < n * K) {
    throw new InputError(where, `${where}: ${y.length} label values, expected n·K = ${n * K}`);
  }
  for (let i = 0; i < n; i++) {
    const reason = family.vector ? family.labelError(y, i * K, K) : family.labelError(y[i]);
    if (reason !== null) {
      const label = family.vector ? formatVector(y, i * K, K) : String(y[i]);
      throw new InputError(
        `${where} row ${i + 1}`,
        `${where} row ${i + 1}: label ${label} ${reason} for the ${family.name} loss`,
      );
    }
  }
}
