import { checkAlphaBeta, checkTol } from "../core/constants.js";
import type { Dataset } from "../core/dataset.js";
import { InputError } from "../core/errors.js";
import { Rng } from "../core/rng.js";
import { checkLabels } from "../losses/labels.js";
import type { Family } from "../losses/types.js";
import { mixupGrad, MIXUP_GRAD_METHODS, type MixupGradMethod } from "../mixup/mixupGrad.js";
import { getParams, withParams } from "../models/params.js";
import { lossParamGrad } from "../models/paramGrad.js";
import type { Model } from "../models/types.js";
import { BatchSampler } from "./batches.js";
import type { InitRecord } from "./init.js";
import { checkpointRow, type TrainLogRow } from "./log.js";
import { ADAM_DEFAULTS, makeOptimizer, OPTIMIZER_NAMES, type AdamConfig, type OptimizerName } from "./optimizers.js";
import { batchScratch, gatherBatch, LAMBDA_MODES, sampledMixupGrad, type LambdaMode } from "./sampled.js";

/**
 * Training with and without Mixup (docs/theory.md §2.4; docs/api.md, "Training"):
 *  - "erm": the standard loss L_std, full batch or minibatches (BatchSampler);
 *  - "mixup-sampled": the Mixup used in practice, a batch mixed with a random permutation of itself
 *    (sampled.ts), λ per batch or per sample;
 *  - "mixup-exact": full-batch descent on the exact L_mix of eq. (1), its gradient by `mixupGrad` (O(n)
 *    for linear GLMs, all pairs for nets).
 * Every random choice comes from one Rng: the batches from rng.fork(1), the Mixup draws from rng.fork(2).
 */

export type Objective = "erm" | "mixup-sampled" | "mixup-exact";

export const OBJECTIVES: readonly Objective[] = ["erm", "mixup-sampled", "mixup-exact"];

export interface TrainOptions {
  objective: Objective;
  /** the Mixup law Beta(α, β); for "erm" the law at which the log measures L_mix, R1–R3, ε_mix */
  alpha: number;
  /** default α */
  beta?: number;
  /** default "gd" */
  optimizer?: OptimizerName;
  /** updates, ≥ 1 */
  steps: number;
  /** learning rate η > 0 */
  lr: number;
  /** rows per step, 1..n (default n: full batch); "mixup-exact" is full-batch only */
  batch?: number;
  /** "mixup-sampled": one λ per batch (default, as the reference code) or one per mixed point */
  lambda?: LambdaMode;
  /** the generator of every random choice; default new Rng(seed) */
  rng?: Rng;
  /** used when rng is absent (default 0) */
  seed?: number;
  /** test data for testLoss and testAccuracy */
  test?: Dataset;
  /** a log row every k steps, plus the first (step 0) and the last; default max(1, ⌈steps/20⌉) */
  checkpointEvery?: number;
  /** false: no log rows at all (a row's exact L_mix is most of a short run's cost); default true */
  log?: boolean;
  /** accuracy of the exact L_mix and its gradient (default DEFAULT_TOL, 1e-10) */
  tol?: number;
  /** "mixup-exact": mixupGrad's method (default "auto": the fastest exact path, mixupGrad.ts) */
  gradMethod?: MixupGradMethod;
  /** worker threads of the exact methods (default: all cores) */
  workers?: number;
  /** how the model was initialised, copied into the record */
  init?: InitRecord | null;
  /** after each step: (steps done, steps) */
  onProgress?: (done: number, total: number) => void;
  /** awaited after each step (the caller's event loop: a progress redraw, Ctrl-C); never changes a number */
  pause?: () => Promise<void> | undefined;
  /** the clock in ms for wallTime (default performance.now) */
  now?: () => number;
}

