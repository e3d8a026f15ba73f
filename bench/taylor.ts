/**
 * `npm run bench` (second part): Lemma 3.1's Taylor terms at scale (n = 100,000, d = 100) for two-layer
 * nets with m = 64 (ReLU and tanh, logistic loss) and linear softmax with K = 10, timed as the library
 * computes them (taylorTermsParallel on the machine's threads, and taylorTerms in this thread), against
 * the naive pairwise double sum (taylorTermsPairwise, O(K·d²) per pair) timed on a subsample of pairs and
 * extrapolated to all n² pairs. The subsample also gives an estimate of R1 with its sampling spread, to
 * compare with the full value. Never run by the tests; numbers are for reading.
 */
import { availableParallelism, loadavg } from "node:os";
import { makeDataset, type Dataset } from "../src/core/dataset.js";
import { Rng } from "../src/core/rng.js";
import { shareArray, sharedFloat64Array } from "../src/core/shared.js";
import { family as familyOf } from "../src/losses/index.js";
import { m1 as m1Of, m2 as m2Of } from "../src/mixing/dtilde.js";
import { linearModel, twoLayerModel } from "../src/models/index.js";
import type { Model } from "../src/models/types.js";
import { closeTaylorWorkers, taylorTerms, taylorTermsPairwise, taylorTermsParallel, type TaylorTerms } from "../src/taylor/index.js";

const N = 100_000;
const D = 100;
const ALPHA = 1;

function normals(rng: Rng, k: number, scale: number): Float64Array {
  return Float64Array.from({ length: k }, () => scale * rng.normal());
}

/**
 * X ~ N(0, I); labels from a random linear teacher plus noise: binary (K = 1) or one-hot argmax (K > 1).
 * X and y on shared memory, as the data readers give them: the workers read them without a copy (a plain
 * X of 80 MB would be copied once per call, ~70 ms; core/shared.ts).
 */
function dataset(rng: Rng, n: number, d: number, K: number): Dataset {
  const X = shareArray(normals(rng, n * d, 1));
  const T = normals(rng, Math.max(K, 1) * d, 1 / Math.sqrt(d));
  const y = sharedFloat64Array(n * K);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let arg = 0;
    for (let k = 0; k < K; k++) {
      let s = 0.5 * rng.normal();
      for (let j = 0; j < d; j++) s += T[k * d + j] * X[i * d + j];
      if (K === 1) y[i] = s > 0 ? 1 : 0;
      else if (k === 0 || s > best) [best, arg] = [s, k];
    }
    if (K > 1) y[i * K + arg] = 1;
  }
  return makeDataset(X, y, n, d, K);
}

function seconds(f: () => void): number {
  const t0 = performance.now();
  f();
  return (performance.now() - t0) / 1000;
}

async function secondsAsync(f: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await f();
  return (performance.now() - t0) / 1000;
}

function sameBytes(a: TaylorTerms, b: TaylorTerms): boolean {
  return (Object.keys(a) as Array<keyof TaylorTerms>).every((k) => Object.is(a[k], b[k]));
}

/** Row i followed by `partners` rows drawn uniformly (with replacement) from all n: row 0's pairs. */
function withPartners(rng: Rng, ds: Dataset, i: number, partners: number): Dataset {
  const { n, d, K } = ds;
  const X = new Float64Array((partners + 1) * d);
  const y = new Float64Array((partners + 1) * K);
  for (let r = 0; r <= partners; r++) {
    const j = r === 0 ? i : rng.int(n);
    X.set(ds.X.subarray(j * d, (j + 1) * d), r * d);
    y.set(ds.y.subarray(j * K, (j + 1) * K), r * K);
  }
  return makeDataset(X, y, partners + 1, d, K);
}

