/**
 * The contract of the exact methods for huge inputs (docs/cli.md, "Huge inputs"; docs/numerics.md).
 *
 * L_mix is an average, but the exact methods first sum the n² pair integrals, their ∫|l| and their error
 * estimates, and only then divide by n² (pairs: sumPairs/reduceChunks; the convolution's grids likewise).
 * A loss that is representable can therefore still overflow on the way: one row with a score of 1e308
 * among 19 gave "NaN ± Infinity". Rather than let that happen inside an integrator, the dispatch checks,
 * once and before any integrator runs, a bound on |l| along every pair segment:
 *
 *     n² · max_i B_i · SAFETY ≤ Number.MAX_VALUE,     SAFETY = 64,
 *
 * where B_i bounds |l(f(x̃), ỹ)| on every segment x̃ = λx_i + (1−λ)x_j, j any row (below). With that the
 * pair sums (≤ n²·max B), their |l| sums and their error estimates (a few times the |l| sums) stay
 * finite with room to spare for the quadrature's intermediate sums. The gradient adds the same check on a
 * bound of |∂l/∂θ| along the segments. An input that fails is refused with an OverflowError naming the
 * row of the largest bound; the Monte Carlo method (a running mean) needs no such check.
 *
 * Bounds along a segment (pre-activations are affine in λ, so every unit is bounded by its end values):
 *  - score: linear, |f(x̃)| ≤ max(|z_i|, |z_j|); two-layer, |f_k(x̃)| ≤ |c_k| + Σ_r |V_kr|·(a_r(u_i) + a_r(u_j))
 *    with a_r(u) = |u_r| (relu), |u_r| + log 2 (softplus), min(1, |u_r|) (tanh); so with
 *    S_i = max_k |c_k| + 2·max_k Σ_r |V_kr|·a_r(u_i), |f| ≤ max(S_i, S_j);
 *  - loss at |f| ≤ Z, |ỹ| ≤ Y (the largest |label|): logistic log 2 + 2Z; squared Z²/2 + Y·Z; Poisson
 *    e^Z + Y·Z; softmax 2Z + log K;
 *  - ∂l/∂f: logistic and softmax ≤ 2; squared Z + Y; Poisson e^Z + Y; and ∂f/∂θ ≤ max(1, |x|∞, …) as
 *    `gradFactor` spells out.
 * The pre-activations themselves (and so their differences along a pair) must also stay below MAX/4.
 */
import type { Dataset } from "../core/dataset.js";
import { OverflowError } from "../core/errors.js";
import type { Family } from "../losses/types.js";
import { firstLayerWidth, preactivations } from "../models/index.js";
import type { Model } from "../models/types.js";

/** Headroom for the quadrature's intermediate sums and error estimates beyond n²·max|l|. */
export const MAGNITUDE_SAFETY = 64;

/** The largest loss magnitude the exact methods accept for n rows: MAX_VALUE / (n²·SAFETY). */
export function maxPairLoss(n: number): number {
  return Number.MAX_VALUE / (n * n) / MAGNITUDE_SAFETY;
}

/** a_r(u): a bound of |σ(u(λ))| on a segment through u, monotone in |u| (see the module comment). */
function unitBound(activation: "relu" | "softplus" | "tanh", u: number): number {
  const a = Math.abs(u);
  if (activation === "relu") return a;
  if (activation === "softplus") return a + Math.LN2;
  return Math.min(1, a);
}

/**
 * Per-row bounds on every segment through x_i (any partner j): S_i of |f| (every output), F_i of f itself
 * from above (linear: the row's largest score; nets: S_i), and the row's largest |pre-activation|. A NaN
 * (∞ − ∞ inside a pre-activation) is stored as +∞, so it can never pass a `≤` check.
 */
export function scoreBounds(ds: Dataset, model: Model): { S: Float64Array; F: Float64Array; U: Float64Array } {
  const { n } = ds;
  const p = firstLayerWidth(model);
  const U = preactivations(model, ds.X, n);
  const S = new Float64Array(n);
  const F = new Float64Array(n);
  const Umax = new Float64Array(n);
  const big = (x: number) => (Number.isNaN(x) ? Infinity : x);
  for (let i = 0; i < n; i++) {
    let um = 0;
    let top = -Infinity;
    for (let r = 0; r < p; r++) {
      um = Math.max(um, Math.abs(U[i * p + r]));
      top = Math.max(top, U[i * p + r]);
    }
    Umax[i] = big(um);
    if (model.kind === "linear") {
      S[i] = Umax[i];
      F[i] = Number.isNaN(top) ? Infinity : top;
      continue;
    }
    const { K, m, V, c } = model;
    let cmax = 0;
    if (c) for (let k = 0; k < K; k++) cmax = Math.max(cmax, Math.abs(c[k]));
    let best = 0;
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let r = 0; r < m; r++) s += Math.abs(V[k * m + r]) * unitBound(model.activation, U[i * p + r]);
      best = Math.max(best, s);
    }
    S[i] = big(cmax + 2 * best);
    F[i] = S[i];
  }
  return { S, F, U: Umax };
}

/** The largest |label| (labels are finite and in their domain: checked when the data were read). */
function labelBound(ds: Dataset): number {
  let y = 0;
  for (let i = 0; i < ds.y.length; i++) y = Math.max(y, Math.abs(ds.y[i]));
  return y;
}

/** Bound of |l| at |f| ≤ Z, f ≤ Fup, |y| ≤ Y (Poisson: e^f ≤ e^Fup, the large side only when f is). */
export function lossBound(family: Family, Z: number, Fup: number, Y: number, K: number): number {
  switch (family.name) {
    case "logistic":
      return Math.LN2 + 2 * Z;
    case "squared":
      return 0.5 * Z * Z + Y * Z;
    case "poisson":
      return Math.exp(Fup) + Y * Z;
    case "softmax":
      return 2 * Z + Math.log(K);
  }
}

