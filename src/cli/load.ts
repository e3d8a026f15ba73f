import { readFileSync } from "node:fs";
import type { Command } from "commander";
import type { Dataset } from "../core/dataset.js";
import { InputError } from "../core/errors.js";
import { Rng } from "../core/rng.js";
import {
  DATASET_NAMES,
  isNpyFile,
  namedDataset,
  readCsvFile,
  readNpyDataset,
  readNpyFile,
  type DatasetMeta,
  type DatasetParams,
  type LabelSpec,
} from "../data/index.js";
import { classIndexOneHot } from "../data/oneHot.js";
import { asOption, parseNonNegative, parseNonNegativeInt, parsePositiveInt } from "./io/options.js";
import { checkLabels, family as familyOf } from "../losses/index.js";
import type { Family } from "../losses/types.js";
import { checkModelData } from "../models/index.js";
import { modelFromJson } from "../data/fromArrays.js";
import type { Model } from "../models/types.js";

/** Read and validate a model JSON file. */
export function readModelFile(path: string): Model {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new InputError(path, `${path}: cannot read file (${(e as NodeJS.ErrnoException).code ?? "error"})`);
  }
  // the one JSON → Model path of the library (a UTF-8 byte order mark, which Windows editors write, is dropped)
  return modelFromJson(text, path);
}

/** The options of `addDataOptions`, as commander gives them. */
export interface DataOptions {
  data?: string;
  labels?: string;
  dataset?: string;
  n?: number;
  nTest?: number;
  d?: number;
  rank?: number;
  classes?: number;
  noise?: number;
  digits?: readonly [number, number] | "all";
  center?: boolean;
  standardize?: boolean;
  seed?: number;
}

/**
 * The generated data's stream below --seed: Rng(seed).fork(DATASET_STREAM), apart from the streams the
 * commands already draw (fork(2), fork(3), robust's), so --dataset changes none of them.
 */
export const DATASET_STREAM = 12;

/**
 * Register `--data | --labels | --dataset NAME` and the generator options on a command. `center: false`
 * for a command that has its own --center (theorem), whose value then also reaches the preprocessing;
 * `classes: false` for one that has its own --classes (train: softmax's K, also the mixture's k).
 */
export function addDataOptions(
  cmd: Command,
  what = "CSV with a header; column y is the label (softmax: class index or y0..y{K-1}); or an .npy n×d float array with --labels",
  opts: { center?: boolean; classes?: boolean } = {},
): Command {
  cmd
    .option("--data <file>", what)
    .option("--labels <file>", "with an .npy --data: labels .npy, n values (or class indices) or n×K soft labels")
    .option("--dataset <name>", `a generated data set instead of --data: ${DATASET_NAMES.join(" | ")} (seeded by --seed)`)
    .option("--n <n>", "--dataset: training rows (default 200; mnist: all images of the digits but the test rows)", asOption("--n", parsePositiveInt))
    .option("--n-test <n>", "--dataset: test rows (default --n; mnist ⌊N/5⌋)", asOption("--n-test", parseNonNegativeInt))
    .option("--d <d>", "--dataset gaussian-mixture (default 2) | low-rank-gaussian (default 20): features", asOption("--d", parsePositiveInt))
    .option("--rank <r>", "--dataset low-rank-gaussian: rank r ≤ d (default 2)", asOption("--rank", parsePositiveInt))
    .option("--noise <s>", "--dataset two-moons: noise sd (default 0.1)", asOption("--noise", parseNonNegative))
    .option("--digits <a,b|all>", "--dataset mnist: two digits (first → label 0, second → 1) or all (ten classes, softmax); default 3,5", parseDigits);
  if (opts.classes !== false) {
    cmd.option("--classes <k>", "--dataset gaussian-mixture: classes k ≥ 2 (default 2; k ≥ 3 one-hot labels)", asOption("--classes", parsePositiveInt));
  }
  if (opts.center !== false) cmd.option("--center", "--dataset: subtract the training mean of each feature");
  return cmd.option("--standardize", "--dataset: center and divide by the training sd (constant features are only centered)");
}

/** `--digits 3,5` or `--digits all`. */
export function parseDigits(value: string): readonly [number, number] | "all" {
  if (value.trim() === "all") return "all";
  const parts = value.split(",").map((s) => s.trim());
  const v = parts.map(Number);
  if (parts.length !== 2 || parts.some((p) => !/^[0-9]+$/.test(p)) || v.some((x) => x > 9)) {
    throw new InputError("--digits", `--digits: expected two digits 0–9 as a,b (e.g. 3,5) or all, got "${value}"`);
  }
  if (v[0] === v[1]) throw new InputError("--digits", `--digits: the two digits must differ, got "${value}"`);
  return [v[0], v[1]];
}

const GENERATOR_OPTIONS = [
  ["n", "--n"],
  ["nTest", "--n-test"],
  ["d", "--d"],
  ["rank", "--rank"],
  ["classes", "--classes"],
  ["noise", "--noise"],
  ["digits", "--digits"],
  ["standardize", "--standardize"],
] as const;

