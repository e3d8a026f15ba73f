import { makeDataset, type Dataset } from "../../src/core/dataset.js";
import type { Rng } from "../../src/core/rng.js";
import type { LossName } from "../../src/losses/types.js";

/** n random rows in d dimensions with labels suited to the loss (logistic {0, 1}, squared real, Poisson counts, softmax one-hot). */
export function randomData(rng: Rng, n: number, d: number, loss: LossName, K = 1, scale = 1): Dataset {
  const X = new Float64Array(n * d);
  for (let i = 0; i < X.length; i++) X[i] = scale * rng.normal();
  const y = new Float64Array(n * (loss === "softmax" ? K : 1));
  for (let i = 0; i < n; i++) {
    if (loss === "logistic") y[i] = rng.int(2);
    else if (loss === "squared") y[i] = rng.normal();
    else if (loss === "poisson") y[i] = rng.int(4);
    else y[i * K + rng.int(K)] = 1;
  }
  return makeDataset(X, y, n, d, loss === "softmax" ? K : 1);
}
