/**
 * fast-check arbitraries for the library's inputs (`mixup-theory/arbitraries`; docs/api.md, "Property tests"):
 * data sets, models and (α, β) pairs. They shrink toward small, readable instances: few rows, small integer
 * coordinates (a multiple of ¼), weights on a grid of ¼, shapes from a short list of round values first.
 * fast-check is a peer dependency: these arbitraries belong to the user's fast-check, so they work with
 * `fc.assert` and `@fast-check/vitest`'s `test.prop`.
 */
import fc from "fast-check";
import { makeDataset, type Dataset } from "../core/dataset.js";
import { linearModel, twoLayerModel } from "../models/make.js";
import type { LossName } from "../losses/types.js";
import { predict } from "../models/index.js";
import type { Activation, Model } from "../models/types.js";

/** A coordinate or weight: an integer −k..k times ¼ (shrinks toward 0). */
function quarter(k: number): fc.Arbitrary<number> {
  return fc.integer({ min: -k, max: k }).map((v) => v / 4);
}

/** (α, β) pairs: round values first (1, ½, 2, …), then log-uniform in [lo, hi], both < 1 and large; β = α if `symmetric`. */
export function alphaBeta(o: { lo?: number; hi?: number; symmetric?: boolean } = {}): fc.Arbitrary<{ alpha: number; beta: number }> {
  const lo = o.lo ?? 1e-2;
  const hi = o.hi ?? 1e2;
  const shape = fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(...[1, 0.5, 2, 0.2, 5, 0.1, 10].filter((v) => v >= lo && v <= hi)) },
    { weight: 2, arbitrary: fc.double({ min: Math.log(lo), max: Math.log(hi), noNaN: true }).map(Math.exp) },
  );
  if (o.symmetric) return shape.map((a) => ({ alpha: a, beta: a }));
  return fc.tuple(shape, shape).map(([alpha, beta]) => ({ alpha, beta }));
}

export interface DatasetConstraints {
  /** rows [min, max] (default [2, 12]); centered data have an even n */
  readonly n?: readonly [number, number];
  /** features [min, max] (default [1, 4]) */
  readonly d?: readonly [number, number];
  /** the loss whose labels to draw (default logistic: {0, 1}; squared: −3..3; poisson: 0..5; softmax: one-hot) */
  readonly loss?: LossName;
  /** softmax classes (default 3) */
  readonly K?: number;
  /** exactly centered data: rows in ± pairs (Theorems 3.1/3.2's assumption (a)) */
  readonly centered?: boolean;
  /** every row has ‖x‖ ≥ normFloor (a zero row makes c_x = 0) */
  readonly normFloor?: number;
}

/** The labels of one row for a loss, as numbers (K of them for softmax). */
function labelArb(loss: LossName, K: number): fc.Arbitrary<number[]> {
  if (loss === "softmax") return fc.integer({ min: 0, max: K - 1 }).map((c) => Array.from({ length: K }, (_, k) => (k === c ? 1 : 0)));
  if (loss === "squared") return fc.integer({ min: -3, max: 3 }).map((v) => [v]);
  if (loss === "poisson") return fc.integer({ min: 0, max: 5 }).map((v) => [v]);
  return fc.integer({ min: 0, max: 1 }).map((v) => [v]);
}

/** Lift a row to norm ≥ floor by scaling (a zero row becomes floor·e₁). */
function withFloor(row: number[], floor: number): number[] {
  const norm = Math.hypot(...row);
  if (norm >= floor) return row;
  if (norm === 0) return row.map((_, k) => (k === 0 ? floor : 0));
  return row.map((v) => (v * floor) / norm);
}

