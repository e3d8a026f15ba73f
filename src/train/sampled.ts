import type { Dataset } from "../core/dataset.js";
import type { Rng } from "../core/rng.js";
import { randomPermutation } from "../core/shuffle.js";

export { randomPermutation };
import type { Family } from "../losses/types.js";
import { sampleBeta, sampleBetaInto } from "../mixing/beta.js";
import { lossParamGrad } from "../models/paramGrad.js";
import type { Model } from "../models/types.js";

/**
 * The Mixup used in practice (the reference code of Zhang et al., mixup-cifar10): a batch is mixed with a
 * uniformly random permutation π of itself, x̃_k = λ_k·x_k + (1−λ_k)·x_π(k), ỹ_k = λ_k·y_k + (1−λ_k)·y_π(k),
 * and the step's gradient is that of the mean loss over the B mixed points. λ is one draw per batch (the
 * reference code's default) or one per mixed point; each λ ~ Beta(α, β).
 *
 * Mixing labels = mixing losses: every loss here is affine in y (docs/theory.md §2.2), so
 * l(x̃, λy_k + (1−λ)y_π(k)) = λ·l(x̃, y_k) + (1−λ)·l(x̃, y_π(k)), which is the reference code's
 * `lam·criterion(pred, y_a) + (1−lam)·criterion(pred, y_b)`.
 *
 * What it estimates (docs/theory.md §2.4): π is uniform over all B! permutations, so π(k) = k' with
 * probability 1/B for every k', k' = k included; hence E_{π,λ}[loss] = (1/B²) Σ_{k,k'} E_λ l(x̃_kk'(λ), ỹ_kk'(λ)),
 * the exact L_mix of the batch over all B² ordered pairs (diagonal included), for either λ option (each
 * point's λ has the law Beta(α, β) either way). With B = n it is unbiased for L_mix; over uniformly drawn
 * batches of B < n rows it is unbiased for (1/B)·L_std + (1 − 1/B)·L_distinct.
 */

export type LambdaMode = "per-batch" | "per-sample";

export const LAMBDA_MODES: readonly LambdaMode[] = ["per-batch", "per-sample"];

/** Scratch for batches of up to B rows, allocated once per training run. */
export interface BatchScratch {
  readonly B: number;
  /** mixed (or gathered) inputs, B×d */
  readonly X: Float64Array;
  /** mixed (or gathered) labels, B×K */
  readonly Y: Float64Array;
  readonly perm: Int32Array;
  readonly lam: Float64Array;
}

export function batchScratch(B: number, d: number, K: number): BatchScratch {
  return { B, X: new Float64Array(B * d), Y: new Float64Array(B * K), perm: new Int32Array(B), lam: new Float64Array(B) };
}

/** Copy rows idx[0..B) of ds into s.X, s.Y (an ERM minibatch). */
export function gatherBatch(ds: Dataset, idx: ArrayLike<number>, B: number, s: BatchScratch): void {
  const { d, K, X, y } = ds;
  for (let k = 0; k < B; k++) {
    const r = idx[k];
    for (let l = 0; l < d; l++) s.X[k * d + l] = X[r * d + l];
    for (let c = 0; c < K; c++) s.Y[k * K + c] = y[r * K + c];
  }
}

/**
 * Mix rows idx[0..B) of ds with a random permutation of themselves into s.X, s.Y. Draws from rng: the
 * permutation first, then λ (one, or B in batch order).
 */
export function mixBatch(
  ds: Dataset,
  idx: ArrayLike<number>,
  B: number,
  alpha: number,
  beta: number,
  mode: LambdaMode,
  rng: Rng,
  s: BatchScratch,
): void {
  const { d, K, X, y } = ds;
  const perm = randomPermutation(rng, s.perm, B);
  const lam = s.lam;
  if (mode === "per-batch") lam.fill(sampleBeta(rng, alpha, beta), 0, B);
  else sampleBetaInto(rng, alpha, beta, lam.subarray(0, B));
  for (let k = 0; k < B; k++) {
    const a = idx[k];
    const b = idx[perm[k]];
    const l = lam[k];
    const m = 1 - l;
    for (let q = 0; q < d; q++) s.X[k * d + q] = l * X[a * d + q] + m * X[b * d + q];
    for (let c = 0; c < K; c++) s.Y[k * K + c] = l * y[a * K + c] + m * y[b * K + c];
  }
}

/**
 * The sampled Mixup loss of one batch (rows idx[0..B)) and its θ-gradient into `out` (getParams order):
 * mixBatch, then the mean loss over the B mixed points by backpropagation (lossParamGrad).
 */
export function sampledMixupGrad(
  ds: Dataset,
  model: Model,
  family: Family,
  idx: ArrayLike<number>,
  B: number,
  alpha: number,
  beta: number,
  mode: LambdaMode,
  rng: Rng,
  s: BatchScratch,
  out: Float64Array,
): number {
  mixBatch(ds, idx, B, alpha, beta, mode, rng, s);
  return lossParamGrad(model, family, s.X, s.Y, B, ds.K, out).loss;
}
