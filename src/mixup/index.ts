import type { Dataset } from "../core/dataset.js";
import { Rng } from "../core/rng.js";
import type { Family } from "../losses/types.js";
import type { Model } from "../models/types.js";
import type { ExactResult } from "./exactPairs.js";
import { monteCarloMixupLoss, type MonteCarloResult } from "./monteCarlo.js";
import { exactMixupLossParallel } from "./parallel.js";
import type { PairsMode } from "./pairProblem.js";
import type { MixupForm } from "./components.js";

export { exactMixupLoss, chunkPlan, type ExactResult } from "./exactPairs.js";
export { exactMixupLossParallel } from "./parallel.js";
export { monteCarloMixupLoss, monteCarloLabelFree, Z975, type MonteCarloResult } from "./monteCarlo.js";
export { referenceMixupLoss, betaIntegral } from "./reference.js";
export { pairComponents, type MixupForm, type PairComponent } from "./components.js";
export { fixedRuleMixupLoss } from "./fixedRule.js";
export type { PairsMode } from "./pairProblem.js";

export type MixupMethod = "auto" | "pairs" | "mc";

export interface MixupLossOptions {
  method?: MixupMethod;
  tol?: number;
  pairs?: PairsMode;
  samples?: number;
  seed?: number;
  workers?: number;
  form?: MixupForm;
}

/**
 * The Mixup loss by the requested method: `auto` and `pairs` give the exact all-pairs quadrature
 * (the most accurate method available for every model), `mc` a seeded Monte Carlo estimate with a
 * 95% interval (for n too large for n² pairs).
 */
export async function mixupLoss(
  ds: Dataset,
  model: Model,
  family: Family,
  alpha: number,
  beta: number,
  opts: MixupLossOptions = {},
): Promise<ExactResult | MonteCarloResult> {
  const method = opts.method ?? "auto";
  if (method === "mc") {
    return monteCarloMixupLoss(ds, model, family, alpha, beta, {
      samples: opts.samples ?? 100_000,
      rng: new Rng(opts.seed ?? 0).fork(1),
      pairs: opts.pairs,
    });
  }
  return exactMixupLossParallel(ds, model, family, alpha, beta, {
    tol: opts.tol,
    pairs: opts.pairs,
    workers: opts.workers,
    form: opts.form,
  });
}
