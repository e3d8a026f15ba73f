import fc from "fast-check";
import { alphaBeta, dataset, linear, twoLayer } from "../../src/arbitraries/index.js";
import type { ClaimInstance } from "../../src/claims/index.js";

/** Small instances for the claims' tests: a data set, a model built for its d, and (α, β). */
export function instances(o: {
  model: "linear" | "relu" | "tanh" | "softplus";
  bias?: boolean;
  centered?: boolean;
  n?: [number, number];
  d?: [number, number];
  alpha?: [number, number];
}): fc.Arbitrary<ClaimInstance> {
  const [lo, hi] = o.alpha ?? [0.2, 5];
  return dataset({ n: o.n ?? [2, 6], d: o.d ?? [1, 2], centered: o.centered }).chain((ds) =>
    fc
      .tuple(o.model === "linear" ? linear(ds.d, { bias: o.bias }) : twoLayer(ds.d, { bias: o.bias, activation: o.model }), alphaBeta({ lo, hi }))
      .map(([model, ab]): ClaimInstance => ({ ds, model, ...ab })),
  );
}
