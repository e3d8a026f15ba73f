import { availableParallelism } from "node:os";
import type { Dataset } from "../core/dataset.js";
import { checkTol } from "../core/constants.js";
import { InputError } from "../core/errors.js";
import { Rng } from "../core/rng.js";
import type { Family } from "../losses/types.js";
import type { Model } from "../models/types.js";
import type { ExactResult } from "./pairs/exact.js";
import { monteCarloMixupLossAsync, type MonteCarloResult } from "./monteCarlo.js";
import { exactMixupLossBothParallel, exactMixupLossParallel } from "./pairs/exact.js";
import type { PairsMode } from "./pairs/problem.js";
import type { MixupForm } from "./components.js";
import { closedFormMixupLoss, convolutionMixupLoss, fastPathFor, type FastExactResult } from "./convolution/index.js";
import { AUTO_PAIRS_FALLBACK_N, tryConvolution } from "./convolution/cost.js";
import { checkFiniteResult, checkPairMagnitudes } from "./magnitude.js";

export { exactMixupLoss, exactMixupLossParallel, type ExactResult } from "./pairs/index.js";
export { exactMixupLossBothParallel, type BothForms } from "./pairs/exact.js";
/** The one pool's closeWorkers (core/workerPool.ts) under its older name: it ends the Taylor sums' workers too. */
export { closeWorkers as closeExactWorkers } from "../core/workerPool.js";
export { exactMixupGrad, exactMixupGradParallel, type MixupGradResult, type GradOptions, type GradParallelOptions } from "./pairs/index.js";
export { closedFormMixupGrad, convolutionMixupGrad, type FastGradResult } from "./convolution/grad.js";
export { mixupGrad, MIXUP_GRAD_METHODS, type MixupGradMethod, type MixupGradOptions } from "./mixupGrad.js";
export { checkPairMagnitudes, maxPairLoss, MAGNITUDE_SAFETY } from "./magnitude.js";
export { monteCarloMixupLoss, monteCarloMixupLossAsync, monteCarloLabelFree, MC_CHUNK, Z975, type MonteCarloResult, type MonteCarloOptions } from "./monteCarlo.js";
export { pairComponents, type MixupForm, type PairComponent } from "./components.js";
export type { PairsMode } from "./pairs/problem.js";
export {
  closedFormMixupLoss,
  convolutionMixupLoss,
  fastPathFor,
  MAX_GRID_BINS,
  type FastExactResult,
  type FastOptions,
  type FastPath,
} from "./convolution/index.js";

export type MixupMethod = "auto" | "pairs" | "convolution" | "closed-form" | "mc";

export const MIXUP_METHODS: readonly MixupMethod[] = ["auto", "pairs", "convolution", "closed-form", "mc"];

export interface MixupLossOptions {
  method?: MixupMethod;
  tol?: number;
  pairs?: PairsMode;
  samples?: number;
  seed?: number;
  workers?: number;
  form?: MixupForm;
  /**
   * Progress of the exact methods, called in this thread with non-decreasing `done`, last with done = total:
   * pairs, the pairs done of n(n+1)/2 (distinct: n(n−1)/2) after each chunk; convolution, the fraction of
   * the λ domain covered, (f, 1); closed form, (1, 1) at the end; mc, the draws done of `samples` every
   * 16,384 draws (monteCarlo.ts, MC_CHUNK), last (samples, samples). When `auto` falls back from the
   * convolution to pairs, the pairs' reports follow with their own total (below 3000 rows the convolution,
   * a matter of milliseconds there, reports only (1, 1) when its result is kept). Never changes the result.
   */
  onProgress?: (done: number, total: number) => void;
  /**
   * Awaited between chunks of work that runs in this thread and can be cut (Monte Carlo draws), so that
   * the caller's event loop runs during a long estimate (a progress redraw, Ctrl-C). Never changes the result.
   */
  pause?: () => Promise<void> | undefined;
}


/**
 * The Mixup loss by the requested method:
 *  - `pairs`: the exact all-pairs quadrature (every model);
 *  - `closed-form`: squared loss with a linear model, L_mix in moments ("exact-closed-form");
 *  - `convolution`: a linear model with a scalar loss, per-λ pair sums by grid convolution
 *    ("exact-convolution", O(n) in the rows);
 *  - `auto`: the fastest exact path for the model (closed-form, convolution, else pairs). Pairs when the
 *    cost model of convolution/cost.ts expects them at least 2× faster (few rows, very wide scores), when
 *    the convolution's error estimate misses tol·meanAbsLoss (scores so wide that the FFT rounding
 *    dominates) and n ≤ 3000, or when its grid would be too wide;
 *  - `mc`: a seeded Monte Carlo estimate with a 95% interval.
 * A method that does not apply to the model is an InputError naming --method. Before an exact method
 * runs, the input is checked against the contract for huge inputs (magnitude.ts: the n² pair sums must
 * stay finite); an input that fails is an OverflowError naming the row.
 */
