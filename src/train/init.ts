import { InputError } from "../core/errors.js";
import { Rng } from "../core/rng.js";
import type { LossName } from "../losses/types.js";
import type { Activation, Model } from "../models/types.js";

/**
 * Seeded initialisation of the models of docs/theory.md §2.3 with PyTorch's default for `nn.Linear`:
 * kaiming_uniform_(a = √5) on the weights, which is U(−1/√fan_in, 1/√fan_in) (gain √(2/(1 + a²)) = √(1/3)
 * times √(3/fan_in)), and the same U(−1/√fan_in, 1/√fan_in) on the bias. fan_in is d for the first layer (θ,
 * or W and b) and m for the second (V and c). The numbers come from our `Rng`, not from torch's generator:
 * the law is PyTorch's, the bytes are ours.
 */

/** What to build: `linear`, `relu2:m` or `tanh2:m` (two-layer nets with m hidden units). */
export interface InitSpec {
  readonly arch: "linear" | "relu2" | "tanh2";
  /** hidden units (two-layer nets only) */
  readonly m?: number;
}

/** The scheme name recorded in outputs. */
export const INIT_SCHEME = "pytorch-linear-default";

/** What the init was, for the record in outputs (the spec as written, the scheme, the seed, the bias choice). */
export interface InitRecord {
  readonly spec: string;
  readonly scheme: typeof INIT_SCHEME;
  readonly seed: number;
  readonly bias: boolean;
}

/** Hidden widths accepted by `relu2:m` / `tanh2:m`. */
export const MAX_HIDDEN = 100_000;

/** Parse "linear", "relu2:m" or "tanh2:m"; anything else is an InputError naming `where`. */
export function parseInitSpec(text: string, where = "--init"): InitSpec {
  if (text === "linear") return { arch: "linear" };
  const m = /^(relu2|tanh2):(\d+)$/.exec(text);
  if (m === null) {
    throw new InputError(where, `${where}: "${text}" is not one of linear, relu2:m, tanh2:m (m hidden units, e.g. relu2:32)`);
  }
  const width = Number(m[2]);
  if (!(width >= 1 && width <= MAX_HIDDEN)) {
    throw new InputError(where, `${where}: "${text}": the hidden width m must be an integer in [1, ${MAX_HIDDEN}]`);
  }
  return { arch: m[1] as "relu2" | "tanh2", m: width };
}

/** The spec as written ("linear", "relu2:32"). */
export function initSpecText(spec: InitSpec): string {
  return spec.arch === "linear" ? "linear" : `${spec.arch}:${spec.m}`;
}

/**
 * The init the CLI does for `--init spec --seed seed`: initModel with Rng(seed).fork(0) (the batches and the
 * Mixup draws of `train` use fork(1) and fork(2) of the same seed), with its record.
 */
export function seededInit(spec: InitSpec, d: number, K: number, loss: LossName, seed: number, bias = true): { model: Model; record: InitRecord } {
  const model = initModel(spec, d, K, loss, new Rng(seed).fork(0), bias);
  return { model, record: { spec: initSpecText(spec), scheme: INIT_SCHEME, seed, bias } };
}

/** Fill `out` with U(−bound, bound) draws from rng, in index order. */
function uniformFill(rng: Rng, out: Float64Array, bound: number): Float64Array {
  for (let i = 0; i < out.length; i++) out[i] = bound * (2 * rng.uniform() - 1);
  return out;
}

/**
 * A new model with d inputs and K outputs (K = 1 for the scalar losses, the number of classes for softmax),
 * drawn from `rng` in the order θ (or W, b, V, c), each row-major. `bias: false` leaves every bias absent
 * (the homogeneous models of Theorems 3.1 and 3.2, docs/theory.md §3.7–§3.8).
 */
export function initModel(spec: InitSpec, d: number, K: number, loss: LossName, rng: Rng, bias = true): Model {
  if (!(Number.isInteger(d) && d >= 1 && Number.isInteger(K) && K >= 1)) {
    throw new RangeError(`initModel: d = ${d}, K = ${K} must be integers ≥ 1`);
  }
  const b1 = 1 / Math.sqrt(d);
  if (spec.arch === "linear") {
    const theta = uniformFill(rng, new Float64Array(K * d), b1);
    const b = bias ? uniformFill(rng, new Float64Array(K), b1) : null;
    return { kind: "linear", loss, d, K, theta, bias: b };
  }
  const m = spec.m!;
  const b2 = 1 / Math.sqrt(m);
  const W = uniformFill(rng, new Float64Array(m * d), b1);
  const b = bias ? uniformFill(rng, new Float64Array(m), b1) : null;
  const V = uniformFill(rng, new Float64Array(K * m), b2);
  const c = bias ? uniformFill(rng, new Float64Array(K), b2) : null;
  const activation: Activation = spec.arch === "relu2" ? "relu" : "tanh";
  return { kind: "relu2", loss, activation, d, m, K, W, b, V, c };
}
