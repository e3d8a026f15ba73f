import { checkTol } from "../../core/constants.js";
import type { Dataset } from "../../core/dataset.js";
import type { Family } from "../../losses/types.js";
import type { Model } from "../../models/types.js";
import { preactivations, firstLayerWidth, outputs } from "../../models/index.js";
import { pairComponents, type PairForm, type PairComponent } from "../components.js";

/** How the integrand along a pair is evaluated. */
export type PairMode =
  /** linear model: f(λ) = z_j + λ(z_i − z_j), one affine piece */
  | "affine-linear"
  /** ReLU net: f is affine between the kinks, tracked incrementally across them */
  | "affine-relu"
  /** softplus / tanh net: head(λu_i + (1−λ)u_j) at every node, O(m) */
  | "smooth";

export type PairsMode = "all" | "distinct";

/**
 * Everything the pair loop needs, as plain typed arrays, so that it can be sent to a worker thread.
 * The first layer is linear, so the pre-activations U (n×p) of the n points are computed once and a
 * mixed input costs O(p) (or O(1) per node on an affine piece), never O(d·p).
 */
export interface PairProblem {
  readonly n: number;
  readonly p: number;
  readonly K: number;
  readonly U: Float64Array;
  readonly Y: Float64Array;
  readonly mode: PairMode;
  readonly model: Model;
  readonly familyName: Family["name"];
  readonly alpha: number;
  readonly beta: number;
  /** "both": the labelled value and the label-free one at once (the loss only) */
  readonly form: PairForm;
  readonly components: readonly PairComponent[];
  readonly pairs: PairsMode;
  /** requested relative accuracy (of the mean |l| over mixed points) */
  readonly tol: number;
  /** base Gauss rule size per piece; the error estimate compares N and 2N nodes */
  readonly N: number;
  /** 1-based data rows for messages: rows[i] (identity when absent) */
  readonly source?: string;
}

export interface PairProblemOptions {
  form?: PairForm;
  pairs?: PairsMode;
  tol?: number;
  N?: number;
}

export function pairMode(model: Model): PairMode {
  if (model.kind === "linear") return "affine-linear";
  return model.activation === "relu" ? "affine-relu" : "smooth";
}

export function makePairProblem(
  ds: Dataset,
  model: Model,
  family: Family,
  alpha: number,
  beta: number,
  opts: PairProblemOptions = {},
): PairProblem {
  const form = opts.form ?? "labelled";
  return {
    n: ds.n,
    p: firstLayerWidth(model),
    K: outputs(model),
    U: preactivations(model, ds.X, ds.n),
    Y: ds.y,
    mode: pairMode(model),
    model,
    familyName: family.name,
    alpha,
    beta,
    form,
    components: pairComponents(alpha, beta, form),
    pairs: opts.pairs ?? "all",
    tol: checkTol(opts.tol),
    N: opts.N ?? 8,
    source: ds.source,
  };
}

/** makePairProblem, refusing distinct pairs of fewer than two rows (for the loss and its gradient). */
export function makeExactProblem(...args: Parameters<typeof makePairProblem>): PairProblem {
  const P = makePairProblem(...args);
  if (P.pairs === "distinct" && P.n < 2) throw new RangeError("distinct pairs need n ≥ 2");
  return P;
}
