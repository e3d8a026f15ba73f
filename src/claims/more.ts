/**
 * Per-instance forms of the proofs-checks that are not single inequalities on one loss: R1's identity, the
 * gradient that exact-Mixup training descends on, the two α limits, the quadrature's error estimate, and
 * Theorem 4.2 on the model's own first layer (docs/claims.md, docs/api.md "Property tests"). Each returns a
 * margin (≥ 0 holds) with its tolerance stated here; index.ts collects them into `claims`.
 */
import { EPS } from "../core/constants.js";
import type { Dataset } from "../core/dataset.js";
import { family } from "../losses/index.js";
import { standardLoss } from "../losses/standard.js";
import { isCentered } from "../robustness/assumptions.js";
import { getParams, isHomogeneous, lossParamGrad, predict, withParams } from "../models/index.js";
import type { Model } from "../models/types.js";
import { convolutionMixupGrad, exactMixupGrad, exactMixupLoss } from "../mixup/index.js";
import { taylorTerms } from "../taylor/terms.js";
import type { ClaimInput, ClaimResult } from "./index.js";

type ClaimFn = (ds: Dataset, model: Model, o: ClaimInput) => ClaimResult;

const unmetOnly = (unmet: string[]): ClaimResult => ({ margin: 0, assumptions: { met: false, unmet }, details: {} });

/**
 * Lemma 3.1's R1 on centered data (docs/theory.md §3.1) [exact]: R1 = −m1·θᵀ∇_θL_std for a linear model
 * without bias, R1 = −(m1/2)·pᵀ∇_pL_std for a bias-free ReLU net (p all parameters: f is 2-homogeneous in
 * them). Both sides are O(n·P) sums of products: margin 1 − |R1 − rhs|/(1e-12·m1·Σ|p_k g_k|), 1e-12 being ~100×
 * their rounding at the sizes of the arbitraries. Unmet: "centered" (‖x̄‖ > 1e-12·max‖x_i‖), "homogeneous"; the
 * margin is computed either way (off center it fails: the assumption matters).
 */
export const lemma31R1Identity: ClaimFn = (ds, model, o) => {
  const unmet: string[] = [];
  if (!isCentered(ds)) unmet.push("centered");
  if (!isHomogeneous(model)) unmet.push("homogeneous");
  const fam = family(model.loss);
  const t = taylorTerms(ds, model, fam, o.alpha, o.beta ?? o.alpha);
  const g = lossParamGrad(model, fam, ds.X, ds.y, ds.n, ds.K).grad;
  const p = getParams(model);
  let dot = 0;
  let abs = 0;
  for (let k = 0; k < p.length; k++) {
    dot += p[k] * g[k];
    abs += Math.abs(p[k] * g[k]);
  }
  const rhs = -(model.kind === "linear" ? 1 : 0.5) * t.m1 * dot;
  const scale = 1e-12 * t.m1 * abs;
  const diff = Math.abs(t.R1 - rhs);
  return {
    margin: scale > 0 ? 1 - diff / scale : diff === 0 ? 1 : -Infinity,
    assumptions: { met: unmet.length === 0, unmet },
    details: { R1: t.R1, rhs, m1: t.m1 },
  };
};

/**
 * The θ-gradient that `mixup-exact` training descends on is the gradient of the exact loss (docs/theory.md §2.4)
 * [exact]: the all-pairs gradient (and, for a linear GLM with one output, the O(n) one) against central
 * differences of `exactMixupLoss` at tol 1e-13, at steps h, h/2, h/4 (h = 1e-2) extrapolated twice
 * (Richardson). Allowed per parameter: the gradient's own error bound, the change between the two
 * extrapolations (the truncation error left), the losses' error estimates over the steps, and 8ε of the
 * value. Margin: the worst (allowed − |difference|)/allowed. Cost: 6 exact losses per parameter, so keep the
 * instances small (n ≤ 10, a few parameters).
 */
export const trainingMixupObjective: ClaimFn = (ds, model, o) => {
  const fam = family(model.loss);
  const beta = o.beta ?? o.alpha;
  const grads: GradientLike[] = [exactMixupGrad(ds, model, fam, o.alpha, beta, { tol: 1e-12 })];
  if (model.kind === "linear" && model.K === 1 && model.loss !== "softmax") grads.push(convolutionMixupGrad(ds, model, fam, o.alpha, beta, { tol: 1e-12 }));
  return gradientAgreement(ds, model, o, grads);
};

