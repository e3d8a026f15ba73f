import { EPS } from "../../src/core/constants.js";
import type { Dataset } from "../../src/core/dataset.js";
import { logBetaAccurate as logBeta } from "../../src/mixing/lbeta.js";
import { fsum } from "../../src/core/sum.js";
import type { Family } from "../../src/losses/types.js";
import { kinksAlong, outputs, predict } from "../../src/models/index.js";
import type { Model } from "../../src/models/types.js";

/**
 * An independent, slow reference for the exact Mixup loss, for tests and checks only: adaptive
 * Gauss–Kronrod (7, 15) per pair, in a substituted variable that removes the Beta weight's end-point
 * singularity when α or β < 1 (λ = s^{1/α} on [0, ½], 1 − λ = s^{1/β} on [½, 1]), evaluating the model at the mixed
 * input x̃ = λx_i + (1−λ)x_j in input space (not through pre-activations), split at the model's kinks.
 * Shares no nodes, rules or pair structure with `exactMixupLoss`. A test oracle: it lives with the checks,
 * not in the library.
 *
 * `label: "first"` keeps the label of the first row along the pair, y_i, instead of the mixed label: with
 * Beta(α, β) in place of D̃ that is the naive label-free rewrite, the deliberately wrong form that the
 * rewrite-identity check's negative control must reject.
 */
export function referenceMixupLoss(
  ds: Dataset,
  model: Model,
  family: Family,
  alpha: number,
  beta: number,
  opts: { pairs?: "all" | "distinct"; relTol?: number; extraBreaks?: (i: number, j: number) => number[]; label?: "mixed" | "first" } = {},
): { value: number; errorEstimate: number; meanAbsLoss: number } {
  const { n, d, X, y, K: Ky } = ds;
  const K = outputs(model);
  const relTol = opts.relTol ?? 1e-13;
  const first = opts.label === "first";
  const xt = new Float64Array(d);
  const z = new Float64Array(K);
  const yv = new Float64Array(K);
  const lb = logBeta(alpha, beta);
  const vals: number[] = [];
  const absv: number[] = [];
  let errSum = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (opts.pairs === "distinct" && i === j) continue;
      const loss = (lam: number): number => {
        for (let k = 0; k < d; k++) xt[k] = lam * X[i * d + k] + (1 - lam) * X[j * d + k];
        const f = predict(model, xt, 1, z);
        const mu = first ? 1 : lam;
        if (family.vector) {
          for (let k = 0; k < K; k++) yv[k] = mu * y[i * Ky + k] + (1 - mu) * y[j * Ky + k];
          return family.loss(f, 0, K, yv, 0);
        }
        return family.loss(f[0], mu * y[i] + (1 - mu) * y[j]);
      };
      const breaks = [...kinksAlong(model, X, i * d, X, j * d)];
      if (opts.extraBreaks) breaks.push(...opts.extraBreaks(i, j));
      const r = betaIntegral(loss, alpha, beta, lb, breaks, relTol);
      vals.push(r.value);
      absv.push(r.abs);
      errSum += r.err;
    }
  }
  const norm = vals.length;
  return { value: fsum(vals) / norm, errorEstimate: errSum / norm, meanAbsLoss: fsum(absv) / norm };
}

/** E_{Beta(a,b)} g and E|g| by adaptive GK15 in the substituted variables, split at `breaks`. */
export function betaIntegral(
  g: (lam: number) => number,
  a: number,
  b: number,
  lb: number,
  breaks: number[],
  relTol: number,
): { value: number; abs: number; err: number } {
  // Left half. For a < 1 the weight λ^{a−1} is infinite at 0: substitute λ = s^{1/a}, s ∈ [0, 2^{-a}],
  // so dBeta = (1/(a·B)) (1 − λ)^{b−1} ds. For a ≥ 1 integrate the density directly in λ (a
  // substitution would squeeze the whole half into s ≤ 2^{-a}, which costs digits for large a).
  const density = (lam: number) => Math.exp((a - 1) * Math.log(lam) + (b - 1) * Math.log1p(-lam) - lb);
  const left = a < 1 ? (s: number) => {
    const lam = Math.pow(s, 1 / a);
    return g(lam) * Math.pow(1 - lam, b - 1);
  } : (lam: number) => (lam === 0 ? 0 : g(lam) * density(lam));
  // right half, mirrored: 1 − λ = s^{1/b} for b < 1
  const right = b < 1 ? (s: number) => {
    const mu = Math.pow(s, 1 / b);
    const lam = 1 - mu;
    return g(lam) * Math.pow(lam, a - 1);
  } : (mu: number) => (mu === 0 ? 0 : g(1 - mu) * density(1 - mu));
  const mapL = (t: number) => (a < 1 ? Math.pow(t, a) : t);
  const mapR = (t: number) => (b < 1 ? Math.pow(1 - t, b) : 1 - t);
  const bl = [0, ...breaks.filter((t) => t > 0 && t < 0.5).map(mapL), mapL(0.5)];
  const br = [0, ...breaks.filter((t) => t > 0.5 && t < 1).map(mapR), b < 1 ? Math.pow(0.5, b) : 0.5];
  bl.sort((p, q) => p - q);
  br.sort((p, q) => p - q);
  const cl = a < 1 ? Math.exp(-Math.log(a) - lb) : 1;
  const cr = b < 1 ? Math.exp(-Math.log(b) - lb) : 1;
  const L = adaptivePieces(left, bl, relTol);
  const R = adaptivePieces(right, br, relTol);
  return {
    value: cl * L.value + cr * R.value,
    abs: cl * L.abs + cr * R.abs,
    err: cl * L.err + cr * R.err,
  };
}