export function mixupLoss(
  ds: Dataset,
  model: Model,
  family: Family,
  alpha: number,
  beta: number,
  opts: MixupLossOptions & { method: Exclude<MixupMethod, "mc"> },
): Promise<ExactResult | FastExactResult>;
export function mixupLoss(
  ds: Dataset,
  model: Model,
  family: Family,
  alpha: number,
  beta: number,
  opts?: MixupLossOptions,
): Promise<ExactResult | FastExactResult | MonteCarloResult>;
export async function mixupLoss(
  ds: Dataset,
  model: Model,
  family: Family,
  alpha: number,
  beta: number,
  opts: MixupLossOptions = {},
): Promise<ExactResult | FastExactResult | MonteCarloResult> {
  const method = opts.method ?? "auto";
  if (!MIXUP_METHODS.includes(method)) {
    throw new InputError("--method", `--method: "${String(method)}" is not one of ${MIXUP_METHODS.join(", ")}`);
  }
  const tol = checkTol(opts.tol);
  if (method === "mc") {
    return monteCarloMixupLossAsync(ds, model, family, alpha, beta, {
      samples: opts.samples ?? 100_000,
      rng: new Rng(opts.seed ?? 0).fork(1),
      pairs: opts.pairs,
      onProgress: opts.onProgress,
      pause: opts.pause,
    });
  }
  checkPairMagnitudes(ds, model, family, "loss");
  return checkFiniteResult(ds, model, family, await exactMixupLoss(ds, model, family, alpha, beta, method, tol, opts));
}

/**
 * The exact Mixup loss in both forms, labelled (eq. (1)) and label-free (docs/theory.md §2.5), by an exact
 * method (as mixupLoss; `form` is ignored). When the method is all pairs (`pairs`, or `auto` for a model
 * without a fast path: nets, softmax) both come from one pass (exactMixupLossBothParallel: shared pieces and
 * nodes, each value within its own tolerance and error estimate); otherwise from two calls.
 */
export async function mixupLossBothForms(
  ds: Dataset,
  model: Model,
  family: Family,
  alpha: number,
  beta: number,
  opts: MixupLossOptions & { method?: Exclude<MixupMethod, "mc"> } = {},
): Promise<{ labelled: ExactResult | FastExactResult; labelFree: ExactResult | FastExactResult }> {
  const method = opts.method ?? "auto";
  if (method === "pairs" || (method === "auto" && fastPathFor(model, family) === null)) {
    const tol = checkTol(opts.tol);
    checkPairMagnitudes(ds, model, family, "loss");
    const r = await exactMixupLossBothParallel(ds, model, family, alpha, beta, { tol, pairs: opts.pairs, workers: opts.workers, onProgress: opts.onProgress });
    return { labelled: checkFiniteResult(ds, model, family, r.labelled), labelFree: checkFiniteResult(ds, model, family, r.labelFree) };
  }
  // one progress line over both calls: the first half, then the second
  const cb = opts.onProgress;
  const half = (k: 0 | 1) => (cb === undefined ? undefined : (done: number, total: number) => cb(k * total + done, 2 * total));
  const labelled = await mixupLoss(ds, model, family, alpha, beta, { ...opts, method, form: "labelled", onProgress: half(0) });
  const labelFree = await mixupLoss(ds, model, family, alpha, beta, { ...opts, method, form: "label-free", onProgress: half(1) });
  return { labelled, labelFree };
}

/** The exact methods of mixupLoss (method ≠ mc; tol checked). */
async function exactMixupLoss(
  ds: Dataset,
  model: Model,
  family: Family,
  alpha: number,
  beta: number,
  method: Exclude<MixupMethod, "mc">,
  tol: number,
  opts: MixupLossOptions,
): Promise<ExactResult | FastExactResult> {
  const onProgress = opts.onProgress;
  const fastOpts = { tol, pairs: opts.pairs, form: opts.form, onProgress };
  if (method === "closed-form") return closedFormMixupLoss(ds, model, family, alpha, beta, fastOpts);
  if (method === "convolution") return convolutionMixupLoss(ds, model, family, alpha, beta, fastOpts);
  if (method === "auto") {
    const fast = fastPathFor(model, family);
    if (fast === "closed-form") return closedFormMixupLoss(ds, model, family, alpha, beta, fastOpts);
    if (fast === "convolution") {
      const r = tryConvolution(
        ds,
        model,
        family,
        tol,
        opts.workers ?? availableParallelism(),
        (mayFallBack, z) => convolutionMixupLoss(ds, model, family, alpha, beta, { ...fastOpts, scores: z, onProgress: mayFallBack ? undefined : onProgress }),
        (c) => c.errorEstimate <= tol * Math.max(c.meanAbsLoss, Math.abs(c.value)),
      );
      if (r !== null) {
        if (ds.n <= AUTO_PAIRS_FALLBACK_N) onProgress?.(1, 1); // its reports were held back
        return r;
      }
    }
  }
  return exactMixupLossParallel(ds, model, family, alpha, beta, {
    tol,
    pairs: opts.pairs,
    workers: opts.workers,
    form: opts.form,
    onProgress,
  });
}
