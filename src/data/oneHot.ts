import type { Dataset } from "../core/dataset.js";
import { InputError } from "../core/errors.js";
import { sharedFloat64Array } from "../core/shared.js";

/**
 * Class-index labels (one column, integers 0..K−1) as K one-hot columns, on shared memory; a label that is
 * not a class index is an InputError naming `where` and the row.
 */
export function classIndexOneHot(ds: Dataset, K: number, where: string): Dataset {
  const y = sharedFloat64Array(ds.n * K);
  for (let i = 0; i < ds.n; i++) {
    const v = ds.y[i];
    if (!(Number.isInteger(v) && v >= 0 && v < K)) {
      throw new InputError(where, `${where}: row ${i + 1}: ${v} is not a class index (an integer 0..${K - 1}) of the model's K = ${K} outputs`);
    }
    y[i * K + v] = 1;
  }
  return { ...ds, y, K };
}
