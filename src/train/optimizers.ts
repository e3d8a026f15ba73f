import { InputError } from "../core/errors.js";

/**
 * First-order optimizers over a flat Float64Array of parameters (the order of `getParams`, src/models/params.ts):
 * small pure state-update kernels, one loop each, no allocation per step.
 *  - gd:   θ ← θ − η·g;
 *  - adam: PyTorch's Adam (Kingma & Ba, 2015) with its defaults β1 = 0.9, β2 = 0.999, ε = 1e-8 and bias
 *          correction, in the form of PyTorch's update (ε added to √v/√(1−β2^t), not to √v̂·…; its moments
 *          use lerp, the same values up to rounding):
 *          m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²,  θ ← θ − (η/(1−β1^t))·m / (√v/√(1−β2^t) + ε).
 */

export type OptimizerName = "gd" | "adam";

export const OPTIMIZER_NAMES: readonly OptimizerName[] = ["gd", "adam"];

/** True when `name` is an optimizer name (for user input). */
export function isOptimizerName(name: unknown): name is OptimizerName {
  return typeof name === "string" && (OPTIMIZER_NAMES as readonly string[]).includes(name);
}

/** Adam's hyper-parameters (PyTorch's defaults). */
export interface AdamConfig {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
}

export const ADAM_DEFAULTS: AdamConfig = { beta1: 0.9, beta2: 0.999, eps: 1e-8 };

/** Adam's running moments and step count t (steps taken so far). */
export interface AdamState {
  readonly m: Float64Array;
  readonly v: Float64Array;
  t: number;
}

export function adamState(size: number): AdamState {
  return { m: new Float64Array(size), v: new Float64Array(size), t: 0 };
}

/** θ ← θ − lr·g, in place. */
export function gdStep(params: Float64Array, grad: ArrayLike<number>, lr: number): void {
  for (let k = 0; k < params.length; k++) params[k] -= lr * grad[k];
}

/** One Adam step in place (state.t counts this step). */
export function adamStep(params: Float64Array, grad: ArrayLike<number>, state: AdamState, lr: number, cfg: AdamConfig = ADAM_DEFAULTS): void {
  const { beta1, beta2, eps } = cfg;
  const { m, v } = state;
  state.t += 1;
  const bc1 = 1 - beta1 ** state.t;
  const bc2 = 1 - beta2 ** state.t;
  const stepSize = lr / bc1;
  const sqrtBc2 = Math.sqrt(bc2);
  for (let k = 0; k < params.length; k++) {
    const g = grad[k];
    m[k] = beta1 * m[k] + (1 - beta1) * g;
    v[k] = beta2 * v[k] + (1 - beta2) * g * g;
    params[k] -= (stepSize * m[k]) / (Math.sqrt(v[k]) / sqrtBc2 + eps);
  }
}

/** An optimizer bound to its state: `step(params, grad)` updates params in place. */
export interface Optimizer {
  readonly name: OptimizerName;
  readonly lr: number;
  step(params: Float64Array, grad: ArrayLike<number>): void;
}

/** The optimizer `name` for `size` parameters and learning rate lr > 0 (an InputError naming --lr otherwise). */
export function makeOptimizer(name: OptimizerName, size: number, lr: number): Optimizer {
  if (!isOptimizerName(name)) {
    throw new InputError("--optimizer", `--optimizer: "${String(name)}" is not one of ${OPTIMIZER_NAMES.join(", ")}`);
  }
  if (!(Number.isFinite(lr) && lr > 0)) throw new InputError("--lr", `--lr: the learning rate must be a finite number > 0, got ${lr}`);
  if (name === "gd") return { name, lr, step: (p, g) => gdStep(p, g, lr) };
  const state = adamState(size);
  return { name, lr, step: (p, g) => adamStep(p, g, state, lr) };
}