/** What was run: every option with its default filled in. */
export interface TrainRun {
  objective: Objective;
  alpha: number;
  beta: number;
  /** null unless objective = "mixup-sampled" */
  lambda: LambdaMode | null;
  optimizer: OptimizerName;
  /** Adam's β1, β2, ε; null for gd */
  adam: AdamConfig | null;
  lr: number;
  steps: number;
  batch: number;
  /** n mod batch rows skipped per epoch (minibatches only) */
  droppedPerEpoch: number;
  seed: number;
  /** the Rng's fork path below the seed (empty for new Rng(seed)) */
  rngPath: number[];
  checkpointEvery: number;
  tol: number;
  /** mixupGrad's method for "mixup-exact"; null otherwise */
  gradMethod: MixupGradMethod | null;
  loss: Family["name"];
  n: number;
  d: number;
  K: number;
  nTest: number | null;
  init: InitRecord | null;
}

export interface TrainResult {
  model: Model;
  log: TrainLogRow[];
  run: TrainRun;
}

function isInt(v: number, lo: number, hi = Number.MAX_SAFE_INTEGER): boolean {
  return Number.isSafeInteger(v) && v >= lo && v <= hi;
}

/** The options checked and completed (InputErrors name the CLI's options). */
export function trainRun(ds: Dataset, model: Model, family: Family, o: TrainOptions): TrainRun {
  if (!OBJECTIVES.includes(o.objective)) {
    throw new InputError("--objective", `--objective: "${String(o.objective)}" is not one of ${OBJECTIVES.join(", ")}`);
  }
  const optimizer = o.optimizer ?? "gd";
  if (!OPTIMIZER_NAMES.includes(optimizer)) {
    throw new InputError("--optimizer", `--optimizer: "${String(optimizer)}" is not one of ${OPTIMIZER_NAMES.join(", ")}`);
  }
  const beta = o.beta ?? o.alpha;
  checkAlphaBeta(o.alpha, beta);
  if (!isInt(o.steps, 1)) throw new InputError("--steps", `--steps: ${o.steps} must be an integer ≥ 1`);
  if (!(Number.isFinite(o.lr) && o.lr > 0)) throw new InputError("--lr", `--lr: ${o.lr} must be a finite number > 0`);
  const batch = o.batch ?? ds.n;
  if (!isInt(batch, 1)) throw new InputError("--batch", `--batch: ${batch} must be an integer ≥ 1`);
  if (batch > ds.n) throw new InputError("--batch", `--batch: ${batch} is larger than the ${ds.n} training rows`);
  if (o.objective === "mixup-exact" && batch !== ds.n) {
    throw new InputError("--batch", `--batch: mixup-exact descends on the exact L_mix over all n² pairs, full batch only (n = ${ds.n}, got ${batch})`);
  }
  if (o.gradMethod !== undefined && !MIXUP_GRAD_METHODS.includes(o.gradMethod)) {
    throw new InputError("--method", `--method: "${String(o.gradMethod)}" is not one of ${MIXUP_GRAD_METHODS.join(", ")}`);
  }
  if (o.lambda !== undefined && !LAMBDA_MODES.includes(o.lambda)) {
    throw new InputError("--lambda", `--lambda: "${String(o.lambda)}" is not one of ${LAMBDA_MODES.join(", ")}`);
  }
  const every = o.checkpointEvery ?? Math.max(1, Math.ceil(o.steps / 20));
  if (!isInt(every, 1)) throw new InputError("--checkpoint-every", `--checkpoint-every: ${every} must be an integer ≥ 1`);
  if (model.d !== ds.d) throw new InputError("model", `model expects d = ${model.d} features, the training data have ${ds.d}`);
  if (o.test && (o.test.d !== ds.d || o.test.K !== ds.K)) {
    throw new InputError("--test", `--test: the test data have d = ${o.test.d}, K = ${o.test.K}; the training data d = ${ds.d}, K = ${ds.K}`);
  }
  const rng = o.rng ?? new Rng(o.seed ?? 0);
  return {
    objective: o.objective,
    alpha: o.alpha,
    beta,
    lambda: o.objective === "mixup-sampled" ? (o.lambda ?? "per-batch") : null,
    optimizer,
    adam: optimizer === "adam" ? { ...ADAM_DEFAULTS } : null,
    lr: o.lr,
    steps: o.steps,
    batch,
    droppedPerEpoch: batch === ds.n ? 0 : ds.n % batch,
    seed: rng.seed,
    rngPath: [...rng.path],
    checkpointEvery: every,
    tol: checkTol(o.tol),
    gradMethod: o.objective === "mixup-exact" ? (o.gradMethod ?? "auto") : null,
    loss: family.name,
    n: ds.n,
    d: ds.d,
    K: ds.K,
    nTest: o.test ? o.test.n : null,
    init: o.init ?? null,
  };
}

