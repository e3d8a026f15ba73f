import { makeDataset, type Dataset } from "../core/dataset.js";
import { InputError } from "../core/errors.js";
import { parseModel } from "../models/json.js";
import type { Model } from "../models/types.js";

/**
 * A Dataset from plain arrays, for users not working with typed arrays (docs/api.md, "Plain arrays"):
 * X is n rows of d numbers; y is n labels, or n rows of K soft/one-hot labels (softmax). Every number must be
 * finite and the rows rectangular; a problem is an InputError naming the row.
 */
export function fromArrays(X: readonly (readonly number[])[], y: readonly number[] | readonly (readonly number[])[], source = "fromArrays"): Dataset {
  const n = X.length;
  if (n === 0) throw new InputError(source, `${source}: X has no rows`);
  const d = X[0].length;
  if (d === 0) throw new InputError(source, `${source}: row 1 of X has no features`);
  if (y.length !== n) throw new InputError(source, `${source}: X has ${n} rows, y has ${y.length}`);
  const K = Array.isArray(y[0]) ? (y[0] as readonly number[]).length : 1;
  const Xf = new Float64Array(n * d);
  const yf = new Float64Array(n * K);
  for (let i = 0; i < n; i++) {
    const row = X[i];
    if (row.length !== d) throw new InputError(source, `${source}: row ${i + 1} of X has ${row.length} values, row 1 has ${d}`);
    for (let k = 0; k < d; k++) {
      if (!Number.isFinite(row[k])) throw new InputError(source, `${source}: row ${i + 1} of X: ${row[k]} is not a finite number`);
      Xf[i * d + k] = row[k];
    }
    const yi = y[i];
    const labels: readonly number[] = Array.isArray(yi) ? (yi as readonly number[]) : [yi as number];
    if (labels.length !== K) throw new InputError(source, `${source}: label row ${i + 1} has ${labels.length} values, row 1 has ${K}`);
    for (let k = 0; k < K; k++) {
      if (!Number.isFinite(labels[k])) throw new InputError(source, `${source}: label ${i + 1}: ${labels[k]} is not a finite number`);
      yf[i * K + k] = labels[k];
    }
  }
  return makeDataset(Xf, yf, n, d, K, { source });
}

/**
 * A model from the JSON the CLI reads (an object, or its text; a leading byte order mark is dropped, as the CLI
 * does): docs/cli.md, "Model: JSON". Malformed text is an InputError naming `source`.
 */
export function modelFromJson(json: unknown, source = "model"): Model {
  if (typeof json !== "string") return parseModel(json, source);
  const text = json.charCodeAt(0) === 0xfeff ? json.slice(1) : json;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new InputError(source, `${source}: invalid JSON (${(e as Error).message})`);
  }
  return parseModel(parsed, source);
}
