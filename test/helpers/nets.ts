import { makeDataset, type Dataset } from "../../src/core/dataset.js";
import { Rng } from "../../src/core/rng.js";

/**
 * n standard-normal rows in d dimensions with fair-coin 0/1 labels, and a logistic ReLU net of width m with
 * standard-normal weights and biases and output bias c. `twoLayerModel` is passed in so that tests of the
 * compiled workers can build the net from dist/ (their models must be dist's own).
 */
export function coinNet<M>(
  twoLayerModel: (o: { W: Float64Array; m: number; V: Float64Array; b: Float64Array; c: number[]; loss: "logistic" }) => M,
  seed: number,
  n: number,
  d: number,
  m: number,
  c: number,
): { ds: Dataset; net: M } {
  const rng = new Rng(seed);
  const X = Float64Array.from({ length: n * d }, () => rng.normal());
  const y = Float64Array.from({ length: n }, () => (rng.uniform() < 0.5 ? 1 : 0));
  const net = twoLayerModel({
    W: Float64Array.from({ length: m * d }, () => rng.normal()),
    m,
    V: Float64Array.from({ length: m }, () => rng.normal()),
    b: Float64Array.from({ length: m }, () => rng.normal()),
    c: [c],
    loss: "logistic",
  });
  return { ds: makeDataset(X, y, n, d), net };
}
