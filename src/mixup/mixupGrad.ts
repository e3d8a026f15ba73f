import { availableParallelism } from "node:os";
/**
 * The Mixup loss with its θ-gradient by the requested exact method (issue 6: training on the exact Mixup
 * objective at scale). The gradient counterpart of `mixupLoss` (index.ts), with the same choice of method:
 *  - `pairs`: the all-pairs quadrature, every model (exactMixupGradParallel, grad/);
 *  - `closed-form`: squared loss with a linear model (closedFormMixupGrad);
 *  - `convolution`: a linear model with a scalar loss, O(n) (convolutionMixupGrad);
 *  - `auto`: the fastest exact path; like mixupLoss it takes pairs when the cost model expects them 2×
 *    faster, when the convolution's grid would be too wide, or when n ≤ 3000 and its estimates miss tol.
 * Monte Carlo has no gradient here (a seeded estimate of a gradient is a training loop's business).
 */
import type { Dataset } from "../core/dataset.js";
import { checkTol } from "../core/constants.js";
import { InputError } from "../core/errors.js";
import type { Family } from "../losses/types.js";
import type { Model } from "../models/types.js";
import type { MixupForm } from "./components.js";
import { closedFormMixupGrad, convolutionMixupGrad, type FastGradResult } from "./convolution/grad.js";
import { fastPathFor } from "./convolution/index.js";
import { tryConvolution } from "./convolution/cost.js";
import { checkFiniteResult, checkPairMagnitudes } from "./magnitude.js";
import { exactMixupGradParallel, type MixupGradResult } from "./pairs/exactGrad.js";
import type { PairsMode } from "./pairs/problem.js";

export type MixupGradMethod = "auto" | "pairs" | "convolution" | "closed-form";

export const MIXUP_GRAD_METHODS: readonly MixupGradMethod[] = ["auto", "pairs", "convolution", "closed-form"];

export interface MixupGradOptions {
  method?: MixupGradMethod;
  tol?: number;
  pairs?: PairsMode;
  form?: MixupForm;
  workers?: number;
}


export async function mixupGrad(
  ds: Dataset,
  model: Model,
  family: Family,
  alpha: number,
  beta: number,
  opts: MixupGradOptions = {},
): Promise<MixupGradResult | FastGradResult> {
  const method = opts.method ?? "auto";
  if (!MIXUP_GRAD_METHODS.includes(method)) {
    throw new InputError("--method", `--method: "${String(method)}" is not one of ${MIXUP_GRAD_METHODS.join(", ")} (the gradient has no Monte Carlo method)`);
  }
  const tol = checkTol(opts.tol);
  checkPairMagnitudes(ds, model, family, "gradient");
  return checkFiniteResult(ds, model, family, await exactGrad(ds, model, family, alpha, beta, method, tol, opts));
}

/** The exact methods of mixupGrad (method and tol checked). */
async function exactGrad(
  ds: Dataset,
  model: Model,
  family: Family,
  alpha: number,
  beta: number,
  method: MixupGradMethod,
  tol: number,
  opts: MixupGradOptions,
): Promise<MixupGradResult | FastGradResult> {
  const fastOpts = { tol, pairs: opts.pairs, form: opts.form };
  if (method === "closed-form") return closedFormMixupGrad(ds, model, family, alpha, beta, fastOpts);
  if (method === "convolution") return convolutionMixupGrad(ds, model, family, alpha, beta, fastOpts);
  if (method === "auto") {
    const fast = fastPathFor(model, family);
    if (fast === "closed-form") return closedFormMixupGrad(ds, model, family, alpha, beta, fastOpts);
    if (fast === "convolution") {
      const r = tryConvolution(
        ds,
        model,
        family,
        tol,
        opts.workers ?? availableParallelism(),
        (_, z) => convolutionMixupGrad(ds, model, family, alpha, beta, { ...fastOpts, scores: z }),
        (c) => c.errorEstimate <= tol * Math.max(c.meanAbsLoss, Math.abs(c.value)) && c.gradErrorEstimate <= tol * c.gradScale,
      );
      if (r !== null) return r;
    }
  }
  return exactMixupGradParallel(ds, model, family, alpha, beta, { tol, pairs: opts.pairs, form: opts.form, workers: opts.workers });
}
