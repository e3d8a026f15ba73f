import { gemmABt } from "../core/gemm.js";
import { linearGradX, linearHead, linearHessX, linearOutputAt, linearPreactivations } from "./linear.js";
import {
  twoLayerGradX,
  twoLayerHead,
  twoLayerHessX,
  twoLayerOutputAt,
  twoLayerPreactAt,
  twoLayerPreactivations,
} from "./twoLayer.js";
import type { Model } from "./types.js";

/**
 * Models as plain data, operations as pure functions dispatching on `model.kind` (docs/theory.md §2.3).
 * Both kinds are f(x) = head(Ax + a) with a first linear map A of width p = firstLayerWidth(model):
 * linear A = θ (p = K, head = identity), two-layer A = W (p = m, head(u) = Vσ(u) + c). Mixup code
 * computes the pre-activations of the data once and mixes them (they are linear in λ, docs/theory.md §2.3).
 */
export type { Activation, LinearModel, Model, TwoLayerModel } from "./types.js";
export {
  ACTIVATIONS,
  activationFns,
  activate,
  activatePrime,
  activateSecond,
  isActivation,
  type ActivationFns,
} from "./activation.js";
export { kinksAlong, kinksFromPreact } from "./kinks.js";
export { paramCount, getParams, withParams } from "./params.js";
export { lossParamGrad, type LossAndGrad } from "./paramGrad.js";
export { parseModel, modelToJSON, checkModelData } from "./json.js";
export { linearModel, twoLayerModel, type LinearSpec, type TwoLayerSpec } from "./make.js";

/** Number of outputs K. */
export function outputs(model: Model): number {
  return model.K;
}

/** Input dimension d. */
export function inputDim(model: Model): number {
  return model.d;
}

/** Width p of the first linear map: K for a linear model, m for a two-layer net. */
export function firstLayerWidth(model: Model): number {
  return model.kind === "linear" ? model.K : model.m;
}

/**
 * Pre-activations of n rows of X (n×d row-major) into out (n×p, p = firstLayerWidth): θx + b for a
 * linear model (so they ARE its outputs), Wx + b for a two-layer net.
 */
export function preactivations(model: Model, X: ArrayLike<number>, n: number, out?: Float64Array): Float64Array {
  const o = out ?? new Float64Array(n * firstLayerWidth(model));
  return model.kind === "linear" ? linearPreactivations(model, X, n, o) : twoLayerPreactivations(model, X, n, o);
}

/** The first layer's bias (b of a linear model, b of a net), or null when it is absent or all zero. */
export function firstLayerBias(model: Model): Float64Array | null {
  const b = model.kind === "linear" ? model.bias : model.b;
  if (b === null) return null;
  for (let r = 0; r < b.length; r++) if (b[r] !== 0) return b;
  return null;
}

/**
 * The first linear map without its bias, Ax (θx or Wx), n×p. Differences and moments of pre-activations
 * are those of Ax (the bias cancels exactly), and formed from Ax they keep their digits when the data are
 * tiny next to the bias: for x scaled by 1e-20, θx + 0.1 rounds to 0.1 and ū − u_i to 0, while θ(x̄ − x_i)
 * is exact to rounding. Lemma 3.1's sums (taylor/sums.ts) and L_reg use it.
 */
export function firstLayerLinearPart(model: Model, X: ArrayLike<number>, n: number, out?: Float64Array): Float64Array {
  const p = firstLayerWidth(model);
  const o = out ?? new Float64Array(n * p);
  return gemmABt(X, n, model.d, model.kind === "linear" ? model.theta : model.W, p, o, null);
}

/** Pre-activations of one point x[xOff..xOff+d) into out[outOff..outOff+p). No allocation. */
export function preactivationsAt(
  model: Model,
  x: ArrayLike<number>,
  xOff: number,
  out: Float64Array,
  outOff = 0,
): void {
  if (model.kind === "linear") linearOutputAt(model, x, xOff, out, outOff);
  else twoLayerPreactAt(model, x, xOff, out, outOff);
}

/**
 * The K outputs of one point from its p pre-activations u[uOff..uOff+p) into out[outOff..outOff+K):
 * linear: a copy; two-layer: Vσ(u) + c. No allocation (the Mixup hot loop calls it per node).
 */
export function headFromPreact(
  model: Model,
  u: ArrayLike<number>,
  uOff: number,
  out: Float64Array,
  outOff: number,
): void {
  if (model.kind === "linear") linearHead(model, u, uOff, out, outOff);
  else twoLayerHead(model, u, uOff, out, outOff);
}

/** f(x) for one point x[xOff..xOff+d) into out[outOff..outOff+K). No allocation. */
export function outputAt(model: Model, x: ArrayLike<number>, xOff: number, out: Float64Array, outOff = 0): void {
  if (model.kind === "linear") linearOutputAt(model, x, xOff, out, outOff);
  else twoLayerOutputAt(model, x, xOff, out, outOff);
}

/** Outputs f(x_i) of n rows of X into out (n×K row-major). */
export function predict(model: Model, X: ArrayLike<number>, n: number, out?: Float64Array): Float64Array {
  const { d, K } = model;
  const o = out ?? new Float64Array(n * K);
  for (let i = 0; i < n; i++) outputAt(model, X, i * d, o, i * K);
  return o;
}

/** ∇ₓf at x[xOff..xOff+d) into out[outOff..) as K×d row-major (ReLU: σ'(0) := 0). No allocation. */
export function gradX(model: Model, x: ArrayLike<number>, xOff: number, out: Float64Array, outOff = 0): void {
  if (model.kind === "linear") linearGradX(model, out, outOff);
  else twoLayerGradX(model, x, xOff, out, outOff);
}

/**
 * ∇²ₓf at x[xOff..xOff+d) into out[outOff..) as K×d×d row-major: zero for linear models and ReLU nets
 * (off the kinks), Σ_r V_kr σ''(u_r) w_r w_rᵀ for softplus / tanh nets. No allocation.
 */
export function hessX(model: Model, x: ArrayLike<number>, xOff: number, out: Float64Array, outOff = 0): void {
  if (model.kind === "linear") linearHessX(model, out, outOff);
  else twoLayerHessX(model, x, xOff, out, outOff);
}

/** Linear models and ReLU nets (with or without biases) are piecewise linear: ∇²f = 0 a.e. (docs/theory.md §2.3). */
export function isPiecewiseLinear(model: Model): boolean {
  return model.kind === "linear" || model.activation === "relu";
}

/**
 * Positively homogeneous of degree 1, f(x) = ∇f(x)ᵀx (docs/theory.md §2.3): a linear model without bias, or a ReLU
 * net without biases. A bias given as all zeros counts as absent.
 */
export function isHomogeneous(model: Model): boolean {
  if (model.kind === "linear") return allZero(model.bias);
  return model.activation === "relu" && allZero(model.b) && allZero(model.c);
}

function allZero(a: Float64Array | null): boolean {
  if (a === null) return true;
  for (let i = 0; i < a.length; i++) if (a[i] !== 0) return false;
  return true;
}
