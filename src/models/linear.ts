import { gemmABt } from "../core/gemm.js";
import type { LinearModel } from "./types.js";

/**
 * Linear model f(x) = θx + b (docs/theory.md §2.3: f(x) = θᵀx, here with K outputs and an optional bias).
 * θ is K×d row-major. Its first linear map is θ itself (p = K), so the pre-activations are the outputs.
 */

/** u = θx + b for n rows of X (n×d) into out (n×K). */
export function linearPreactivations(model: LinearModel, X: ArrayLike<number>, n: number, out: Float64Array): Float64Array {
  return gemmABt(X, n, model.d, model.theta, model.K, out, model.bias);
}

/** f(x) for one point x = x[xOff..xOff+d) into out[outOff..outOff+K). No allocation. */
export function linearOutputAt(
  model: LinearModel,
  x: ArrayLike<number>,
  xOff: number,
  out: Float64Array,
  outOff: number,
): void {
  const { d, K, theta, bias } = model;
  for (let k = 0; k < K; k++) {
    let s = bias === null ? 0 : bias[k];
    const row = k * d;
    for (let j = 0; j < d; j++) s += theta[row + j] * x[xOff + j];
    out[outOff + k] = s;
  }
}

/** The head of a linear model is the identity: the K pre-activations are the outputs. */
export function linearHead(
  model: LinearModel,
  u: ArrayLike<number>,
  uOff: number,
  out: Float64Array,
  outOff: number,
): void {
  for (let k = 0; k < model.K; k++) out[outOff + k] = u[uOff + k];
}

/** ∇ₓf = θ (K×d), the same at every x. */
export function linearGradX(model: LinearModel, out: Float64Array, outOff: number): void {
  out.set(model.theta, outOff);
}

/** ∇²ₓf = 0 (K×d×d). */
export function linearHessX(model: LinearModel, out: Float64Array, outOff: number): void {
  out.fill(0, outOff, outOff + model.K * model.d * model.d);
}

/** Number of parameters: K·d, plus K with a bias. */
export function linearParamCount(model: LinearModel): number {
  return model.K * model.d + (model.bias === null ? 0 : model.K);
}

/** Flattened parameters: θ (K×d row-major), then the bias (K) when present. */
export function linearGetParams(model: LinearModel, out: Float64Array): void {
  out.set(model.theta, 0);
  if (model.bias !== null) out.set(model.bias, model.K * model.d);
}

/** A new model with parameters read from p in the `linearGetParams` order (copies; p is not kept). */
export function linearWithParams(model: LinearModel, p: ArrayLike<number>): LinearModel {
  const nt = model.K * model.d;
  const theta = Float64Array.from({ length: nt }, (_, i) => p[i]);
  const bias = model.bias === null ? null : Float64Array.from({ length: model.K }, (_, k) => p[nt + k]);
  return { kind: "linear", loss: model.loss, d: model.d, K: model.K, theta, bias };
}
