/**
 * What the training experiments share: one run of `train` (Adam, seeded start) whose log gives the
 * quantities at each checkpoint, the list of runs (ERM, then Mixup at several α), and summaries over seeds.
 * The figures read train's log (src/train/log.ts), so a figure shows exactly what `mixup-theory train --log`
 * writes for the same run.
 */
import type { Dataset } from "../core/dataset.js";
import type { Rng } from "../core/rng.js";
import { applyPreprocessing, preprocess } from "../data/preprocess.js";
import type { Family } from "../losses/types.js";
import { initModel, parseInitSpec, train, type Objective, type TrainLogRow } from "../train/index.js";
import type { Model } from "../models/types.js";
import type { ExperimentContext } from "./types.js";

/** One training run of an experiment: the objective, and α = β for Mixup (null for ERM). */
export interface RunSpec {
  readonly objective: Objective;
  readonly alpha: number | null;
}

/** The legend name of a run: "ERM" or "Mixup α = a". */
export function runLabel(r: RunSpec): string {
  return r.alpha === null ? "ERM" : `Mixup α = ${r.alpha}`;
}

/** ERM, then Mixup (the sampled objective practitioners run) at each α, β = α. */
export function ermAndMixup(alphas: readonly number[]): RunSpec[] {
  return [{ objective: "erm", alpha: null }, ...alphas.map((a) => ({ objective: "mixup-sampled" as Objective, alpha: a }))];
}

/** What every training experiment fixes for one run. */
export interface RunOptions {
  /** "linear", "relu2:m" or "tanh2:m" (src/train/init.ts) */
  readonly init: string;
  /** false: no biases (the homogeneous models of Theorems 3.1 and 3.2, docs/theory.md §3.7–§3.8) */
  readonly bias: boolean;
  readonly steps: number;
  readonly lr: number;
  /** rows per step (capped at n) */
  readonly batch: number;
  /** a log row every `every` steps (plus steps 0 and the last); null: no log (train's `log: false`) */
  readonly every: number | null;
  /** the init's stream */
  readonly initRng: Rng;
  /** the batches' and Mixup draws' stream */
  readonly rng: Rng;
  readonly test?: Dataset;
  readonly workers?: number;
}

/**
 * Train a fresh seeded model (PyTorch's default init) with Adam on ds: ERM or Mixup (sampled, one λ per
 * batch) at α = β. The log measures L_mix, R1–R3 and ε_mix at the run's α (α = 1 for ERM runs).
 */
export async function trainLogged(ds: Dataset, family: Family, run: RunSpec, o: RunOptions): Promise<{ model: Model; log: TrainLogRow[] }> {
  const start = initModel(parseInitSpec(o.init), ds.d, ds.K, family.name, o.initRng, o.bias);
  const alpha = run.alpha ?? 1;
  const { model, log } = await train(ds, start, family, {
    objective: run.objective,
    alpha,
    beta: alpha,
    optimizer: "adam",
    steps: o.steps,
    lr: o.lr,
    batch: Math.min(o.batch, ds.n),
    lambda: run.objective === "mixup-sampled" ? "per-batch" : undefined,
    rng: o.rng,
    test: o.test,
    checkpointEvery: o.every ?? undefined,
    log: o.every !== null,
    workers: o.workers,
  });
  return { model, log };
}

/** Train and test both shifted by the training mean (assumption (a) is about the training data). */
export function centerBoth(train: Dataset, test: Dataset): { train: Dataset; test: Dataset } {
  const { data, stats } = preprocess(train, { center: true });
  return { train: data, test: applyPreprocessing(test, stats) };
}

/** Mean and sample standard deviation (0 for one value). */
export function meanSd(xs: readonly number[]): { mean: number; sd: number } {
  let mean = 0;
  for (const x of xs) mean += x;
  mean /= xs.length;
  let ss = 0;
  for (const x of xs) ss += (x - mean) * (x - mean);
  return { mean, sd: xs.length > 1 ? Math.sqrt(ss / (xs.length - 1)) : 0 };
}

/** A model of a training experiment: its init spec and its legend name. */
export interface ModelSpec {
  readonly spec: string;
  readonly name: string;
}

/**
 * Mixup (sampled, β = α) on ds for every model × α, in that order, each run logged every `o.every` steps;
 * `visit` gets each run's log. Seeds: model k starts from ctx.rng.fork(100 + k) at every α (the runs of a
 * model differ by α only), and run (k, a) draws its batches and λ from ctx.rng.fork(1000 + 10k + a).
 */
export async function mixupRuns(
  ctx: ExperimentContext,
  ds: Dataset,
  family: Family,
  models: readonly ModelSpec[],
  alphas: readonly number[],
  o: { bias: boolean; steps: number; lr: number; batch: number; every: number },
  visit: (model: ModelSpec, alpha: number, log: TrainLogRow[]) => void,
): Promise<void> {
  let done = 0;
  for (const [mi, mdl] of models.entries()) {
    for (const [ai, alpha] of alphas.entries()) {
      const { log } = await trainLogged(ds, family, { objective: "mixup-sampled", alpha }, {
        init: mdl.spec,
        ...o,
        initRng: ctx.rng.fork(100 + mi),
        rng: ctx.rng.fork(1000 + 10 * mi + ai),
        workers: ctx.workers,
      });
      visit(mdl, alpha, log);
      ctx.progress.tick(++done);
      await ctx.progress.pause();
    }
  }
}