async function bench(name: string, ds: Dataset, model: Model, rows: number, partners: number): Promise<void> {
  const fam = familyOf(model.loss);
  const workers = availableParallelism();
  await taylorTermsParallel(ds, model, fam, ALPHA, ALPHA, { workers }); // warm-up (JIT, threads)
  let par: TaylorTerms | null = null;
  let tPar = Infinity;
  for (let k = 0; k < 3; k++) {
    tPar = Math.min(tPar, await secondsAsync(async () => (par = await taylorTermsParallel(ds, model, fam, ALPHA, ALPHA, { workers }))));
  }
  let one: TaylorTerms | null = null;
  taylorTerms(ds, model, fam, ALPHA, ALPHA);
  let tOne = Infinity;
  for (let k = 0; k < 3; k++) tOne = Math.min(tOne, seconds(() => (one = taylorTerms(ds, model, fam, ALPHA, ALPHA))));
  const t = par!;

  // naive baseline: the pairwise double sum for `rows` random rows, each against its own `partners` random
  // partners (independent draws, so the spread of the per-row values gives an honest standard error)
  const rng = new Rng(99);
  const subs = Array.from({ length: rows }, () => withPartners(rng, ds, rng.int(ds.n), partners));
  const m1 = m1Of(ALPHA, ALPHA);
  const m2 = m2Of(ALPHA, ALPHA);
  const r1: number[] = [];
  const r2: number[] = [];
  taylorTermsPairwise(subs[0], model, fam, m1, m2, [0]); // warm-up
  const tPw = seconds(() => {
    for (const sub of subs) {
      const pw = taylorTermsPairwise(sub, model, fam, m1, m2, [0]);
      r1.push(pw.R1);
      r2.push(pw.R2);
    }
  });
  const pairs = rows * (partners + 1);
  const perPair = tPw / pairs;
  const all = perPair * ds.n * ds.n;
  const est = (v: number[]) => {
    const mean = v.reduce((s, x) => s + x, 0) / v.length;
    const sd = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / (v.length - 1));
    return { mean, se: sd / Math.sqrt(v.length) };
  };
  const e1 = est(r1);
  const e2 = est(r2);
  const g = (x: number) => x.toPrecision(6);
  console.log(`\n${name}`);
  console.log(
    `  library: ${tPar.toFixed(3)} s on ${workers} threads (taylorTermsParallel, best of 3 after a warm-up); ` +
      `${tOne.toFixed(3)} s in one thread (taylorTerms); same bytes: ${sameBytes(t, one!)}`,
  );
  console.log(`  L_std = ${g(t.standardLoss)}, R1 = ${g(t.R1)}, R2 = ${g(t.R2)}, R3 = ${g(t.R3)} (α = β = ${ALPHA})`);
  console.log(
    `  naive pairwise double sum (taylorTermsPairwise, O(K·d²) per pair): ${(perPair * 1e6).toFixed(2)} µs/pair on ` +
      `${rows} random rows × ${partners} random partners each (${tPw.toFixed(2)} s) → all n² = ${(ds.n * ds.n).toExponential(0)} pairs ≈ ` +
      `${all.toExponential(2)} s (${(all / 3600).toFixed(1)} h) → ratio ${(all / tPar).toExponential(2)}× (${(all / tOne).toExponential(2)}× in one thread)`,
  );
  const z1 = (e1.mean - t.R1) / e1.se;
  const z2 = (e2.mean - t.R2) / e2.se;
  console.log(
    `  subsample estimates: R1 ≈ ${g(e1.mean)} ± ${e1.se.toPrecision(2)} (full ${g(t.R1)}, ${z1.toFixed(1)} s.e.), ` +
      `R2 ≈ ${g(e2.mean)} ± ${e2.se.toPrecision(2)} (full ${g(t.R2)}, ${z2.toFixed(1)} s.e.)` +
      (Math.abs(z1) > 3 || Math.abs(z2) > 3 ? "  ← more than 3 s.e. apart" : "  (consistent)"),
  );
}

const rng = new Rng(2025);
const [l1, l5] = loadavg();
console.log(
  `\nTaylor terms of Lemma 3.1 at scale: n = ${N}, d = ${D}, ${availableParallelism()} hardware threads, load average ${l1.toFixed(1)} (1 min), ${l5.toFixed(1)} (5 min)`,
);
{
  const ds = dataset(rng, N, D, 1);
  const m = 64;
  for (const activation of ["relu", "tanh"] as const) {
    const model = twoLayerModel({
      W: normals(rng, m * D, 1 / Math.sqrt(D)),
      m,
      V: normals(rng, m, 1 / Math.sqrt(m)),
      b: normals(rng, m, 0.1),
      activation,
      loss: "logistic",
    });
    await bench(`two-layer ${activation} net, m = ${m}, logistic loss`, ds, model, 100, 400);
  }
}
{
  const K = 10;
  const ds = dataset(rng, N, D, K);
  const model = linearModel({ theta: normals(rng, K * D, 1 / Math.sqrt(D)), K, bias: normals(rng, K, 0.1), loss: "softmax" });
  await bench(`linear softmax, K = ${K}`, ds, model, 40, 250);
}
closeTaylorWorkers();
