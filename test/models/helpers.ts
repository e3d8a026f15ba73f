import { Rng } from "../../src/core/rng.js";
import type { LossName } from "../../src/losses/types.js";
import { linearModel, twoLayerModel } from "../../src/models/index.js";
import type { Activation, LinearModel, TwoLayerModel } from "../../src/models/types.js";

/** Random test models and data, drawn from the project's seeded Rng. */

export function normals(rng: Rng, len: number, scale = 1): Float64Array {
  const a = new Float64Array(len);
  for (let i = 0; i < len; i++) a[i] = scale * rng.normal();
  return a;
}

export function randomLinear(rng: Rng, d: number, K: number, bias: boolean, loss: LossName = "logistic"): LinearModel {
  return linearModel({ theta: normals(rng, K * d, 0.7), K, bias: bias ? normals(rng, K, 0.5) : null, loss });
}

export function randomTwoLayer(
  rng: Rng,
  d: number,
  m: number,
  K: number,
  activation: Activation,
  bias: boolean,
  loss: LossName = "logistic",
): TwoLayerModel {
  return twoLayerModel({
    W: normals(rng, m * d, 1 / Math.sqrt(d)),
    m,
    V: normals(rng, K * m, 1 / Math.sqrt(m)),
    K,
    b: bias ? normals(rng, m, 0.5) : null,
    c: bias ? normals(rng, K, 0.5) : null,
    activation,
    loss,
  });
}

/** max |a − b| / max(1, max |b|) */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 1;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / den;
}
