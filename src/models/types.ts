import type { LossName } from "../losses/types.js";

/**
 * Models with the weight layout of PyTorch. Plain data; every operation is a pure function in
 * `models/`. Both kinds share one structure the exact Mixup loss exploits: f(x) = head(A x + a),
 * with a first linear map A (p×d). The pre-activations of a mixed input are linear in λ:
 * u(λx_i + (1−λ)x_j) = λu_i + (1−λ)u_j.
 */
export type Activation = "relu" | "softplus" | "tanh";

/** f(x) = θx + b; `theta` is K×d row-major (K = 1: a vector of length d), `bias` K values or null. */
export interface LinearModel {
  readonly kind: "linear";
  readonly loss: LossName;
  readonly d: number;
  readonly K: number;
  readonly theta: Float64Array;
  readonly bias: Float64Array | null;
}

/**
 * f(x) = V σ(Wx + b) + c; `W` m×d, `b` m or null, `V` K×m (K = 1: the vector v), `c` K or null.
 * JSON kind "relu2" (the activation may also be softplus or tanh).
 */
export interface TwoLayerModel {
  readonly kind: "relu2";
  readonly loss: LossName;
  readonly activation: Activation;
  readonly d: number;
  readonly m: number;
  readonly K: number;
  readonly W: Float64Array;
  readonly b: Float64Array | null;
  readonly V: Float64Array;
  readonly c: Float64Array | null;
}

export type Model = LinearModel | TwoLayerModel;
