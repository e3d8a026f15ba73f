import type { Dataset } from "../core/dataset.js";
import { InputError } from "../core/errors.js";
import { Neumaier } from "../core/sum.js";
import { standardLoss } from "../losses/standard.js";
import type { Family, ScalarFamily } from "../losses/types.js";
import { m1 as m1Of } from "../mixing/dtilde.js";
import { activationFns, firstLayerBias, firstLayerLinearPart, gradX, headFromPreact, outputAt, preactivations } from "../models/index.js";
import type { Model } from "../models/types.js";
import { syrkUpper } from "../core/gemm.js";
import { preactStats } from "../taylor/preactStats.js";

/**
 * The second-order adversarial loss (docs/theory.md §3.5, reconstructed) for a scalar output,
 *   L̃_adv(ε) = L_std + a·ε + b·ε²,
 *   a = √d·(1/n) Σ |h'(f_i) − y_i|·‖∇f_i‖₂,   b = (d/2)·(1/n) Σ |h''(f_i)|·‖∇f_i‖₂²,
 * the expansion of the ℓ2 adversarial loss at radius ε√d to second order in the radius (exact when
 * ∇²f = 0 up to that order). It is neither an upper nor a lower bound of L_adv in general.
 */
export interface SecondOrderCoefficients {
  standardLoss: number;
  a: number;
  b: number;
}

function scalar(family: Family, model: Model): ScalarFamily {
  if (family.vector || model.K !== 1) {
    throw new InputError("model", "the adversarial bounds of Section 3 need a scalar output (logistic, squared or Poisson)");
  }
  return family;
}

/** The coefficients of L̃_adv as a quadratic in ε. */
export function secondOrderCoefficients(ds: Dataset, model: Model, family: Family): SecondOrderCoefficients {
  const fam = scalar(family, model);
  const { n, d } = ds;
  const f = new Float64Array(n);
  const g = new Float64Array(d);
  const sa = new Neumaier();
  const sb = new Neumaier();
  const out = new Float64Array(1);
  for (let i = 0; i < n; i++) {
    const xo = i * d;
    gradX(model, ds.X, xo, g, 0);
    outputAt(model, ds.X, xo, out, 0);
    f[i] = out[0];
    let gg = 0;
    for (let k = 0; k < d; k++) gg += g[k] * g[k];
    sa.add(Math.abs(fam.dloss(f[i], ds.y[i])) * Math.sqrt(gg));
    sb.add(Math.abs(fam.h2(f[i])) * gg);
  }
  return {
    standardLoss: standardLoss(fam, f, ds.y, n, 1),
    a: (Math.sqrt(d) * sa.value) / n,
    b: ((d / 2) * sb.value) / n,
  };
}

/** L̃_adv(ε) = L_std + aε + bε² (docs/theory.md §3.5). */
export function secondOrderAdversarialLoss(ds: Dataset, model: Model, family: Family, eps: number): number {
  const c = secondOrderCoefficients(ds, model, family);
  return c.standardLoss + c.a * eps + c.b * eps * eps;
}

/**
 * L_reg = (m1²/(2n)) Σ_i |h''(f_i)|·∇f_iᵀ Σ̂_X ∇f_i ≥ 0 (docs/theory.md §3.7, Theorem 3.1; §3.8, Theorem 3.2 with the
 * network's gradients), Σ̂_X the (1/n) covariance of the inputs. In first-layer space ∇f_i = Wᵀc_i with
 * c_i = v ⊙ σ'(u_i), so ∇f_iᵀΣ̂∇f_i = c_iᵀ G c_i with G the covariance of the pre-activations, and the sum
 * is tr(G·Σ_i |h''_i| c_i c_iᵀ): O(n·m²), no d×d matrix.
 */
export function regularizerLreg(ds: Dataset, model: Model, family: Family, alpha: number, beta: number): number {
  const fam = scalar(family, model);
  const m1 = m1Of(alpha, beta);
  const { n } = ds;
  const p = model.kind === "linear" ? 1 : model.m;
  const U = preactivations(model, ds.X, n);
  // G is the covariance of Ax: formed without the bias, it keeps its digits for data tiny next to the bias
  const G = preactStats(firstLayerBias(model) === null ? U : firstLayerLinearPart(model, ds.X, n), n, p).cov;
  const w = new Float64Array(n);
  const f = new Float64Array(1);
  const C = new Float64Array(n * p);
  const fns = model.kind === "relu2" ? activationFns(model.activation) : null;
  for (let i = 0; i < n; i++) {
    headFromPreact(model, U, i * p, f, 0);
    w[i] = Math.abs(fam.h2(f[0]));
    if (model.kind === "linear") C[i] = 1;
    else for (let r = 0; r < p; r++) C[i * p + r] = model.V[r] * fns!.d1(U[i * p + r]);
  }
  const M = syrkUpper(C, n, p, new Float64Array(p * p), w);
  const tr = new Neumaier();
  // a zero weight contributes exactly 0, even where G overflows (rows of 1e160): no 0·∞ = NaN
  for (let k = 0; k < p * p; k++) if (M[k] !== 0) tr.add(G[k] * M[k]);
  return ((m1 * m1) / (2 * n)) * tr.value;
}
