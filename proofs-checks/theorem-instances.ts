/**
 * Instances for the Theorem 3.1 / 3.2 checks (docs/theory.md §3.7–§3.8): centered data, labels set by the model's
 * own sign (so θ ∈ Θ by construction), α, β log-uniform in [0.05, 50]; the tight family of Theorem 3.1;
 * and the bookkeeping of violations for the negative controls.
 */
import { center, makeDataset, type Dataset } from "../src/core/dataset.js";
import type { Rng } from "../src/core/rng.js";
import { family as familyOf } from "../src/losses/index.js";
import { linearModel, predict, twoLayerModel } from "../src/models/index.js";
import type { Model } from "../src/models/types.js";
import { exactMixupLoss } from "../src/mixup/index.js";
import { theoremInequality, type TheoremResult } from "../src/robustness/theorem.js";
import type { CheckOutcome } from "../src/verify/types.js";
import { logUniform, normals } from "./instances.js";
import { r6 } from "./util.js";

export interface TheoremInstance {
  ds: Dataset;
  model: Model;
  alpha: number;
  beta: number;
}

/** Labels from the model's sign: every point on its correct side (assumption (c)). */
export function labelBySign(ds: Dataset, model: Model): Dataset {
  const f = predict(model, ds.X, ds.n);
  return makeDataset(ds.X, f.map((v) => (v > 0 ? 1 : 0)), ds.n, ds.d);
}

/** Centered Gaussian data with n ∈ [8, 20], d ∈ [1, 5]. */
export function centeredData(rng: Rng): Dataset {
  const n = 8 + rng.int(13);
  const d = 1 + rng.int(5);
  return center(makeDataset(normals(rng, n * d), new Float64Array(n), n, d));
}

/** Theorem 3.1: logistic regression without bias, |θ| log-uniform in [0.1, 3]. */
export function logisticInstance(rng: Rng): TheoremInstance {
  const raw = centeredData(rng);
  const scale = logUniform(rng, 0.1, 3);
  const model = linearModel({ theta: normals(rng, raw.d, scale), loss: "logistic" });
  return { ds: labelBySign(raw, model), model, alpha: logUniform(rng, 0.05, 50), beta: logUniform(rng, 0.05, 50) };
}

/** Theorem 3.2: a two-layer ReLU net, without biases unless `biasScale` > 0 (the negative control). */
export function reluInstance(rng: Rng, biasScale = 0): TheoremInstance {
  const raw = centeredData(rng);
  const m = 2 + rng.int(7);
  const scale = logUniform(rng, 0.1, 3);
  const model = twoLayerModel({
    W: normals(rng, m * raw.d, scale),
    m,
    V: normals(rng, m, scale / Math.sqrt(m)),
    K: 1,
    b: biasScale > 0 ? normals(rng, m, biasScale) : null,
    c: biasScale > 0 ? normals(rng, 1, biasScale) : null,
    activation: "relu",
    loss: "logistic",
  });
  return { ds: labelBySign(raw, model), model, alpha: logUniform(rng, 0.05, 50), beta: logUniform(rng, 0.05, 50) };
}

/**
 * The tight family of Theorem 3.1 (docs/theory.md §3.7): d = 1, x_i = ±1 (n even, so centered), small |θ|: here
 * ε_mix/ε* is 0.98–0.9997, so a check on it would catch an ε_mix a few percent too large.
 */
export function tightInstance(rng: Rng): TheoremInstance {
  const n = 2 * (2 + rng.int(6));
  const X = new Float64Array(n);
  for (let i = 0; i < n; i++) X[i] = i % 2 === 0 ? 1 : -1;
  const theta = (rng.uniform() < 0.5 ? -1 : 1) * logUniform(rng, 0.001, 0.1);
  const model = linearModel({ theta: [theta], loss: "logistic" });
  const alpha = logUniform(rng, 0.2, 20);
  return { ds: labelBySign(makeDataset(X, new Float64Array(n), n, 1), model), model, alpha, beta: alpha };
}

/** The instance with row `row` (0-based) of its labels flipped: θ ∉ Θ. */
export function flipLabel(inst: TheoremInstance, row: number): TheoremInstance {
  const y = inst.ds.y.slice();
  y[row] = 1 - y[row];
  return { ...inst, ds: makeDataset(inst.ds.X, y, inst.ds.n, inst.ds.d) };
}

/** The instance with every input shifted by `shift` (length d): uncentered, labels kept. */
export function uncenter(inst: TheoremInstance, shift: Float64Array): TheoremInstance {
  const { n, d } = inst.ds;
  const X = inst.ds.X.map((v, k) => v + shift[k % d]);
  return { ...inst, ds: makeDataset(X, inst.ds.y, n, d) };
}

export function evaluate(inst: TheoremInstance): TheoremResult {
  return theoremInequality(inst.ds, inst.model, familyOf("logistic"), inst.alpha, inst.beta);
}

/** Relative margin of the theorem's inequality: (core − rhs)/|rhs|. */
export function relMargin(r: TheoremResult): number {
  return r.margin / Math.abs(r.rhs);
}

/** Whether the exact L_mix (with the Lemma 3.1 remainder) still dominates the theorem's right side. */
export function exactVerdict(inst: TheoremInstance, r: TheoremResult): boolean {
  return exactMixupLoss(inst.ds, inst.model, familyOf("logistic"), inst.alpha, inst.beta, { tol: 1e-10 }).value >= r.rhs;
}

/** One variant of a negative control: how many of its instances violate the inequality. */
export interface Violations {
  variant: string;
  instances: number;
  violations: number;
  worstRelMargin: number;
}

/**
 * Negative controls as one outcome: it "passes" (the check could not fail) when some variant produced no
 * violation at all. Rates depend on how instances are drawn: reported, not hard-coded.
 */
export function controlOutcome(variants: Violations[]): CheckOutcome {
  const worst = Math.max(...variants.map((v) => -v.violations));
  return {
    instances: variants.reduce((s, v) => s + v.instances, 0),
    worstMargin: worst,
    passed: variants.some((v) => v.violations === 0),
    details: {
      variants: variants.map((v) => ({ ...v, rate: r6(v.violations / v.instances), worstRelMargin: r6(v.worstRelMargin) })),
    },
  };
}