/** Data sets with the promised shape, centering, norm floor and labels. */
export function dataset(c: DatasetConstraints = {}): fc.Arbitrary<Dataset> {
  const [nLo, nHi] = c.n ?? [2, 12];
  const [dLo, dHi] = c.d ?? [1, 4];
  const loss = c.loss ?? "logistic";
  const K = loss === "softmax" ? (c.K ?? 3) : 1;
  const floor = c.normFloor ?? 0;
  return fc.integer({ min: dLo, max: dHi }).chain((d) => {
    const rows = c.centered
      ? fc.integer({ min: Math.max(1, Math.ceil(nLo / 2)), max: Math.max(1, Math.floor(nHi / 2)) })
      : fc.integer({ min: nLo, max: nHi });
    return rows.chain((m) => {
      const n = c.centered ? 2 * m : m;
      return fc.tuple(
        fc.array(fc.array(quarter(12), { minLength: d, maxLength: d }), { minLength: m, maxLength: m }),
        fc.array(labelArb(loss, K), { minLength: n, maxLength: n }),
      ).map(([xs, ys]) => {
        const base = xs.map((r) => withFloor(r, floor));
        const X = c.centered ? base.flatMap((r) => [r, r.map((v) => -v)]) : base;
        return makeDataset(Float64Array.from(X.flat()), Float64Array.from(ys.flat()), n, d, K, { source: "arbitrary" });
      });
    });
  });
}

/** Linear models θ (and a bias if asked) on a ¼ grid. */
export function linear(d: number, o: { bias?: boolean; loss?: LossName; K?: number } = {}): fc.Arbitrary<Model> {
  const K = o.K ?? 1;
  return fc.tuple(fc.array(quarter(8), { minLength: K * d, maxLength: K * d }), fc.array(quarter(8), { minLength: K, maxLength: K })).map(([theta, b]) =>
    linearModel({ theta, K, bias: o.bias ? b : null, loss: o.loss ?? "logistic" }),
  );
}

/** Two-layer nets with m hidden units (default 2–4), with or without biases. */
export function twoLayer(d: number, o: { m?: readonly [number, number]; bias?: boolean; activation?: Activation; loss?: LossName } = {}): fc.Arbitrary<Model> {
  const [mLo, mHi] = o.m ?? [2, 4];
  return fc.integer({ min: mLo, max: mHi }).chain((m) =>
    fc
      .record({
        W: fc.array(quarter(8), { minLength: m * d, maxLength: m * d }),
        V: fc.array(quarter(8), { minLength: m, maxLength: m }),
        b: fc.array(quarter(4), { minLength: m, maxLength: m }),
        c: quarter(4),
      })
      .map((p) =>
        twoLayerModel({ W: p.W, m, V: p.V, b: o.bias ? p.b : null, c: o.bias ? [p.c] : null, activation: o.activation ?? "relu", loss: o.loss ?? "logistic" }),
      ),
  );
}

/**
 * A data set and a model for Theorems 3.1/3.2 (docs/theory.md §3.6): centered data with a norm floor, and,
 * unless `inTheta: false`, labels set from the model's sign (y_i = 1 iff f(x_i) > 0) so that θ ∈ Θ. A row with
 * f(x_i) = 0 exactly is on neither side; the claims report it as an unmet assumption.
 */
export function problem(o: {
  model: "linear" | "relu";
  centered?: boolean;
  normFloor?: number;
  inTheta?: boolean;
  /** biases on the model (default false: the theorems' homogeneous models) */
  bias?: boolean;
  n?: readonly [number, number];
  d?: readonly [number, number];
}): fc.Arbitrary<{ ds: Dataset; model: Model }> {
  const data = dataset({ n: o.n ?? [2, 10], d: o.d ?? [1, 3], centered: o.centered ?? true, normFloor: o.normFloor ?? 0.25 });
  return data.chain((ds) => {
    const model = o.model === "linear" ? linear(ds.d, { bias: o.bias }) : twoLayer(ds.d, { bias: o.bias });
    return model.map((m) => {
      if (o.inTheta === false) return { ds, model: m };
      const y = new Float64Array(ds.n);
      const f = predict(m, ds.X, ds.n);
      for (let i = 0; i < ds.n; i++) y[i] = f[i] > 0 ? 1 : 0;
      return { ds: { ...ds, y }, model: m };
    });
  });
}
