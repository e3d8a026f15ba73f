import { statSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import type { Command } from "commander";
import { DEFAULT_TOL } from "../core/constants.js";
import type { Dataset } from "../core/dataset.js";
import { classIndexOneHot } from "../data/oneHot.js";
import type { LabelSpec } from "../data/csv.js";
import type { DatasetMeta } from "../data/registry.js";
import { InputError } from "../core/errors.js";
import { Rng } from "../core/rng.js";
import { checkLabels, family as familyOf, isLossName, LOSS_NAMES } from "../losses/index.js";
import type { Family, LossName } from "../losses/types.js";
import { checkModelData, modelToJSON } from "../models/index.js";
import type { Model } from "../models/types.js";
import { INIT_SCHEME, parseInitSpec, seededInit, type InitRecord } from "../train/init.js";
import { LOG_COLUMNS, trainLogCsv, type TrainLogRow } from "../train/log.js";
import { OBJECTIVES, train, trainRun, type Objective, type TrainOptions } from "../train/train.js";
import { LAMBDA_MODES, type LambdaMode } from "../train/sampled.js";
import { OPTIMIZER_NAMES, type OptimizerName } from "../train/optimizers.js";
import {
  asOption,
  checkWritableDir,
  namingOverflow,
  parseNonNegativeInt,
  parsePositive,
  parsePositiveInt,
  parseShape,
  parseTol,
  withProgress,
  writeFilesAtomic,
  type ProgressOptions,
} from "./io/index.js";
import { fmt, packageVersion, stringifyStrict } from "./json.js";
import { addDataOptions, dataSource, datasetJson, loadData, readDataFile, readModelFile, type DataOptions } from "./load.js";

export interface TrainCliOptions extends DataOptions {
  test?: string;
  testLabels?: string;
  model?: string;
  init?: string;
  loss?: string;
  bias: boolean;
  objective: string;
  alpha: number;
  beta?: number;
  optimizer: string;
  steps: number;
  lr: number;
  batch?: number;
  lambda?: string;
  seed: number;
  out: string;
  log?: string;
  checkpointEvery?: number;
  tol: number;
  workers?: number;
  json?: boolean;
  quiet?: boolean;
}

/** `mixup-theory train`: ERM, the Mixup used in practice, or descent on the exact Mixup loss. */
export function registerTrain(program: Command, out: (s: string) => void): void {
  const cmd = program
    .command("train")
    .description("train a model with ERM, sampled Mixup (random-permutation pairs) or on the exact Mixup loss; writes the model JSON");
  addDataOptions(cmd, "training data: CSV with a header (column y, or y0..y{K-1}); or an .npy n×d float array with --labels", { classes: false });
  cmd
    .option("--test <file>", "with --data: test data (same format) for test loss and accuracy in the log (--dataset generates its test part)")
    .option("--test-labels <file>", "with an .npy --test: labels .npy")
    .option("--model <file>", "start from this model JSON (its loss is the training loss)")
    .option("--init <spec>", "start from a seeded PyTorch-default init: linear | relu2:m | tanh2:m")
    .option("--loss <name>", `with --init: ${LOSS_NAMES.join(" | ")} (default logistic)`)
    .option("--no-bias", "with --init: no biases (the homogeneous models of Theorems 3.1 and 3.2)")
    .option(
      "--classes <K>",
      "with --init and --loss softmax: the number of classes (default: from the labels); with --dataset gaussian-mixture: its classes k ≥ 2",
      asOption("--classes", parsePositiveInt),
    )
    .requiredOption("--objective <o>", OBJECTIVES.join(" | "))
    .requiredOption("--alpha <a>", "Beta(α, β) parameter α > 0 (for erm: the law at which the log measures L_mix, R1–R3, ε_mix)", asOption("--alpha", parseShape))
    .option("--beta <b>", "β > 0 (default: α)", asOption("--beta", parseShape))
    .option("--optimizer <o>", OPTIMIZER_NAMES.join(" | "), "gd")
    .requiredOption("--steps <N>", "updates", asOption("--steps", parsePositiveInt))
    .requiredOption("--lr <η>", "learning rate > 0", asOption("--lr", parsePositive))
    .option("--batch <B>", "rows per step, ≤ n (default n: full batch; mixup-exact is full batch only)", asOption("--batch", parsePositiveInt))
    .option("--lambda <mode>", "mixup-sampled: per-batch (one λ per batch, default) | per-sample")
    .option("--seed <s>", "seed of the init, the batches and the Mixup draws", asOption("--seed", parseNonNegativeInt), 0)
    .requiredOption("--out <file>", "where to write the trained model JSON (atomically)")
    .option("--log <file>", "also write the checkpoint log as CSV (atomically)")
    .option("--checkpoint-every <k>", "a log row every k steps, plus the first and the last (default ⌈steps/20⌉)", asOption("--checkpoint-every", parsePositiveInt))
    .option("--tol <t>", "relative accuracy of the exact L_mix and its gradient", asOption("--tol", parseTol), DEFAULT_TOL)
    .option("--workers <w>", "worker threads of the exact methods (default: all cores)", asOption("--workers", parsePositiveInt))
    .option("--json", "print one JSON object (the record, the files written, the log)")
    .option("--quiet", "no progress line on stderr")
    .addHelpText(
      "after",
      "\nThe model file records how it was trained (field \"training\"); `loss`, `taylor`, `robust` and `theorem` read it.\n" +
        "Seeds: the init draws from Rng(seed).fork(0), the batches from fork(1), the Mixup pairs and λ from fork(2).",
    )
    .action(async (o: TrainCliOptions) => {
      out(await trainCommand(o));
    });
}

function oneOf<T extends string>(option: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new InputError(option, `${option}: "${value}" is not one of ${allowed.join(", ")}`);
  return value as T;
}

/** The option combinations train cannot take, before any file is read. */
function checkCombinations(o: TrainCliOptions): void {
  if ((o.model === undefined) === (o.init === undefined)) {
    throw new InputError("--model", "--model, --init: give exactly one (a model JSON to start from, or an init such as relu2:32)");
  }
  if (o.model !== undefined) {
    if (o.loss !== undefined) throw new InputError("--loss", "--loss: only with --init; the loss of --model is the one in its JSON");
    if (!o.bias) throw new InputError("--no-bias", "--no-bias: only with --init");
    if (o.classes !== undefined) throw new InputError("--classes", "--classes: only with --init; --model has its K outputs");
  }
  if (o.loss !== undefined && !isLossName(o.loss)) throw new InputError("--loss", `--loss: "${o.loss}" is not one of ${LOSS_NAMES.join(", ")}`);
  if (o.classes !== undefined && o.loss !== "softmax" && o.dataset === undefined) {
    throw new InputError("--classes", "--classes: only with --loss softmax or --dataset gaussian-mixture");
  }
  if (o.test !== undefined && o.dataset !== undefined) {
    throw new InputError("--test", "--test: only with --data; --dataset generates its test part (--n-test rows)");
  }
  if (o.lambda !== undefined && o.objective !== "mixup-sampled") {
    throw new InputError("--lambda", "--lambda: only with --objective mixup-sampled (the other objectives draw no λ)");
  }
  if (o.testLabels !== undefined && o.test === undefined) throw new InputError("--test-labels", "--test-labels: only with --test");
  if (o.log !== undefined && resolve(o.log) === resolve(o.out)) throw new InputError("--log", `--log: ${o.log} is also --out`);
}

/**
 * The training and test data, the starting model and its family: the one place that reads data for
 * `train`. With --dataset the generated test part is the test data (none when --n-test is 0), and class
 * indices meet a softmax model as one-hot labels.
 */
export function loadTrainProblem(o: TrainCliOptions): {
  ds: Dataset;
  test?: Dataset;
  model: Model;
  family: Family;
  init: InitRecord | null;
  dataset: DatasetMeta | null;
} {
  const fromFile = o.model !== undefined ? readModelFile(o.model) : null;
  const loss: LossName = fromFile ? fromFile.loss : ((o.loss as LossName | undefined) ?? "logistic");
  const family = familyOf(loss);
  const generated = o.dataset !== undefined;
  // with --data, --classes is softmax's K; with --dataset it is also the mixture's k (its labels give K)
  let K: number | null = fromFile ? fromFile.K : generated ? null : (o.classes ?? null);
  const spec = (k: number | null) => (family.vector ? (k === null ? "auto" : { K: k }) : "scalar") as LabelSpec;
  const loaded = loadData(generated ? o : { ...o, classes: undefined }, spec(K));
  let ds = loaded.train;
  const labelSource = loaded.labelSource;
  let test: Dataset | undefined = loaded.test !== null && loaded.test.n > 0 ? loaded.test : undefined;
  if (family.vector && K === null) {
    // the number of classes from the labels: soft-label columns give K, a class-index column 1 + its largest value
    K = ds.K > 1 ? ds.K : classesOf(ds, labelSource);
    if (!generated && ds.K === 1) ds = readDataFile(o.data!, o.labels, { K }).ds;
  }
  const outK = family.vector ? K! : 1;
  if (generated && family.vector && ds.K === 1) {
    ds = classIndexOneHot(ds, outK, labelSource);
    if (test) test = classIndexOneHot(test, outK, labelSource);
  }
  if (generated && !family.vector && ds.K > 1) {
    throw new InputError(labelSource, `${labelSource}: ${ds.K} one-hot label columns; the loss ${family.name} takes one label per row (use --loss softmax)`);
  }
  if (family.vector && ds.K !== outK) throw new InputError(labelSource, `${labelSource}: ${ds.K} label columns, the model has K = ${outK} outputs`);
  checkLabels(family, ds.y, ds.n, ds.K, labelSource);
  if (o.test !== undefined) {
    const t = readDataFile(o.test, o.testLabels, family.vector ? { K: outK } : "scalar", "--test-labels", "--test");
    test = t.ds;
    if (test.d !== ds.d) throw new InputError(o.test, `${o.test}: ${test.d} features, the training data have ${ds.d}`);
    checkLabels(family, test.y, test.n, test.K, t.labelSource);
  } else if (test) checkLabels(family, test.y, test.n, test.K, `${labelSource} (test part)`);
  let model: Model;
  let init: InitRecord | null = null;
  if (fromFile) {
    checkModelData(fromFile, ds.d, o.model!);
    model = fromFile;
  } else {
    ({ model, record: init } = seededInit(parseInitSpec(o.init!), ds.d, outK, loss, o.seed!, o.bias));
  }
  return { ds, test, model, family, init, dataset: loaded.dataset };
}

/** K = 1 + the largest class index of a class-index label column (integers ≥ 0, at least two classes). */
function classesOf(ds: Dataset, where: string): number {
  let max = 0;
  for (let i = 0; i < ds.n; i++) {
    const v = ds.y[i];
    if (!(Number.isInteger(v) && v >= 0)) {
      throw new InputError(`${where} row ${i + 1}`, `${where}: row ${i + 1}: ${v} is not a class index (an integer ≥ 0); softmax needs class indices or y0..y{K-1} columns`);
    }
    max = Math.max(max, v);
  }
  if (max < 1) throw new InputError(where, `${where}: every label is class 0; softmax needs K ≥ 2 classes (give --classes K)`);
  return max + 1;
}

/** Fails before training when --out or --log cannot be written. */
function checkOutputs(o: TrainCliOptions): void {
  for (const [option, path] of [["--out", o.out], ["--log", o.log]] as const) {
    if (path === undefined) continue;
    if (isDirectory(path)) throw new InputError(option, `${option}: ${path} is a directory; give a file name`);
    checkWritableDir(dirname(path), [basename(path)], option);
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A log row without its wall time (for the model file, which the same seed reproduces byte for byte). */
function withoutWallTime(row: TrainLogRow): Record<string, unknown> {
  const { wallTime: _, ...rest } = row;
  return rest;
}

/**
 * The `train` command: checks, reads, trains with a progress bar over the steps, then writes the model
 * (and the log) atomically together. Returns stdout. `progressOpts` is for tests.
 */
export async function trainCommand(o: TrainCliOptions, progressOpts: ProgressOptions = {}): Promise<string> {
  const objective = oneOf("--objective", o.objective, OBJECTIVES) as Objective;
  const optimizer = oneOf("--optimizer", o.optimizer, OPTIMIZER_NAMES) as OptimizerName;
  const lambda = oneOf("--lambda", o.lambda, LAMBDA_MODES) as LambdaMode | undefined;
  checkCombinations(o);
  if (o.init !== undefined) parseInitSpec(o.init);
  const { ds, test, model, family, init, dataset } = loadTrainProblem(o);
  const opts: TrainOptions = {
    objective,
    alpha: o.alpha,
    beta: o.beta,
    optimizer,
    steps: o.steps,
    lr: o.lr,
    batch: o.batch,
    lambda,
    rng: new Rng(o.seed),
    test,
    checkpointEvery: o.checkpointEvery,
    tol: o.tol,
    workers: o.workers,
    init,
  };
  trainRun(ds, model, family, opts); // every option error before the output check and the training
  checkOutputs(o);
  const result = await withProgress("train", { ...progressOpts, quiet: o.quiet === true || progressOpts.quiet === true, total: o.steps }, (bar) =>
    namingOverflow(dataSource(o), `${dataSource(o)}, during training (a smaller --lr may help)`, () => train(ds, model, family, { ...opts, onProgress: (done) => bar.tick(done), pause: () => bar.pause() })),
  );
  const last = result.log[result.log.length - 1];
  const record = {
    version: packageVersion(),
    ...result.run,
    init: init ?? { model: o.model },
    data: o.data ?? null,
    test: o.test ?? null,
    ...datasetJson(dataset, o.seed),
    final: withoutWallTime(last),
  };
  const modelJson = { ...modelToJSON(result.model), training: record };
  const files: Array<[string, string]> = [[o.out, stringifyStrict(modelJson) + "\n"]];
  if (o.log !== undefined) files.push([o.log, trainLogCsv(result.log)]);
  writeFilesAtomic(files);
  if (o.json) return stringifyStrict({ version: packageVersion(), out: o.out, log: o.log ?? null, training: record, rows: result.log }) + "\n";
  return trainTable(record, result.log, o, family.note);
}

function trainTable(record: Record<string, unknown>, rows: readonly TrainLogRow[], o: TrainCliOptions, lossNote: string): string {
  const r = record as Record<string, unknown> & { objective: string; n: number; d: number; K: number; steps: number; batch: number };
  const lines: string[] = [];
  lines.push(`mixup-theory ${r.version} — train (${r.loss}; ${lossNote})`);
  const start = o.init !== undefined ? `init ${o.init} (${INIT_SCHEME}, seed ${o.seed}${o.bias ? "" : ", no bias"})` : `model ${o.model}`;
  const mix = r.objective === "erm" ? `L_mix measured at Beta(${r.alpha}, ${r.beta})` : `Beta(${r.alpha}, ${r.beta})${r.lambda ? `, λ ${r.lambda}` : ""}`;
  lines.push(`data n = ${r.n}, d = ${r.d}; ${start}; ${r.objective}, ${mix}; ${r.optimizer}, lr ${r.lr}, ${r.steps} steps, batch ${r.batch}`);
  lines.push("");
  const w = [8, 13, 13, 13, 10, 10, 12, 9];
  const pad = (cells: string[]) => "  " + cells.map((c, k) => c.padStart(w[k])).join(" ");
  lines.push(pad(["step", "L_std", "L_std test", "L_mix", "acc", "acc test", "ε_mix", "time"]));
  for (const row of rows) {
    lines.push(
      pad([
        String(row.step),
        fmt(row.trainLoss, 8),
        fmt(row.testLoss, 8),
        fmt(row.mixupLoss, 8),
        fmt(row.trainAccuracy, 4),
        fmt(row.testAccuracy, 4),
        fmt(row.epsMix, 5),
        `${row.wallTime.toFixed(1)} s`,
      ]),
    );
  }
  lines.push("");
  lines.push(`  wrote ${o.out}${o.log !== undefined ? ` and ${o.log} (${LOG_COLUMNS.length} columns)` : ""}`);
  return lines.join("\n") + "\n";
}