function norm2(g: Float64Array): number {
  let s = 0;
  for (let k = 0; k < g.length; k++) s += g[k] * g[k];
  return Math.sqrt(s);
}

/**
 * Train `model` on ds with the loss `family` (labels checked against it): `steps` updates of the
 * optimizer on the objective's gradient, with a log row at step 0, every `checkpointEvery` steps and at
 * the last step. The returned model is the one after the last step; `run` records every option.
 */
export async function train(ds: Dataset, model: Model, family: Family, opts: TrainOptions): Promise<TrainResult> {
  const run = trainRun(ds, model, family, opts);
  checkLabels(family, ds.y, ds.n, ds.K, ds.source ?? "training data");
  if (opts.test) checkLabels(family, opts.test.y, opts.test.n, opts.test.K, opts.test.source ?? "test data");
  const rng = opts.rng ?? new Rng(run.seed);
  const batches = new BatchSampler(ds.n, run.batch, rng.fork(1));
  const mixRng = rng.fork(2);
  const scratch = batchScratch(run.batch, ds.d, ds.K);
  const params = getParams(model);
  const grad = new Float64Array(params.length);
  const opt = makeOptimizer(run.optimizer, params.length, run.lr);
  const now = opts.now ?? (() => performance.now());
  const t0 = now();
  const ctx = { ds, test: opts.test, family, alpha: run.alpha, beta: run.beta, tol: run.tol, workers: opts.workers };
  const fullBatch = run.batch === ds.n && run.objective !== "mixup-sampled";
  const log: TrainLogRow[] = [];
  let current = model;

  /** The objective's gradient at `current` into grad. */
  const gradient = async (): Promise<void> => {
    if (run.objective === "mixup-exact") {
      grad.set((await mixupGrad(ds, current, family, run.alpha, run.beta, { method: run.gradMethod!, tol: run.tol, workers: opts.workers })).grad);
    } else if (run.objective === "mixup-sampled") {
      sampledMixupGrad(ds, current, family, batches.next(), run.batch, run.alpha, run.beta, run.lambda!, mixRng, scratch, grad);
    } else if (run.batch === ds.n) {
      lossParamGrad(current, family, ds.X, ds.y, ds.n, ds.K, grad);
    } else {
      gatherBatch(ds, batches.next(), run.batch, scratch);
      lossParamGrad(current, family, scratch.X, scratch.Y, run.batch, ds.K, grad);
    }
  };

  for (let s = 0; s <= run.steps; s++) {
    const last = s === run.steps;
    const checkpoint = opts.log !== false && (s === 0 || last || s % run.checkpointEvery === 0);
    // the step's gradient; at the last checkpoint of a full-batch objective one more, for gradNorm
    if (!last || (checkpoint && fullBatch)) await gradient();
    if (checkpoint) {
      const gn = fullBatch
        ? { value: norm2(grad) }
        : { value: null, reason: "the objective's gradient is estimated on a sampled batch at each step; its norm is not computed" };
      log.push(await checkpointRow(ctx, current, s, gn, (now() - t0) / 1000));
    }
    if (last) break;
    opt.step(params, grad);
    current = withParams(current, params);
    opts.onProgress?.(s + 1, run.steps);
    await opts.pause?.();
  }
  return { model: current, log, run };
}