/**
 * Globally adaptive GK15 over the pieces between `pts`: split the panel with the largest error estimate
 * until the total estimate meets relTol (relative to ∫|f|) or reaches rounding level. (Halving a local
 * tolerance per level instead would bisect forever next to a weak end-point singularity like λ^0.1.)
 */
function adaptivePieces(f: (s: number) => number, pts: number[], relTol: number) {
  const panels: Array<{ a: number; b: number; value: number; abs: number; err: number }> = [];
  for (let k = 0; k + 1 < pts.length; k++) {
    if (pts[k + 1] > pts[k]) panels.push({ a: pts[k], b: pts[k + 1], ...gk15(f, pts[k], pts[k + 1]) });
  }
  for (let iter = 0; iter < 4000; iter++) {
    let err = 0;
    let abs = 0;
    let worst = 0;
    for (let k = 0; k < panels.length; k++) {
      err += panels[k].err;
      abs += panels[k].abs;
      if (panels[k].err > panels[worst].err) worst = k;
    }
    if (panels.length === 0 || err <= relTol * abs || err <= 64 * EPS * abs) break;
    const p = panels[worst];
    const m = 0.5 * (p.a + p.b);
    if (!(m > p.a && m < p.b)) break;
    panels.splice(worst, 1, { a: p.a, b: m, ...gk15(f, p.a, m) }, { a: m, b: p.b, ...gk15(f, m, p.b) });
  }
  let value = 0;
  let abs = 0;
  let err = 0;
  for (const p of panels) {
    value += p.value;
    abs += p.abs;
    err += p.err;
  }
  return { value, abs, err };
}

const XGK = [
  0.991455371120812639206854697526329, 0.949107912342758524526189684047851, 0.864864423359769072789712788640926,
  0.741531185599394439863864773280788, 0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
  0.207784955007898467600689403773245, 0.0,
];
const WGK = [
  0.02293532201052922496373200805897, 0.063092092629978553290700663189204, 0.104790010322250183839876322541518,
  0.140653259715525918745189590510238, 0.16900472663926790282658342659855, 0.190350578064785409913256402421014,
  0.204432940075298892414161999234649, 0.209482141084727828012999174891714,
];
const WG = [0.129484966168869693270611432679082, 0.27970539148927666790146777142378, 0.381830050505118944950369775488975, 0.417959183673469387755102040816327];

/** One Gauss–Kronrod (7, 15) panel: K15, |K15 − G7| and ∫|f| by K15. */
export function gk15(f: (s: number) => number, a: number, b: number): { value: number; abs: number; err: number } {
  const c = 0.5 * (a + b);
  const h = 0.5 * (b - a);
  const fc = f(c);
  let k = WGK[7] * fc;
  let g = WG[3] * fc;
  let ab = WGK[7] * Math.abs(fc);
  for (let q = 0; q < 7; q++) {
    const f1 = f(c - h * XGK[q]);
    const f2 = f(c + h * XGK[q]);
    k += WGK[q] * (f1 + f2);
    ab += WGK[q] * (Math.abs(f1) + Math.abs(f2));
    if (q % 2 === 1) g += WG[(q - 1) / 2] * (f1 + f2);
  }
  return { value: k * h, abs: ab * h, err: Math.abs(k - g) * h };
}
