import { gemmABt } from "../core/gemm.js";
import { activationFns } from "./activation.js";
import type { TwoLayerModel } from "./types.js";

/**
 * Two-layer net f(x) = V σ(Wx + b) + c (docs/theory.md §2.3: f(x) = vᵀ relu(Wx), optionally with biases, and the
 * smooth softplus / tanh nets). W is m×d, V is K×m, both row-major. Its first linear map is W (p = m):
 * the pre-activations u = Wx + b of a mixed input are linear in λ (docs/theory.md §2.3, §6.1).
 */

/** u = Wx + b for n rows of X (n×d) into out (n×m). */
export function twoLayerPreactivations(
  model: TwoLayerModel,
  X: ArrayLike<number>,
  n: number,
  out: Float64Array,
): Float64Array {
  return gemmABt(X, n, model.d, model.W, model.m, out, model.b);
}

/** u = Wx + b for one point x[xOff..xOff+d) into out[outOff..outOff+m). No allocation. */
export function twoLayerPreactAt(
  model: TwoLayerModel,
  x: ArrayLike<number>,
  xOff: number,
  out: Float64Array,
  outOff: number,
): void {
  const { d, m, W, b } = model;
  for (let r = 0; r < m; r++) {
    let s = b === null ? 0 : b[r];
    const row = r * d;
    for (let j = 0; j < d; j++) s += W[row + j] * x[xOff + j];
    out[outOff + r] = s;
  }
}

/**
 * The K outputs V σ(u) + c from one point's pre-activations u[uOff..uOff+m). Hidden units in the outer
 * loop so σ is evaluated once per unit; accumulates straight into out, so nothing is allocated.
 */
export function twoLayerHead(
  model: TwoLayerModel,
  u: ArrayLike<number>,
  uOff: number,
  out: Float64Array,
  outOff: number,
): void {
  const { m, K, V, c } = model;
  const sigma = activationFns(model.activation).f;
  for (let k = 0; k < K; k++) out[outOff + k] = c === null ? 0 : c[k];
  for (let r = 0; r < m; r++) {
    const a = sigma(u[uOff + r]);
    if (a === 0) continue; // inactive ReLU unit: adds nothing (and skips 0·∞ for huge V)
    for (let k = 0; k < K; k++) out[outOff + k] += V[k * m + r] * a;
  }
}

/** f(x) for one point x[xOff..xOff+d) into out[outOff..outOff+K). No allocation. */
export function twoLayerOutputAt(
  model: TwoLayerModel,
  x: ArrayLike<number>,
  xOff: number,
  out: Float64Array,
  outOff: number,
): void {
  const { d, m, K, W, b, V, c } = model;
  const sigma = activationFns(model.activation).f;
  for (let k = 0; k < K; k++) out[outOff + k] = c === null ? 0 : c[k];
  for (let r = 0; r < m; r++) {
    let u = b === null ? 0 : b[r];
    const row = r * d;
    for (let j = 0; j < d; j++) u += W[row + j] * x[xOff + j];
    const a = sigma(u);
    if (a === 0) continue;
    for (let k = 0; k < K; k++) out[outOff + k] += V[k * m + r] * a;
  }
}

/**
 * ∇ₓf (K×d row-major): ∂f_k/∂x_j = Σ_r V_kr σ'(u_r) W_rj. For ReLU, σ'(0) := 0 (see reluPrime).
 * Computes each u_r on the fly, so nothing is allocated.
 */
export function twoLayerGradX(
  model: TwoLayerModel,
  x: ArrayLike<number>,
  xOff: number,
  out: Float64Array,
  outOff: number,
): void {
  const { d, m, K, W, b, V } = model;
  const d1 = activationFns(model.activation).d1;
  out.fill(0, outOff, outOff + K * d);
  for (let r = 0; r < m; r++) {
    const row = r * d;
    let u = b === null ? 0 : b[r];
    for (let j = 0; j < d; j++) u += W[row + j] * x[xOff + j];
    const g = d1(u);
    if (g === 0) continue;
    for (let k = 0; k < K; k++) {
      const a = V[k * m + r] * g;
      const o = outOff + k * d;
      for (let j = 0; j < d; j++) out[o + j] += a * W[row + j];
    }
  }
}

/**
 * ∇²ₓf (K×d×d row-major): ∇²f_k = Σ_r V_kr σ''(u_r) w_r w_rᵀ, w_r the r-th row of W. Zero for ReLU
 * (σ'' = 0 off the kinks: the net is piecewise linear, docs/theory.md §2.3), which skips every unit.
 */
export function twoLayerHessX(
  model: TwoLayerModel,
  x: ArrayLike<number>,
  xOff: number,
  out: Float64Array,
  outOff: number,
): void {
  const { d, m, K, W, b, V } = model;
  out.fill(0, outOff, outOff + K * d * d);
  if (model.activation === "relu") return;
  const d2 = activationFns(model.activation).d2;
  for (let r = 0; r < m; r++) {
    const row = r * d;
    let u = b === null ? 0 : b[r];
    for (let j = 0; j < d; j++) u += W[row + j] * x[xOff + j];
    const s = d2(u);
    if (s === 0) continue;
    for (let k = 0; k < K; k++) {
      const a = V[k * m + r] * s;
      if (a === 0) continue;
      const o = outOff + k * d * d;
      for (let i = 0; i < d; i++) {
        const ai = a * W[row + i];
        const oi = o + i * d;
        for (let j = 0; j < d; j++) out[oi + j] += ai * W[row + j];
      }
    }
  }
}

/** Number of parameters: m·d (W), m (b), K·m (V), K (c), skipping absent biases. */
export function twoLayerParamCount(model: TwoLayerModel): number {
  const { d, m, K } = model;
  return m * d + (model.b === null ? 0 : m) + K * m + (model.c === null ? 0 : K);
}

/** Flattened parameters: W (m×d row-major), b (m), V (K×m row-major), c (K); absent biases skipped. */
export function twoLayerGetParams(model: TwoLayerModel, out: Float64Array): void {
  let o = 0;
  out.set(model.W, o);
  o += model.W.length;
  if (model.b !== null) {
    out.set(model.b, o);
    o += model.b.length;
  }
  out.set(model.V, o);
  o += model.V.length;
  if (model.c !== null) out.set(model.c, o);
}

/** A new model with parameters read from p in the `twoLayerGetParams` order (copies; p is not kept). */
export function twoLayerWithParams(model: TwoLayerModel, p: ArrayLike<number>): TwoLayerModel {
  const { d, m, K } = model;
  let o = 0;
  const take = (len: number): Float64Array => {
    const a = new Float64Array(len);
    for (let i = 0; i < len; i++) a[i] = p[o + i];
    o += len;
    return a;
  };
  const W = take(m * d);
  const b = model.b === null ? null : take(m);
  const V = take(K * m);
  const c = model.c === null ? null : take(K);
  return { kind: "relu2", loss: model.loss, activation: model.activation, d, m, K, W, b, V, c };
}