/**
 * The data of a command: the file of --data (with --labels), or the data set --dataset NAME generated from
 * Rng(--seed).fork(DATASET_STREAM) with the generator options and preprocessing (data/registry.ts).
 * `source` names the data in messages; `dataset` is the JSON record {name, params, preprocessing} (null
 * for a file); `test` is the generated test part (null for a file). `labels` is the CSV/npy label spec.
 */
export function loadData(
  o: DataOptions,
  labels: "scalar" | { K: number } | "auto" = "auto",
): { train: Dataset; test: Dataset | null; dataset: DatasetMeta | null; source: string; labelSource: string } {
  if (o.dataset !== undefined) {
    if (o.data !== undefined) throw new InputError("--dataset", "--dataset: not together with --data (give one source of data)");
    if (o.labels !== undefined) throw new InputError("--labels", "--labels: only with an .npy --data, not with --dataset");
    const params: DatasetParams = {
      n: o.n,
      nTest: o.nTest,
      d: o.d,
      rank: o.rank,
      classes: o.classes,
      noise: o.noise,
      digits: o.digits,
      center: o.center,
      standardize: o.standardize,
    };
    const r = namedDataset(o.dataset, params, new Rng(o.seed ?? 0).fork(DATASET_STREAM));
    const source = `--dataset ${o.dataset}`;
    return { train: r.train, test: r.test, dataset: r.meta, source, labelSource: source };
  }
  for (const [key, flag] of GENERATOR_OPTIONS) {
    if (o[key] !== undefined) throw new InputError(flag, `${flag}: only with --dataset`);
  }
  if (o.data === undefined) throw new InputError("--data", "--data: required: give --data FILE or --dataset NAME");
  const { ds: train, labelSource } = readDataFile(o.data, o.labels, labels);
  return { train, test: null, dataset: null, source: o.data, labelSource };
}

/**
 * Data, model and loss family for a command with `addDataOptions`: the model first (its loss decides the label spec),
 * then `loadData`. Generated labels meet the model as a file's would: class indices (K = 1) become one-hot
 * for a softmax model, and the shapes and label domain are checked. `dataset` is null for --data.
 */
export function loadProblemFrom(
  o: DataOptions,
  modelPath: string,
): { ds: Dataset; model: Model; family: Family; labelSource: string; source: string; dataset: DatasetMeta | null } {
  const model = readModelFile(modelPath);
  const family = familyOf(model.loss);
  const spec = family.vector ? { K: model.K } : ("scalar" as const);
  const loaded = loadData(o, spec);
  let ds = loaded.train;
  const where = loaded.labelSource;
  if (loaded.dataset !== null) {
    if (family.vector && ds.K === 1) ds = classIndexOneHot(ds, model.K, where);
    else if (!family.vector && ds.K > 1) {
      throw new InputError(where, `${where}: ${ds.K} one-hot label columns; the model's loss ${family.name} takes one label per row (use a softmax model)`);
    }
  }
  checkModelData(model, ds.d, `${modelPath}`);
  if (family.vector && ds.K !== model.K) {
    throw new InputError(where, `${where}: ${ds.K} label columns, the model has K = ${model.K} outputs`);
  }
  checkLabels(family, ds.y, ds.n, ds.K, where);
  return { ds, model, family, labelSource: where, source: loaded.source, dataset: loaded.dataset };
}

/** How the data are named in messages before they are loaded: the --data path or "--dataset NAME". */
export function dataSource(o: DataOptions): string {
  return o.data ?? (o.dataset !== undefined ? `--dataset ${o.dataset}` : "data");
}

/** The `dataset` field of a command's JSON: {name, params, preprocessing, seed} for --dataset, nothing for --data. */
export function datasetJson(meta: DatasetMeta | null, seed: number | undefined): { dataset?: Record<string, unknown> } {
  if (meta === null) return {};
  return { dataset: { name: meta.name, params: meta.params, preprocessing: meta.preprocessing, seed: seed ?? 0 } };
}

/**
 * A data file as the commands read it: a CSV (labels in its y column(s)) or an .npy (recognised by its magic
 * bytes or name), which needs `labelsPath` (an .npy of labels; --labels by default); labels with a CSV are an
 * error. `labelSource` is the file that holds the labels, for messages about them.
 */
export function readDataFile(
  dataPath: string,
  labelsPath: string | undefined,
  spec: LabelSpec,
  labelsOption = "--labels",
  dataOption = "--data",
): { ds: Dataset; labelSource: string } {
  const npy = isNpyFile(dataPath) || /\.npy$/i.test(dataPath);
  if (npy && labelsPath === undefined) {
    readNpyFile(dataPath, "features"); // a file that cannot be read, or is not an .npy, is the first problem
    throw new InputError(
      labelsOption,
      `${labelsOption}: required with an .npy ${dataOption} (${dataPath}): give the labels as an .npy of n values (or class indices) or n×K soft labels`,
    );
  }
  if (!npy && labelsPath !== undefined) {
    throw new InputError(
      labelsOption,
      `${labelsOption}: only with an .npy ${dataOption}; ${dataPath} is read as a CSV, whose labels are its y column(s)`,
    );
  }
  const ds = npy ? readNpyDataset(dataPath, labelsPath!, spec) : readCsvFile(dataPath, { labels: spec });
  return { ds, labelSource: npy ? labelsPath! : dataPath };
}
