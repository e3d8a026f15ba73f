/**
 * Seeded random instances shared by the proofs-checks: small data sets with labels in each loss's
 * domain, and models of every kind. Every draw comes from the Rng passed in.
 */
import { makeDataset, type Dataset } from "../src/core/dataset.js";
import type { Rng } from "../src/core/rng.js";
import { family as familyOf } from "../src/losses/index.js";
import type { Family, LossName } from "../src/losses/types.js";
import { linearModel, twoLayerModel } from "../src/models/index.js";
import type { Activation, Model } from "../src/models/types.js";

export interface Instance {
  name: string;
  ds: Dataset;
  model: Model;
  family: Family;
  alpha: number;
  beta: number;
}

export type ModelKind = "linear" | "linear-bias" | "relu" | "relu-bias" | "softplus" | "tanh" | "softplus-nobias" | "tanh-nobias";

/** Every model kind: linear with / without bias, two-layer relu / softplus / tanh with / without biases. */
export const MODEL_KINDS: readonly ModelKind[] = ["linear", "linear-bias", "relu", "relu-bias", "softplus", "softplus-nobias", "tanh", "tanh-nobias"];

/** log-uniform in [lo, hi] */
export function logUniform(rng: Rng, lo: number, hi: number): number {
  return Math.exp(Math.log(lo) + rng.uniform() * (Math.log(hi) - Math.log(lo)));
}

export function normals(rng: Rng, k: number, scale = 1): Float64Array {
  const a = new Float64Array(k);
  for (let q = 0; q < k; q++) a[q] = scale * rng.normal();
  return a;
}

/** Labels in the loss's domain: logistic {0,1} (or soft), squared real, Poisson counts, softmax simplex. */
export function randomLabels(rng: Rng, loss: LossName, n: number, K: number, soft = false): Float64Array {
  if (loss === "softmax") {
    const y = new Float64Array(n * K);
    for (let i = 0; i < n; i++) {
      if (soft) {
        let s = 0;
        for (let k = 0; k < K; k++) s += y[i * K + k] = -Math.log(rng.uniformOpen());
        for (let k = 0; k < K; k++) y[i * K + k] /= s;
      } else y[i * K + rng.int(K)] = 1;
    }
    return y;
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (loss === "logistic") y[i] = soft ? rng.uniform() : rng.int(2);
    else if (loss === "squared") y[i] = rng.normal();
    else y[i] = rng.int(5);
  }
  return y;
}

export function randomDataset(rng: Rng, n: number, d: number, loss: LossName, K = 1, soft = false): Dataset {
  const X = normals(rng, n * d);
  return makeDataset(X, randomLabels(rng, loss, n, K, soft), n, d, loss === "softmax" ? K : 1, { source: "instance" });
}

export function randomModel(rng: Rng, kind: ModelKind, d: number, loss: LossName, K = 1, scale = 1, m = 4): Model {
  if (kind === "linear" || kind === "linear-bias") {
    return linearModel({
      theta: normals(rng, K * d, scale),
      K,
      bias: kind === "linear-bias" ? normals(rng, K, scale) : null,
      loss,
    });
  }
  const activation: Activation = kind.startsWith("relu") ? "relu" : kind.startsWith("softplus") ? "softplus" : "tanh";
  const bias = kind === "relu-bias" || kind === "softplus" || kind === "tanh";
  return twoLayerModel({
    W: normals(rng, m * d, scale),
    m,
    V: normals(rng, K * m, scale / Math.sqrt(m)),
    K,
    b: bias ? normals(rng, m, scale) : null,
    c: bias ? normals(rng, K, 0.5) : null,
    activation,
    loss,
  });
}

/** The menu of (loss, model) combinations every exact-loss check covers. */
export interface Combo {
  loss: LossName;
  kind: ModelKind;
  K: number;
  soft?: boolean;
}
const RAW: ReadonlyArray<Omit<Combo, "K"> & { K?: number }> = [
  { loss: "logistic", kind: "linear" },
  { loss: "logistic", kind: "linear-bias", soft: true },
  { loss: "squared", kind: "linear-bias" },
  { loss: "poisson", kind: "linear" },
  { loss: "softmax", kind: "linear", K: 3, soft: true },
  { loss: "logistic", kind: "relu" },
  { loss: "logistic", kind: "relu-bias" },
  { loss: "squared", kind: "relu-bias" },
  { loss: "softmax", kind: "relu-bias", K: 3 },
  { loss: "logistic", kind: "softplus" },
  { loss: "poisson", kind: "tanh" },
];
export const COMBOS: readonly Combo[] = RAW.map((c) => ({ ...c, K: c.K ?? 1 }));

/** A random instance of combination `c` with α, β log-uniform in [0.05, 50] (β = α half the time). */
export function randomInstance(rng: Rng, c: Combo, n: number, d: number): Instance {
  const ds = randomDataset(rng, n, d, c.loss, c.K, c.soft);
  const model = randomModel(rng, c.kind, d, c.loss, c.K, c.loss === "poisson" ? 0.5 : 1);
  const alpha = logUniform(rng, 0.05, 50);
  const beta = rng.uniform() < 0.5 ? alpha : logUniform(rng, 0.05, 50);
  return { name: `${c.loss}/${c.kind}`, ds, model, family: familyOf(c.loss), alpha, beta };
}

/**
 * A large-margin logistic model, as after training on separable data: two blobs along u and
 * θ = scale·u, so |θᵀx_i| is in the hundreds and softplus along a cross pair is nearly a kink.
 */
export function largeMarginInstance(rng: Rng, n: number, d: number, scale: number, alpha: number, beta = alpha): Instance {
  const X = new Float64Array(n * d);
  const y = new Float64Array(n);
  const u = new Float64Array(d).fill(1 / Math.sqrt(d));
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    const s = y[i] === 1 ? 1 : -1;
    for (let k = 0; k < d; k++) X[i * d + k] = s * (1.5 + 0.5 * rng.uniform()) * u[k] + 0.3 * rng.normal() / Math.sqrt(d);
  }
  // keep every point on its side: project out the wrong-side part if the noise flipped it
  const model = linearModel({ theta: Array.from(u, (v) => v * scale), loss: "logistic" });
  return { name: `logistic/linear large margin (scale ${scale})`, ds: makeDataset(X, y, n, d), model, family: familyOf("logistic"), alpha, beta };
}
