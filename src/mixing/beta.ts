/**
 * The Mixup weight λ ~ Beta(a, b) (docs/theory.md §2.4, D_λ = Beta(α, β)): closed-form moments, a display-only
 * density/CDF, and a sampler that is correct for small shapes (docs/theory.md §2.8: "Beta samplers that are wrong
 * for α < 1") and draws all its randomness from the project's `Rng`.
 */
import jStat from "jstat";
import { InputError } from "../core/errors.js";
import type { Rng } from "../core/rng.js";

/** E[λ] = a/(a+b). */
export function betaMean(a: number, b: number): number {
  checkShapes("betaMean", a, b);
  return a / (a + b);
}

/** Var[λ] = ab/((a+b)²(a+b+1)). */
export function betaVariance(a: number, b: number): number {
  checkShapes("betaVariance", a, b);
  const s = a + b;
  return (a / s) * (b / s) / (s + 1);
}

/**
 * E[λ^k] = (a)_k/(a+b)_k = Π_{r<k} (a+r)/(a+b+r) for integer k ≥ 0 (rising factorials).
 * A product of ratios in (0,1]: no overflow for any k, a, b, relative error ≤ 2k·ε.
 */
export function betaMoment(a: number, b: number, k: number): number {
  checkShapes("betaMoment", a, b);
  checkOrder("betaMoment", k);
  return risingRatio(a, a + b, k);
}

/** E[(1−λ)^k] = (b)_k/(a+b)_k, the moment of the mirror law Beta(b, a). */
export function betaOneMinusMoment(a: number, b: number, k: number): number {
  checkShapes("betaOneMinusMoment", a, b);
  checkOrder("betaOneMinusMoment", k);
  return risingRatio(b, a + b, k);
}

/**
 * (p)_k/(q)_k = Π_{r<k} (p+r)/(q+r) for p, q > 0, integer k ≥ 0. Shared by the D̃ moments
 * (docs/theory.md §2.6), which need ratios of rising factorials far beyond float range (k = 50, shapes 1e3).
 */
export function risingRatio(p: number, q: number, k: number): number {
  let m = 1;
  for (let r = 0; r < k; r++) m *= (p + r) / (q + r);
  return m;
}

/**
 * Beta(a, b) density via jstat. jstat's Beta functions are only good to about 1e-7 (its incomplete beta
 * is a short continued fraction): use these for display and plots, never for reference values or
 * quadrature weights (use gaussJacobi / PieceRule, which carry the weight exactly).
 */
export function betaPdf(x: number, a: number, b: number): number {
  checkShapes("betaPdf", a, b);
  return jStat.beta.pdf(x, a, b);
}

/** Beta(a, b) CDF I_x(a, b) via jstat; ~1e-7 accurate: display, plots and KS tests only. */
export function betaCdf(x: number, a: number, b: number): number {
  checkShapes("betaCdf", a, b);
  return jStat.beta.cdf(x, a, b);
}

/**
 * log of a Gamma(shape, 1) variate. shape ≥ 1: Marsaglia & Tsang (2000) squeeze/rejection, returned as
 * log d + log v so nothing is exponentiated. shape < 1: the boost Gamma(a) = Gamma(a+1)·U^{1/a}, applied in
 * log space (log G = log G(a+1) + log(U)/a) because U^{1/a} underflows for small a (a = 0.05 gives
 * U^{20}, below 1e-308 for U < 1e-16) while its log is an ordinary number (≥ −745/a).
 */
export function sampleLogGamma(rng: Rng, shape: number): number {
  if (!(shape > 0) || !Number.isFinite(shape)) {
    throw new InputError("sampleLogGamma", `sampleLogGamma: shape = ${shape} must be finite and > 0`);
  }
  if (shape < 1) return logGammaMT(rng, shape + 1) + Math.log(rng.uniformOpen()) / shape;
  return logGammaMT(rng, shape);
}

/**
 * A Gamma(shape, 1) variate, exp(sampleLogGamma). It underflows to 0 when the draw is below ~1e-308:
 * probability P(G < 1e-308) ≈ 4e-16 at shape 0.05 but ≈ 8e-4 at shape 0.01. For ratios use sampleLogGamma
 * (as sampleBeta does).
 */
export function sampleGamma(rng: Rng, shape: number): number {
  return Math.exp(sampleLogGamma(rng, shape));
}

/** Marsaglia–Tsang for shape ≥ 1, returning the log of the draw. */
function logGammaMT(rng: Rng, shape: number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x = 0;
    let v = 0;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.uniformOpen();
    const x2 = x * x;
    // cheap squeeze first, then the exact log test
    if (u < 1 - 0.0331 * x2 * x2) return Math.log(d) + Math.log(v);
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return Math.log(d) + Math.log(v);
  }
}

/**
 * One λ ~ Beta(a, b): with X ~ Gamma(a), Y ~ Gamma(b), λ = X/(X+Y) = σ(log X − log Y). Working with
 * logs keeps it exact in law for tiny shapes (both X and Y may be below 1e-308) and never gives NaN.
 * The result is in [0, 1] (it may round to exactly 0 or 1 when a or b is tiny).
 */
export function sampleBeta(rng: Rng, a: number, b: number): number {
  checkShapes("sampleBeta", a, b);
  return sigmoidRounded(sampleLogGamma(rng, a) - sampleLogGamma(rng, b));
}

/**
 * σ(z) = 1/(1+e^{−z}) with a single final rounding: for z ≥ 0 as 1 − e/(1+e), e = e^{−z} (the small
 * complement is relatively accurate, then rounded once), so λ is the double nearest the exact value up to
 * ~ε·(1−λ). 1/(1+e) would round twice; with b < 1 a fifth of all draws lie within 1e-16 of 1, and the
 * double rounding visibly biases which of the few doubles there they land on (a KS test on 200k draws sees it).
 */
function sigmoidRounded(z: number): number {
  if (z >= 0) {
    const e = Math.exp(-z);
    return 1 - e / (1 + e);
  }
  const e = Math.exp(z);
  return e / (1 + e);
}

/** Fill `out` with independent Beta(a, b) draws (same stream as repeated sampleBeta calls). */
export function sampleBetaInto(rng: Rng, a: number, b: number, out: Float64Array): Float64Array {
  checkShapes("sampleBetaInto", a, b);
  for (let i = 0; i < out.length; i++) out[i] = sigmoidRounded(sampleLogGamma(rng, a) - sampleLogGamma(rng, b));
  return out;
}

export function checkShapes(where: string, a: number, b: number): void {
  if (!(a > 0) || !Number.isFinite(a)) throw new InputError(where, `${where}: a = ${a} must be finite and > 0`);
  if (!(b > 0) || !Number.isFinite(b)) throw new InputError(where, `${where}: b = ${b} must be finite and > 0`);
}

function checkOrder(where: string, k: number): void {
  if (!Number.isInteger(k) || k < 0) throw new InputError(where, `${where}: k = ${k} must be an integer ≥ 0`);
}
