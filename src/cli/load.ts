import { readFileSync } from "node:fs";
import type { Dataset } from "../core/dataset.js";
import { InputError } from "../core/errors.js";
import { isNpyFile, readCsvFile, readNpyDataset, readNpyFile, type LabelSpec } from "../data/index.js";
import { checkLabels, family as familyOf } from "../losses/index.js";
import type { Family } from "../losses/types.js";
import { checkModelData, parseModel } from "../models/index.js";
import type { Model } from "../models/types.js";

/** Read and validate a model JSON file. */
export function readModelFile(path: string): Model {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new InputError(path, `${path}: cannot read file (${(e as NodeJS.ErrnoException).code ?? "error"})`);
  }
  // a UTF-8 byte order mark (Windows editors write one) is not JSON; the CSV reader accepts it too
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(path, `${path}: invalid JSON (${(e as Error).message})`);
  }
  return parseModel(json, path);
}

/**
 * Data, model and loss family for a command: the model is read first (its loss decides whether the
 * data hold a scalar label or K classes), then the data, then the shapes and label domain are checked.
 * `dataPath` is a CSV (labels in its y column(s)) or an .npy file (recognised by its magic bytes),
 * which needs `labelsPath` (an .npy of labels; --labels); --labels with a CSV is an error.
 * `labelSource` is the file that holds the labels, for messages about them.
 */
export function loadProblem(
  dataPath: string,
  modelPath: string,
  labelsPath?: string,
): { ds: Dataset; model: Model; family: Family; labelSource: string } {
  const model = readModelFile(modelPath);
  const family = familyOf(model.loss);
  const spec = family.vector ? { K: model.K } : ("scalar" as const);
  const { ds, labelSource } = readDataFile(dataPath, labelsPath, spec);
  checkModelData(model, ds.d, `${modelPath}`);
  if (family.vector && ds.K !== model.K) {
    throw new InputError(labelSource, `${labelSource}: ${ds.K} label columns, the model has K = ${model.K} outputs`);
  }
  checkLabels(family, ds.y, ds.n, ds.K, labelSource);
  return { ds, model, family, labelSource };
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
