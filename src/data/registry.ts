import { classIndexOneHot } from "./oneHot.js";
import { InputError } from "../core/errors.js";
import type { Dataset } from "../core/dataset.js";
import type { Rng } from "../core/rng.js";
import { sharedFloat64Array } from "../core/shared.js";
import { lowRankGaussian } from "./lowRank.js";
import { mnistDataset } from "./mnist.js";
import { gaussianMixture } from "./mixture.js";
import { applyPreprocessing, preprocess, type PreprocessingRecord } from "./preprocess.js";
import { twoMoons } from "./synthetic.js";

/** The data sets `namedDataset` (and the CLI's --dataset) knows. */
export const DATASET_NAMES = ["two-moons", "gaussian-mixture", "low-rank-gaussian", "mnist"] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

/** Parameters of a named data set; each applies where it makes sense (the meta lists those used). */
export interface DatasetParams {
  /** training rows (default 200; mnist: all the chosen images but the test rows) */
  readonly n?: number;
  /** test rows (default n; mnist: ⌊N/5⌋) */
  readonly nTest?: number;
  /** features (gaussian-mixture default 2, low-rank-gaussian default 20) */
  readonly d?: number;
  /** low-rank-gaussian: rank r ≤ d (default 2) */
  readonly rank?: number;
  /** gaussian-mixture: classes k ≥ 2 (default 2) */
  readonly classes?: number;
  /** two-moons: noise sd (default 0.1) */
  readonly noise?: number;
  /** gaussian-mixture: pairwise distance of the means (default 2) */
  readonly separation?: number;
  /** gaussian-mixture: per-coordinate sd (default 1) */
  readonly std?: number;
  /** low-rank-gaussian: teacher logit scale (default 2) */
  readonly scale?: number;
  /** mnist: [a, b] or "all" (default [3, 5]) */
  readonly digits?: readonly [number, number] | "all";
  readonly center?: boolean;
  readonly standardize?: boolean;
}

export interface DatasetMeta {
  readonly name: DatasetName;
  /** every parameter the generator used, defaults filled in */
  readonly params: Record<string, number | string | number[]>;
  readonly preprocessing: PreprocessingRecord;
}

/**
 * A named data set, train and test, from `rng` only; then --center/--standardize fitted on train and
 * applied to both (preprocess.ts).
 * - two-moons: twoMoons with i.i.d. uniform angles, shuffled; train from rng.fork(1), test from rng.fork(2).
 * - gaussian-mixture: gaussianMixture (train rng.fork(1), test rng.fork(2)); k = 2: labels {0, 1} (K = 1);
 *   k ≥ 3: one-hot labels (K = k, softmax).
 * - low-rank-gaussian: one lowRankGaussian draw of n + nTest rows from rng.fork(1) (train and test share U
 *   and the teacher), the first n rows train, the rest test.
 * - mnist: mnistDataset(rng.fork(1)); binary labels (K = 1) or ten one-hot classes (K = 10).
 * Unknown names and bad parameters are InputErrors naming the CLI option (--dataset, --digits, --rank, …).
 */
export function namedDataset(name: string, params: DatasetParams, rng: Rng): { train: Dataset; test: Dataset; meta: DatasetMeta } {
  if (!(DATASET_NAMES as readonly string[]).includes(name)) {
    throw new InputError("--dataset", `--dataset: unknown data set "${name}" (one of ${DATASET_NAMES.join(", ")})`);
  }
  const p = params;
  const raw = generate(name as DatasetName, p, rng);
  const { data: train, stats } = preprocess(raw.train, { center: p.center, standardize: p.standardize });
  const test = applyPreprocessing(raw.test, stats);
  return { train, test, meta: { name: name as DatasetName, params: raw.params, preprocessing: stats.record } };
}

