import { featureStats, type Dataset } from "../core/dataset.js";
import { InputError } from "../core/errors.js";
import { sharedFloat64Array } from "../core/shared.js";

export interface PreprocessOptions {
  /** subtract the training mean of each feature */
  readonly center?: boolean;
  /** subtract the training mean and divide by the training standard deviation (implies centering) */
  readonly standardize?: boolean;
}

/** What was done, as recorded in every output (`preprocessing`). */
export interface PreprocessingRecord {
  /** the features were centered (by --center or as part of --standardize) */
  readonly center: boolean;
  readonly standardize: boolean;
  /** features constant on the training set (min = max, e.g. MNIST's border pixels): only centered, never scaled */
  readonly constantFeatures: number;
}

/** The training statistics, to apply the same map to test data. */
export interface PreprocessStats {
  readonly record: PreprocessingRecord;
  /** per-feature shift (the training mean, or 0 when not centering) */
  readonly shift: Float64Array;
  /** per-feature divisor (the training population sd, or 1: not standardizing, or a constant feature) */
  readonly scale: Float64Array;
}

/**
 * Center and/or standardize with statistics of `train`: x → (x − x̄)/s per feature, x̄ the training mean,
 * s the population standard deviation (featureStats). A feature constant on the training set (min = max)
 * has s = 0: it is only centered (to exactly 0), so no division by zero. Labels are not touched.
 * Without options the data are returned as they are (record all false).
 */
export function preprocess(train: Dataset, opts: PreprocessOptions = {}): { data: Dataset; stats: PreprocessStats } {
  const standardize = opts.standardize === true;
  const center = opts.center === true || standardize;
  const d = train.d;
  const shift = new Float64Array(d);
  const scale = new Float64Array(d).fill(1);
  let constantFeatures = 0;
  if (train.n > 0) {
    const s = featureStats(train);
    for (let k = 0; k < d; k++) {
      const constant = s.min[k] === s.max[k];
      if (constant) constantFeatures++;
      if (center) shift[k] = constant ? s.min[k] : s.mean[k];
      if (standardize && !constant) scale[k] = s.std[k];
    }
  }
  const stats: PreprocessStats = { record: { center, standardize, constantFeatures }, shift, scale };
  return { data: center ? applyPreprocessing(train, stats) : train, stats };
}

/** The map fitted by `preprocess` applied to other data (a test set) with the same d; a new Dataset. */
export function applyPreprocessing(ds: Dataset, stats: PreprocessStats): Dataset {
  const { shift, scale } = stats;
  if (ds.d !== shift.length) {
    throw new InputError(ds.source ?? "data", `${ds.source ?? "data"}: ${ds.d} features, the preprocessing was fitted on ${shift.length}`);
  }
  if (!stats.record.center) return ds;
  const { n, d } = ds;
  const X = sharedFloat64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) X[i * d + k] = (ds.X[i * d + k] - shift[k]) / scale[k];
  }
  return { ...ds, X };
}