/** Bound of |∂l/∂f| (summed over the K outputs) at |f| ≤ Z, f ≤ Fup, |y| ≤ Y. */
function dlossBound(family: Family, Z: number, Fup: number, Y: number): number {
  switch (family.name) {
    case "logistic":
    case "softmax":
      return 2;
    case "squared":
      return Z + Y;
    case "poisson":
      return Math.exp(Fup) + Y;
  }
}

/**
 * Bound of |∂f/∂θ| (any parameter) on a segment through row i: linear, max(1, |x_i|∞) (θ: x̃, bias: 1);
 * two-layer, max(1, |u_i|∞ for V, Σ_k|V_kr|·max(1, |x_i|∞) for W and b).
 */
function gradFactor(ds: Dataset, model: Model, i: number, Umax: Float64Array): number {
  let xmax = 0;
  for (let k = 0; k < ds.d; k++) xmax = Math.max(xmax, Math.abs(ds.X[i * ds.d + k]));
  if (model.kind === "linear") return Math.max(1, xmax);
  const { K, m, V } = model;
  let vcol = 0;
  for (let r = 0; r < m; r++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += Math.abs(V[k * m + r]);
    vcol = Math.max(vcol, s);
  }
  return Math.max(1, Umax[i] + Math.LN2, vcol * Math.max(1, xmax));
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toPrecision(3) : "beyond float64";
}

/** Index of the largest entry (NaN counts as largest). */
function argMax(v: ArrayLike<number>): number {
  let k = 0;
  for (let i = 1; i < v.length; i++) if (!(v[i] <= v[k])) k = i;
  return k;
}

/**
 * Refuses, before any integrator runs, an input whose n² pair sums (or, with `what = "gradient"`, gradient
 * sums) could overflow float64 in the exact methods (see the module comment): an OverflowError naming the
 * row with the largest bound, e.g. `row 6: the logistic loss may reach 2.40e+308 on the pairs of this row
 * (|f| up to 1.20e+308); the exact methods sum n² = 361 pair terms before averaging and need |l| ≤ 7.78e+303
 * here`.
 */
export function checkPairMagnitudes(ds: Dataset, model: Model, family: Family, what: "loss" | "gradient" = "loss"): void {
  const { n } = ds;
  const { S, F, U } = scoreBounds(ds, model);
  const Y = labelBound(ds);
  const limit = maxPairLoss(n);
  const pairs = `the exact methods sum n² = ${n * n} pair terms before averaging`;
  const u = argMax(U);
  if (!(U[u] <= Number.MAX_VALUE / 4)) {
    const what = model.kind === "linear" ? "the score f(x)" : "a pre-activation Wx + b";
    throw new OverflowError(
      u + 1,
      `row ${u + 1}: ${what} reaches ${fmt(U[u])} on this row; differences along its pairs could overflow float64 (the exact methods need |${model.kind === "linear" ? "f" : "Wx + b"}| ≤ ${fmt(Number.MAX_VALUE / 4)} and n²·|l| ≤ ${fmt(Number.MAX_VALUE / MAGNITUDE_SAFETY)})`,
    );
  }
  const Z = S[argMax(S)];
  const Fup = F[argMax(F)];
  // the row at fault: the largest loss bound of its own
  const perRow = Float64Array.from(S, (s, i) => lossBound(family, s, F[i], Y, model.K));
  const worst = argMax(perRow);
  const B = lossBound(family, Z, Fup, Y, model.K);
  if (!(B <= limit)) {
    throw new OverflowError(
      worst + 1,
      `row ${worst + 1}: the ${family.name} loss may reach ${fmt(B)} on the pairs of this row (|f| up to ${fmt(S[worst])}); ${pairs} and need |l| ≤ ${fmt(limit)} here`,
    );
  }
  if (what === "gradient") {
    const J = Float64Array.from(S, (_, i) => gradFactor(ds, model, i, U));
    const G = dlossBound(family, Z, Fup, Y) * J[argMax(J)];
    if (!(G <= limit)) {
      const g = argMax(Float64Array.from(S, (s, i) => dlossBound(family, s, F[i], Y) * J[i]));
      throw new OverflowError(
        g + 1,
        `row ${g + 1}: the θ-gradient of the ${family.name} loss may reach ${fmt(G)} on the pairs of this row; ${pairs} and need each term ≤ ${fmt(limit)} here`,
      );
    }
  }
}

/**
 * After an exact method: its value and error estimate (and, for the gradient, every component and its
 * bound) must be finite. The check above makes this hold; should it ever fail, the result is refused
 * naming the row of the largest score bound instead of printing NaN or Infinity.
 */
export function checkFiniteResult<R extends { value: number; errorEstimate: number; grad?: ArrayLike<number>; gradErrorEstimate?: number }>(
  ds: Dataset,
  model: Model,
  family: Family,
  r: R,
): R {
  let ok = Number.isFinite(r.value) && Number.isFinite(r.errorEstimate);
  if (r.grad !== undefined) {
    ok &&= Number.isFinite(r.gradErrorEstimate ?? 0);
    for (let k = 0; ok && k < r.grad.length; k++) ok = Number.isFinite(r.grad[k]);
  }
  if (ok) return r;
  const { S } = scoreBounds(ds, model);
  const worst = argMax(S);
  const what = r.grad === undefined ? "" : " or its θ-gradient";
  throw new OverflowError(
    worst + 1,
    `row ${worst + 1}: the exact Mixup ${family.name} loss${what} is not finite in float64 (${r.value} ± ${r.errorEstimate}); the largest scores are on this row (|f| up to ${fmt(S[worst])})`,
  );
}
