import { readFileSync } from "node:fs";
import type { Dataset } from "../core/dataset.js";
import { InputError } from "../core/errors.js";
import { readCsvFile } from "../data/index.js";
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
 * CSV holds a scalar label or K classes), then the data, then the shapes and label domain are checked.
 */
export function loadProblem(dataPath: string, modelPath: string): { ds: Dataset; model: Model; family: Family } {
  const model = readModelFile(modelPath);
  const family = familyOf(model.loss);
  const ds = readCsvFile(dataPath, { labels: family.vector ? { K: model.K } : "scalar" });
  checkModelData(model, ds.d, `${modelPath}`);
  if (family.vector && ds.K !== model.K) {
    throw new InputError(dataPath, `${dataPath}: ${ds.K} label columns, the model has K = ${model.K} outputs`);
  }
  checkLabels(family, ds.y, ds.n, ds.K, dataPath);
  return { ds, model, family };
}