/** A gradient with its error bound. */
export interface GradientLike {
  grad: ArrayLike<number>;
  gradErrorEstimate: number;
}

/** trainingMixupObjective's comparison for given gradients (a test passes a wrong one as its negative control). */
export function gradientAgreement(ds: Dataset, model: Model, o: ClaimInput, grads: readonly GradientLike[]): ClaimResult {
  const fam = family(model.loss);
  const alpha = o.alpha;
  const beta = o.beta ?? o.alpha;
  const p = getParams(model);
  let margin = Infinity;
  let worstDiff = 0;
  for (let k = 0; k < p.length; k++) {
    const at = (h: number) => {
      const q = Float64Array.from(p);
      q[k] = p[k] + h;
      const up = exactMixupLoss(ds, withParams(model, q), fam, alpha, beta, { tol: 1e-13 });
      q[k] = p[k] - h;
      const dn = exactMixupLoss(ds, withParams(model, q), fam, alpha, beta, { tol: 1e-13 });
      return { d: (up.value - dn.value) / (2 * h), noise: (up.errorEstimate + dn.errorEstimate + 4 * EPS * (Math.abs(up.value) + Math.abs(dn.value))) / (2 * h) };
    };
    const [a, b, c] = [at(1e-2), at(5e-3), at(2.5e-3)];
    const r1 = (4 * b.d - a.d) / 3;
    const r2 = (4 * c.d - b.d) / 3;
    const allowance = Math.abs(r2 - r1) + (4 * c.noise + 5 * b.noise + a.noise) / 3;
    for (const g of grads) {
      const diff = Math.abs(g.grad[k] - r2);
      const allowed = g.gradErrorEstimate + allowance + 8 * EPS * Math.abs(r2);
      const m = (allowed - diff) / allowed;
      if (m < margin) [margin, worstDiff] = [m, diff];
    }
  }
  return { margin: Number.isFinite(margin) ? margin : 1, assumptions: { met: true, unmet: [] }, details: { parameters: p.length, worstDiff } };
}

/** L_std of the model on the data. */
function stdLoss(ds: Dataset, model: Model): number {
  return standardLoss(family(model.loss), predict(model, ds.X, ds.n), ds.y, ds.n, ds.K);
}

/** The α → ∞ limit (1/n²) Σ_{i,j} l(θ, (x_i+x_j)/2, (y_i+y_j)/2): every pair at its midpoint, O(n²) predictions. */
export function midpointLoss(ds: Dataset, model: Model): number {
  const { n, d, K, X, y } = ds;
  const fam = family(model.loss);
  const Xm = new Float64Array(n * d);
  const ym = new Float64Array(n * K);
  let s = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < d; k++) Xm[j * d + k] = 0.5 * (X[i * d + k] + X[j * d + k]);
      for (let k = 0; k < K; k++) ym[j * K + k] = 0.5 * (y[i * K + k] + y[j * K + k]);
    }
    s += standardLoss(fam, predict(model, Xm, n), ym, n, K);
  }
  return s / n;
}

/**
 * α = β → 0: L_mix → L_std (docs/theory.md §2.7) [exact], on this instance: the gap |L_mix − L_std| at α = 1e-5
 * is at most 0.1 of the gap at α = 1e-2 (a gap of order α falls by ~1000 there; the claim asks for a tenth of
 * that, so a leading coefficient that nearly cancels over the pairs does not fail it). Margin
 * log10(0.1·gap(1e-2)/gap(1e-5)). The rate (order α) over random instances is the proofs-check's. Unmet "gap":
 * the gap at 1e-2 is below 1e-9 of L_std (a model flat along every pair: nothing to measure).
 */
export const limitAlphaZero: ClaimFn = (ds, model) => limitClaim(ds, model, "zero", stdLoss(ds, model));

/**
 * α = β → ∞: L_mix → the midpoint loss (1/n²) Σ l(θ, (x_i+x_j)/2, (y_i+y_j)/2) (docs/theory.md §2.7) [exact], on
 * this instance: the gap at α = 1e4 is at most 0.1 of the gap at α = 10 (order 1/α for smooth models falls by
 * ~1000, at least α^{−1/2} for ReLU nets by ~30). Margin log10(0.1·gap(10)/gap(1e4)); unmet "gap" as for α → 0.
 */