function generate(name: DatasetName, p: DatasetParams, rng: Rng): { train: Dataset; test: Dataset; params: DatasetMeta["params"] } {
  if (name === "mnist") {
    if (p.n !== undefined) count("--n", p.n, 1);
    if (p.nTest !== undefined) count("--n-test", p.nTest, 0);
    const digits = p.digits ?? [3, 5];
    if (digits !== "all") {
      for (const v of digits) if (!(Number.isInteger(v) && v >= 0 && v <= 9)) throw new InputError("--digits", `--digits: ${v} is not a digit 0–9`);
      if (digits[0] === digits[1]) throw new InputError("--digits", `--digits: the two digits must differ, got ${digits[0]},${digits[1]}`);
    }
    let r: { train: Dataset; test: Dataset };
    try {
      r = mnistDataset(rng.fork(1), { digits, nTrain: p.n, nTest: p.nTest });
    } catch (e) {
      if (e instanceof InputError && e.where === "nTrain") throw new InputError("--n", e.message.replace(/^nTrain \+ nTest/, "--n + --n-test"));
      throw e;
    }
    return { ...r, params: { n: r.train.n, nTest: r.test.n, digits: digits === "all" ? "all" : [digits[0], digits[1]] } };
  }
  const n = count("--n", p.n ?? 200, 1);
  const nTest = count("--n-test", p.nTest ?? n, 0);
  if (name === "two-moons") {
    const noise = nonNegative("--noise", p.noise ?? 0.1);
    const make = (k: number, m: number) => twoMoons(rng.fork(k), m, noise, { angles: "uniform", shuffle: true });
    return { train: make(1, n), test: nTest > 0 ? make(2, nTest) : emptyLike(2, 1, "twoMoons"), params: { n, nTest, noise, angles: "uniform" } };
  }
  if (name === "gaussian-mixture") {
    const d = count("--d", p.d ?? 2, 1);
    const classes = count("--classes", p.classes ?? 2, 2);
    if (classes > 2 && d < classes - 1) {
      throw new InputError("--classes", `--classes: ${classes} equidistant class means need --d ≥ ${classes - 1}, got --d ${d}`);
    }
    const separation = nonNegative("--separation", p.separation ?? 2);
    const std = nonNegative("--std", p.std ?? 1);
    const make = (k: number, m: number) => mixtureLabels(gaussianMixture(rng.fork(k), m, d, { k: classes, separation, std }), classes);
    return {
      train: make(1, n),
      test: nTest > 0 ? make(2, nTest) : emptyLike(d, classes > 2 ? classes : 1, "gaussianMixture"),
      params: { n, nTest, d, classes, separation, std },
    };
  }
  const d = count("--d", p.d ?? 20, 1);
  const rank = count("--rank", p.rank ?? 2, 1);
  if (rank > d) throw new InputError("--rank", `--rank: ${rank} exceeds the dimension --d ${d}`);
  const scale = p.scale ?? 2;
  if (!Number.isFinite(scale)) throw new InputError("--scale", `--scale: expected a finite number, got ${scale}`);
  const all = lowRankGaussian(rng.fork(1), n + nTest, d, rank, { scale });
  return { train: rows(all, 0, n, "train"), test: rows(all, n, n + nTest, "test"), params: { n, nTest, d, rank, scale } };
}

function count(option: string, v: number, min: number): number {
  if (!(Number.isSafeInteger(v) && v >= min)) throw new InputError(option, `${option}: expected an integer ≥ ${min}, got ${v}`);
  return v;
}

function nonNegative(option: string, v: number): number {
  if (!(Number.isFinite(v) && v >= 0)) throw new InputError(option, `${option}: expected a finite number ≥ 0, got ${v}`);
  return v;
}

/** Rows [a, b) of ds as a new Dataset on shared memory. */
function rows(ds: Dataset, a: number, b: number, part: string): Dataset {
  const X = sharedFloat64Array((b - a) * ds.d);
  X.set(ds.X.subarray(a * ds.d, b * ds.d));
  const y = sharedFloat64Array((b - a) * ds.K);
  y.set(ds.y.subarray(a * ds.K, b * ds.K));
  return { ...ds, n: b - a, X, y, source: `${ds.source} ${part}` };
}

function emptyLike(d: number, K: number, source: string): Dataset {
  return { n: 0, d, K, X: sharedFloat64Array(0), y: sharedFloat64Array(0), source: `${source} test` };
}

/** Class-index labels 0..k−1 as k one-hot columns when k ≥ 3 (softmax); k = 2 stays one {0, 1} column. */
function mixtureLabels(ds: Dataset, k: number): Dataset {
  return k <= 2 ? ds : classIndexOneHot(ds, k, ds.source ?? "gaussianMixture");
}
