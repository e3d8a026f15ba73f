import type { LossName } from "../losses/types.js";
import type { Activation, LinearModel, TwoLayerModel } from "./types.js";

/**
 * Constructors for code (tests, generators, proofs-checks): copy the arrays and check the shapes. Shape
 * errors here are programming errors (RangeError); user input goes through `parseModel`, which reports
 * InputErrors naming the JSON field.
 */

export interface LinearSpec {
  /** K×d row-major */
  readonly theta: ArrayLike<number>;
  /** outputs (default 1) */
  readonly K?: number;
  /** K values, or null/absent for no bias */
  readonly bias?: ArrayLike<number> | null;
  readonly loss?: LossName;
}

/** f(x) = θx + b with d = theta.length / K. */
export function linearModel(spec: LinearSpec): LinearModel {
  const K = spec.K ?? 1;
  const d = spec.theta.length / K;
  if (!Number.isInteger(K) || K < 1 || !Number.isInteger(d) || d < 1) {
    throw new RangeError(`linearModel: theta has ${spec.theta.length} values, not K·d with K = ${K}`);
  }
  const bias = spec.bias == null ? null : Float64Array.from(spec.bias);
  if (bias !== null && bias.length !== K) throw new RangeError(`linearModel: bias has ${bias.length} values, K = ${K}`);
  return { kind: "linear", loss: spec.loss ?? "logistic", d, K, theta: Float64Array.from(spec.theta), bias };
}

export interface TwoLayerSpec {
  /** m×d row-major */
  readonly W: ArrayLike<number>;
  /** hidden width */
  readonly m: number;
  /** K×m row-major */
  readonly V: ArrayLike<number>;
  /** outputs (default 1) */
  readonly K?: number;
  readonly b?: ArrayLike<number> | null;
  readonly c?: ArrayLike<number> | null;
  readonly activation?: Activation;
  readonly loss?: LossName;
}

/** f(x) = V σ(Wx + b) + c with d = W.length / m. */
export function twoLayerModel(spec: TwoLayerSpec): TwoLayerModel {
  const { m } = spec;
  const K = spec.K ?? 1;
  const d = spec.W.length / m;
  if (!Number.isInteger(m) || m < 1 || !Number.isInteger(d) || d < 1) {
    throw new RangeError(`twoLayerModel: W has ${spec.W.length} values, not m·d with m = ${m}`);
  }
  if (!Number.isInteger(K) || K < 1 || spec.V.length !== K * m) {
    throw new RangeError(`twoLayerModel: V has ${spec.V.length} values, expected K·m = ${K}·${m}`);
  }
  const b = spec.b == null ? null : Float64Array.from(spec.b);
  if (b !== null && b.length !== m) throw new RangeError(`twoLayerModel: b has ${b.length} values, m = ${m}`);
  const c = spec.c == null ? null : Float64Array.from(spec.c);
  if (c !== null && c.length !== K) throw new RangeError(`twoLayerModel: c has ${c.length} values, K = ${K}`);
  return {
    kind: "relu2",
    loss: spec.loss ?? "logistic",
    activation: spec.activation ?? "relu",
    d,
    m,
    K,
    W: Float64Array.from(spec.W),
    b,
    V: Float64Array.from(spec.V),
    c,
  };
}
