/**
 * The Beta(a, b) density at quadrature nodes, accurate for every shape (docs/numerics.md, "Extreme Beta
 * shapes"). The plain form (a−1)·log λ + (b−1)·log(1−λ) − log B(a, b) adds terms of size ~(a+b): at
 * a = b = 1e9 its rounding is ~1e-7 of the density. For min(a, b) ≥ STIRLING_MIN the log density is
 * formed as TOMS 708 (brcomp) does, from Stirling series whose large terms cancel exactly:
 *
 *   log p(λ) = ½·log(ab/(2π·s)) − [δ(a) + δ(b) − δ(s)] − a·rlog1(L/a) − b·rlog1(−L/b) − log λ − log(1−λ),
 *   s = a + b,  L = s·λ − a = s·(λ − μ),  μ = a/s,  rlog1(x) = x − log(1+x) ≥ 0,
 *
 * where δ is the Stirling remainder of log Γ. L is taken from the node's offset from μ̂ (a double next to
 * μ), d = λ − μ̂, as s·d + (s·μ̂ − a) with s = a + b held exactly as s_hi + s_lo and the second term exact
 * (two-product): the density near its peak then depends on d, never on λ rounded to a double near μ, nor on
 * s rounded (fl(a + b) is off by up to ulp(s)/2, which is L's error at λ ≈ 1: 3e-11 at s = 2.6e5). Below STIRLING_MIN the plain form is used,
 * with log(1−λ) = log1p(−λ) for λ ≤ ½ (and log λ = log1p(−(1−λ)) above), which keeps (b−1)·log(1−λ)
 * accurate when b is huge and λ tiny.
 */
import { logBetaAccurate, stirlingDelta } from "./lbeta.js";

/** Both shapes at least this: the Stirling form (δ(x) is accurate to < 1e-19 for x ≥ 10). */
export const STIRLING_MIN = 10;

const HALF_LOG_2PI = 0.9189385332046727418;

/** x − log(1 + x) for x > −1, without cancellation near 0. */
export function rlog1(x: number): number {
  if (Math.abs(x) > 0.375) return x - Math.log1p(x);
  // log(1+x) = 2·atanh(t), t = x/(2+x): x − log(1+x) = x²/(2+x) − 2(t³/3 + t⁵/5 + …), |t| ≤ 0.23
  const t = x / (2 + x);
  const t2 = t * t;
  let term = t * t2;
  let sum = 0;
  for (let k = 3; k < 60; k += 2) {
    const v = term / k;
    sum += v;
    if (Math.abs(v) <= 1e-17 * Math.abs(sum)) break;
    term *= t2;
  }
  return (x * x) / (2 + x) - 2 * sum;
}

/** x^e for the integer exponents 0..3 of a polynomial density (branches, not a loop: it runs per node). */
export function pow3(x: number, e: number): number {
  return e === 0 ? 1 : e === 1 ? x : e === 2 ? x * x : x * x * x;
}

/** Exact two-sum: a + b = s + e with s = fl(a + b) (Knuth). */
function twoSum(a: number, b: number): [number, number] {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}

/** Exact two-product: a·b = p + e with p = fl(a·b) (Dekker / Veltkamp split). */
function twoProduct(a: number, b: number): [number, number] {
  const p = a * b;
  const split = 134217729; // 2^27 + 1
  const ca = split * a;
  const ah = ca - (ca - a);
  const al = a - ah;
  const cb = split * b;
  const bh = cb - (cb - b);
  const bl = b - bh;
  const e = ah * bh - p + ah * bl + al * bh + al * bl;
  return [p, e];
}

/** log of c·p_{Beta(a,b)} at nodes, for one component (mass c) of a mixture. */
export class BetaLogDensity {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  /** min(a, b) ≥ STIRLING_MIN */
  readonly stirling: boolean;
  /** the double nearest a/(a+b): offsets d = λ − mu are what the Stirling form reads */
  readonly mu: number;
  /** a + b = sHi + sLo exactly */
  private readonly sHi: number;
  private readonly sLo: number;
  /** (a + b)·mu − a, exactly (up to one rounding of a tiny number) */
  private readonly c0: number;
  /** Stirling form: log c + ½log(ab/(2πs)) − [δ(a) + δ(b) − δ(s)]; plain form: log c − log B(a, b) */
  private readonly logK: number;
  readonly am1: number;
  readonly bm1: number;
  /** both exponents are integers 0..3 (plain form): the density is cOverB·λ^{a−1}(1−λ)^{b−1}, by products */
  readonly poly: boolean;
  readonly cOverB: number;

  constructor(a: number, b: number, c = 1) {
    this.a = a;
    this.b = b;
    this.c = c;
    const [s, sLo] = twoSum(a, b);
    this.sHi = s;
    this.sLo = sLo;
    this.mu = a / s;
    this.am1 = a - 1;
    this.bm1 = b - 1;
    this.stirling = Math.min(a, b) >= STIRLING_MIN;
    if (this.stirling) {
      const [p, e] = twoProduct(s, this.mu);
      // p − a is exact (p is within a factor 2 of a), the rest are small corrections
      this.c0 = p - a + (e + sLo * this.mu);
      this.logK = Math.log(c) + 0.5 * (Math.log(a) + Math.log(b) - Math.log(s)) - HALF_LOG_2PI - (stirlingDelta(a) + stirlingDelta(b) - stirlingDelta(s));
    } else {
      this.c0 = 0;
      this.logK = Math.log(c) - logBetaAccurate(a, b);
    }
    const small = (e: number) => Number.isInteger(e) && e >= 0 && e <= 3;
    this.poly = !this.stirling && small(this.am1) && small(this.bm1);
    this.cOverB = Math.exp(this.logK);
  }

  /**
   * c·p(λ) at a node (arguments as for `log`). At integer shapes 1..4 a polynomial, by products: no log or
   * exp per node (the label-free form at α = β = 1 has only such components).
   */
  value(lam: number, mlam: number, d: number): number {
    if (this.poly) return this.cOverB * pow3(lam, this.am1) * pow3(mlam, this.bm1);
    return Math.exp(this.log(lam, mlam, d));
  }

  /**
   * log(c·p(λ)) at a node: lam = λ and mlam = 1 − λ, each relatively accurate (measured from the nearer end
   * of the piece), and d = λ − mu from the node's offset (lo − mu) + h·u or (hi − mu) − h·v (read only by the
   * Stirling form).
   */
  log(lam: number, mlam: number, d: number): number {
    if (!this.stirling) {
      // log λ and log(1 − λ) only where their exponent is not 0 (Beta(α+1, 1) at α = 1 needs one)
      const lt = this.am1 === 0 ? 0 : this.am1 * (lam <= 0.5 ? Math.log(lam) : Math.log1p(-mlam));
      const mt = this.bm1 === 0 ? 0 : this.bm1 * (lam <= 0.5 ? Math.log1p(-lam) : Math.log(mlam));
      return this.logK + lt + mt;
    }
    const logLam = lam <= 0.5 ? Math.log(lam) : Math.log1p(-mlam);
    const logMlam = lam <= 0.5 ? Math.log1p(-lam) : Math.log(mlam);
    const L = this.sHi * d + (this.sLo * d + this.c0);
    return this.logK - this.a * rlog1(L / this.a) - this.b * rlog1(-L / this.b) - logLam - logMlam;
  }
}