export const limitAlphaInfinity: ClaimFn = (ds, model) => limitClaim(ds, model, "infinity", midpointLoss(ds, model));

/**
 * The gap |L_mix(α = β) − target| near the limit against the gap a factor 1000 farther from it; a test passes the
 * wrong target (L_std for α → ∞) as the negative control.
 */
export function limitClaim(ds: Dataset, model: Model, which: "zero" | "infinity", target: number): ClaimResult {
  const fam = family(model.loss);
  const [far, near] = which === "zero" ? [1e-2, 1e-5] : [10, 1e4];
  const gFar = exactMixupLoss(ds, model, fam, far, far, { tol: 1e-12 }).value - target;
  const gNear = exactMixupLoss(ds, model, fam, near, near, { tol: 1e-12 }).value - target;
  if (Math.abs(gFar) <= 1e-9 * Math.max(Math.abs(target), 1e-300)) return unmetOnly(["gap"]);
  const margin = Math.log10((0.1 * Math.abs(gFar)) / Math.abs(gNear));
  return { margin: Number.isNaN(margin) ? -Infinity : margin, assumptions: { met: true, unmet: [] }, details: { [`gapAt${far}`]: gFar, [`gapAt${near}`]: gNear } };
}

/**
 * The exact loss's error estimate is a bound (docs/numerics.md) [beyond]: at tol 1e-6, 1e-8 and 1e-10 the
 * value is within its errorEstimate (plus the reference's) and within tol·meanAbsLoss of the same loss at
 * tol 1e-13, and the nodes do not decrease as tol tightens. The reference is the same integrator run
 * tighter, so this tests the estimate's honesty on the user's instance; the integrator itself is tested
 * against an independent input-space quadrature by the proofs-check. Margin: the worst 1 − diff/allowed.
 */
export const quadratureConvergence: ClaimFn = (ds, model, o) => estimateHonesty(ds, model, o, 1);

/** quadratureConvergence with the estimates and tolerances multiplied by `shrink` (a test's negative control: 1e-6 must fail). */
export function estimateHonesty(ds: Dataset, model: Model, o: ClaimInput, shrink: number): ClaimResult {
  const fam = family(model.loss);
  const beta = o.beta ?? o.alpha;
  const ref = exactMixupLoss(ds, model, fam, o.alpha, beta, { tol: 1e-13 });
  let margin = Infinity;
  let nodes = 0;
  for (const tol of [1e-6, 1e-8, 1e-10]) {
    const r = exactMixupLoss(ds, model, fam, o.alpha, beta, { tol });
    const diff = Math.abs(r.value - ref.value);
    margin = Math.min(margin, 1 - diff / (shrink * (r.errorEstimate + ref.errorEstimate)), 1 - diff / (shrink * (tol * Math.max(r.meanAbsLoss, Math.abs(r.value)) + ref.errorEstimate)));
    if (r.nodes < nodes) margin = Math.min(margin, -1);
    nodes = r.nodes;
  }
  return { margin: Number.isNaN(margin) ? -Infinity : margin, assumptions: { met: true, unmet: [] }, details: { reference: ref.value, referenceErrorEstimate: ref.errorEstimate } };
}

/**
 * Theorem 4.2 as theorem-4.1's chain on the features of the model's own first layer, φ(x) = relu(W·x) (docs/theory.md
 * §4.5) [reconstructed]: the second layer is the linear model of Theorem 4.1 on fixed ReLU features. Unmet
 * "model" (not a ReLU net) and "bias" (first-layer biases: φ would not be relu(W·x)).
 */
export function theorem42(theorem41: ClaimFn): ClaimFn {
  return (ds, model, o) => {
    if (model.kind !== "relu2" || model.activation !== "relu") return unmetOnly(["model"]);
    if (model.b !== null && model.b.some((v) => v !== 0)) return unmetOnly(["bias"]);
    const { m, W } = model;
    const F = new Float64Array(ds.n * m);
    for (let i = 0; i < ds.n; i++) {
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let k = 0; k < ds.d; k++) s += W[j * ds.d + k] * ds.X[i * ds.d + k];
        F[i * m + j] = s > 0 ? s : 0;
      }
    }
    const features: Dataset = { ...ds, d: m, X: F, names: Array.from({ length: m }, (_, j) => `phi${j + 1}`) };
    const r = theorem41(features, model, o);
    return { ...r, details: { ...r.details, features: m } };
  };
}
