import { basename, dirname } from "node:path";
import type { Command } from "commander";
import type { Dataset } from "../core/dataset.js";
import { InputError } from "../core/errors.js";
import { DATASET_NAMES, npyFloat64, writeCsv } from "../data/index.js";
import { asOption, checkWritableDir, parseNonNegativeInt, writeFilesAtomic } from "./io/index.js";
import { stringifyStrict } from "./json.js";
import { addDataOptions, datasetJson, loadData, type DataOptions } from "./load.js";

interface DataCommandOptions extends DataOptions {
  out: string;
  testOut?: string;
  labelsOut?: string;
  testLabelsOut?: string;
  json?: boolean;
}

/** `mixup-theory data NAME`: write a generated data set (train, and optionally test) as CSV or .npy. */
export function registerData(program: Command, out: (s: string) => void): void {
  const cmd = program
    .command("data")
    .description(`write a generated data set (${DATASET_NAMES.join(", ")}) as CSV or .npy, for --data`)
    .argument("<name>", DATASET_NAMES.join(" | "));
  addDataOptions(cmd)
    .option("--seed <s>", "seed of the generator", asOption("--seed", parseNonNegativeInt), 0)
    .requiredOption("--out <file>", "the training set: FILE.csv (header x1..xd, then y or y0..y{K-1}) or FILE.npy (n×d float64, with --labels-out)")
    .option("--labels-out <file>", "with an .npy --out: the labels .npy (n values, or n×K one-hot)")
    .option("--test-out <file>", "the test set (--n-test rows), .csv or .npy")
    .option("--test-labels-out <file>", "with an .npy --test-out: its labels .npy")
    .option("--json", "print one JSON object describing what was written")
    .action((name: string, o: DataCommandOptions) => {
      out(dataCommand(name, o));
    });
}

type Format = "csv" | "npy";

function formatOf(option: string, path: string): Format {
  if (/\.csv$/i.test(path)) return "csv";
  if (/\.npy$/i.test(path)) return "npy";
  throw new InputError(option, `${option}: ${path}: the file name must end in .csv or .npy`);
}

/** The files of one part: [path, bytes] pairs; an .npy part needs its labels file, a CSV part must not have one. */
function planPart(ds: Dataset, path: string, labelsPath: string | undefined, option: string, labelsOption: string): Array<[string, string | Uint8Array]> {
  const format = formatOf(option, path);
  if (format === "csv") {
    if (labelsPath !== undefined) throw new InputError(labelsOption, `${labelsOption}: only with an .npy ${option}; a CSV holds its labels in its y column(s)`);
    return [[path, writeCsv(ds)]];
  }
  if (labelsPath === undefined) throw new InputError(labelsOption, `${labelsOption}: required with an .npy ${option} (${path})`);
  if (!/\.npy$/i.test(labelsPath)) throw new InputError(labelsOption, `${labelsOption}: ${labelsPath}: the labels of an .npy are an .npy`);
  const labelShape = ds.K === 1 ? [ds.n] : [ds.n, ds.K];
  return [
    [path, npyFloat64(ds.X, [ds.n, ds.d])],
    [labelsPath, npyFloat64(ds.y, labelShape)],
  ];
}

export function dataCommand(name: string, o: DataCommandOptions): string {
  if (o.data !== undefined) throw new InputError("--data", "--data: not with the data command, which writes a generated data set (give its NAME)");
  // the names and writability first, so a bad --out fails before any work
  const files: Array<[string, string]> = [[o.out, "--out"]];
  formatOf("--out", o.out);
  if (o.labelsOut !== undefined) files.push([o.labelsOut, "--labels-out"]);
  if (o.testOut !== undefined) {
    formatOf("--test-out", o.testOut);
    files.push([o.testOut, "--test-out"]);
  } else if (o.testLabelsOut !== undefined) throw new InputError("--test-labels-out", "--test-labels-out: only with --test-out");
  if (o.testLabelsOut !== undefined) files.push([o.testLabelsOut, "--test-labels-out"]);
  for (const [path, option] of files) checkWritableDir(dirname(path), [basename(path)], option);
  const loaded = loadData({ ...o, dataset: name });
  const test = loaded.test!;
  const plan = planPart(loaded.train, o.out, o.labelsOut, "--out", "--labels-out");
  if (o.testOut !== undefined) {
    if (test.n === 0) throw new InputError("--test-out", "--test-out: the test set is empty (--n-test 0)");
    plan.push(...planPart(test, o.testOut, o.testLabelsOut, "--test-out", "--test-labels-out"));
  }
  writeFilesAtomic(plan);
  const record = {
    ...datasetJson(loaded.dataset, o.seed),
    train: { file: o.out, ...(o.labelsOut ? { labels: o.labelsOut } : {}), n: loaded.train.n, d: loaded.train.d, K: loaded.train.K },
    ...(o.testOut !== undefined
      ? { test: { file: o.testOut, ...(o.testLabelsOut ? { labels: o.testLabelsOut } : {}), n: test.n, d: test.d, K: test.K } }
      : {}),
  };
  if (o.json) return stringifyStrict(record) + "\n";
  const line = (part: string, ds: Dataset, file: string) => `${part}: ${ds.n} rows × ${ds.d} features, ${ds.K === 1 ? "one label column" : `${ds.K} one-hot label columns`} → ${file}`;
  const lines = [`mixup-theory data ${name} (seed ${o.seed ?? 0})`, line("train", loaded.train, o.out)];
  if (o.testOut !== undefined) lines.push(line("test", test, o.testOut));
  return lines.join("\n") + "\n";
}
