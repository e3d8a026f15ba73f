import { InputError } from "../core/errors.js";
import { lossOverflow } from "../losses/standard.js";
import type { Family } from "../losses/types.js";
import { activationFns } from "./activation.js";
import { linearOutputAt } from "./linear.js";
import { twoLayerPreactAt } from "./twoLayer.js";
import type { LinearModel, Model, TwoLayerModel } from "./types.js";
import { paramCount } from "./params.js";

/**
 * The mean standard loss L_std(θ) = (1/n) Σ_i l(f_θ(x_i), y_i) (docs/theory.md §2.4) and its gradient with
 * respect to the flattened parameters (order of `getParams`), by backpropagation. For training; ReLU
 * units use σ'(0) := 0. Scratch memory is allocated once per call, never per row.
 */
export interface LossAndGrad {
  readonly loss: number;
  readonly grad: Float64Array;
}

/**
 * L_std and ∇_θ L_std. X is n×d, y n×K row-major (K = 1 for scalar families, K = model.K for softmax).
 * Throws InputError when the family does not fit the model's outputs, OverflowError (with the row) when a
 * loss value is not finite. `out` (length paramCount(model)) receives the gradient when given.
 */
export function lossParamGrad(
  model: Model,
  family: Family,
  X: ArrayLike<number>,
  y: ArrayLike<number>,
  n: number,
  K: number,
  out?: Float64Array,
): LossAndGrad {
  checkFamilyFits(model, family, K);
  const grad = out ?? new Float64Array(paramCount(model));
  grad.fill(0, 0, paramCount(model));
  const loss = model.kind === "linear" ? linearBackprop(model, family, X, y, n, grad) : twoLayerBackprop(model, family, X, y, n, grad);
  const inv = 1 / n;
  for (let i = 0, len = paramCount(model); i < len; i++) grad[i] *= inv;
  return { loss, grad };
}

/** Scalar families need one output and one label column; softmax needs K = model.K ≥ 2 columns. */
function checkFamilyFits(model: Model, family: Family, K: number): void {
  if (family.vector) {
    if (K !== model.K || K < 2) {
      throw new InputError("loss", `the softmax loss needs K = model outputs ≥ 2 label columns; model has ${model.K} outputs, labels have ${K} columns`);
    }
  } else if (model.K !== 1 || K !== 1) {
    throw new InputError("loss", `the ${family.name} loss needs a model with one output and one label column; model has ${model.K} outputs, labels have ${K} columns`);
  }
}

/** Loss at the K scores f of row i, and dl/df into g. Throws OverflowError on a non-finite loss. */
function rowLoss(family: Family, f: Float64Array, y: ArrayLike<number>, i: number, K: number, g: Float64Array): number {
  let v: number;
  if (family.vector) {
    v = family.loss(f, 0, K, y, i * K);
    family.dloss(f, 0, K, y, i * K, g, 0);
  } else {
    v = family.loss(f[0], y[i]);
    g[0] = family.dloss(f[0], y[i]);
  }
  if (!Number.isFinite(v)) throw lossOverflow(family, f, 0, y, i * K, K, i, v);
  return v;
}

/** Sum over rows (compensated) of the loss; accumulates Σ_i ∂l_i/∂θ into grad (θ then bias). */
function linearBackprop(
  model: LinearModel,
  family: Family,
  X: ArrayLike<number>,
  y: ArrayLike<number>,
  n: number,
  grad: Float64Array,
): number {
  const { d, K, bias } = model;
  const f = new Float64Array(K);
  const g = new Float64Array(K);
  const ob = K * d;
  let s = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const xOff = i * d;
    linearOutputAt(model, X, xOff, f, 0);
    const v = rowLoss(family, f, y, i, K, g);
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
    for (let k = 0; k < K; k++) {
      const gk = g[k];
      const o = k * d;
      for (let j = 0; j < d; j++) grad[o + j] += gk * X[xOff + j];
      if (bias !== null) grad[ob + k] += gk;
    }
  }
  return (s + c) / n;
}

/**
 * Forward: u = Wx + b, a = σ(u), f = Va + c. Backward with g = dl/df: dV = g aᵀ, dc = g,
 * δ = σ'(u) ⊙ Vᵀg, dW = δ xᵀ, db = δ. Offsets follow getParams: W, b, V, c.
 */
function twoLayerBackprop(
  model: TwoLayerModel,
  family: Family,
  X: ArrayLike<number>,
  y: ArrayLike<number>,
  n: number,
  grad: Float64Array,
): number {
  const { d, m, K, b, V, c } = model;
  const act = activationFns(model.activation);
  const u = new Float64Array(m);
  const a = new Float64Array(m);
  const f = new Float64Array(K);
  const g = new Float64Array(K);
  const ob = m * d;
  const oV = ob + (b === null ? 0 : m);
  const oc = oV + K * m;
  let s = 0;
  let comp = 0;
  for (let i = 0; i < n; i++) {
    const xOff = i * d;
    twoLayerPreactAt(model, X, xOff, u, 0);
    for (let k = 0; k < K; k++) f[k] = c === null ? 0 : c[k];
    for (let r = 0; r < m; r++) {
      const ar = act.f(u[r]);
      a[r] = ar;
      if (ar === 0) continue;
      for (let k = 0; k < K; k++) f[k] += V[k * m + r] * ar;
    }
    const v = rowLoss(family, f, y, i, K, g);
    const t = s + v;
    comp += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
    for (let k = 0; k < K; k++) {
      const gk = g[k];
      const o = oV + k * m;
      for (let r = 0; r < m; r++) grad[o + r] += gk * a[r];
      if (c !== null) grad[oc + k] += gk;
    }
    for (let r = 0; r < m; r++) {
      const sp = act.d1(u[r]);
      if (sp === 0) continue;
      let back = 0;
      for (let k = 0; k < K; k++) back += g[k] * V[k * m + r];
      const delta = sp * back;
      const o = r * d;
      for (let j = 0; j < d; j++) grad[o + j] += delta * X[xOff + j];
      if (b !== null) grad[ob + r] += delta;
    }
  }
  return (s + comp) / n;
}
