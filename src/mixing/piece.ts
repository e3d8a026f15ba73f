/**
 * Quadrature on a piece [lo, hi] ⊆ [0,1] of the normalised Beta(a, b) density p, keeping its end-point
 * singularities: ∫_lo^hi g(λ) p(λ) dλ ≈ Σ_k w_k g(x_k). docs/theory.md §6.1: a ReLU net is only
 * piecewise smooth in λ along a pair, so the Mixup integral is split at the kinks; the pieces touching 0 or
 * 1 still carry λ^{a−1} or (1−λ)^{b−1}, which a plain Gauss rule cannot integrate.
 *
 *  - [0, 1]:      the Gauss–Jacobi rule of Beta(a, b).
 *  - [0, hi]:     λ = hi·t:  ∫_0^hi g p dλ = hi^a/(a·B(a,b)) · E_{t~Beta(a,1)}[g(hi t)(1 − hi t)^{b−1}],
 *                 the Gauss–Jacobi rule of t^{a−1} with the smooth factor (1 − hi t)^{b−1} in the weights.
 *  - [lo, 1]:     the mirror image, 1 − λ = (1 − lo)·t, rule of t^{b−1}, factor (1 − (1−lo)t)^{a−1}.
 *  - [lo, hi]:    Gauss–Legendre on [lo, hi] times p at the nodes (p is smooth inside (0,1)).
 *
 * Accuracy caveat: on [0, hi] the folded factor (1 − hi·t)^{b−1} is singular at t = 1/hi, so for b < 1 the
 * rule converges slowly when hi is close to 1; keep hi ≤ 1/2 when b < 1 (callers split at 1/2), and
 * likewise lo ≥ 1/2 on [lo, 1] when a < 1. Interior pieces need their end points not too close to 0 or 1
 * relative to their length when a or b ≠ 1 (again: split at 1/2 and keep breakpoints away from 0, 1).
 * Normalisation uses logBetaAccurate (see lbeta.ts); for shapes in the hundreds the density itself is
 * exp of a difference of terms ~ a+b, so weights there are good to ~(a+b)·ε relatively. Every weight is
 * one exp of a summed exponent, never a product of separately exponentiated factors (which overflow and
 * underflow to ∞·0 = NaN for shapes beyond ~1500).
 */
import { InputError } from "../core/errors.js";
import { checkShapes } from "./beta.js";
import { BetaLogDensity } from "./betaDensity.js";
import { gaussJacobi, gaussLegendre } from "./jacobi.js";
import { logBetaAccurate } from "./lbeta.js";
import type { BetaMixture, JacobiRule } from "./rule.js";

export class PieceRule {
  readonly N: number;
  readonly a: number;
  readonly b: number;
  private readonly full: JacobiRule;
  private readonly left: JacobiRule;
  private readonly right: JacobiRule;
  private readonly legendre: JacobiRule;
  private readonly logB: number;
  private readonly logA: number;
  private readonly logBShape: number;
  private readonly density: BetaLogDensity;

  /** N nodes per piece for Beta(a, b); the four reference rules are built (or fetched from cache) here. */
  constructor(N: number, a: number, b: number) {
    checkShapes("PieceRule", a, b);
    this.N = N;
    this.a = a;
    this.b = b;
    this.full = gaussJacobi(N, a, b);
    this.left = gaussJacobi(N, a, 1); // t^{a−1} on [0,1], normalised (mass 1/a)
    this.right = gaussJacobi(N, b, 1); // t^{b−1} on [0,1], normalised (mass 1/b)
    this.legendre = gaussLegendre(N);
    this.logB = logBetaAccurate(a, b);
    this.logA = Math.log(a);
    this.logBShape = Math.log(b);
    this.density = new BetaLogDensity(a, b);
  }

  /**
   * Write the N nodes x[off..off+N) and weights w[off..off+N) of the rule for ∫_lo^hi g(λ) p(λ) dλ, and if
   * `y` is given, y = 1 − x to full relative accuracy. Requires 0 ≤ lo ≤ hi ≤ 1 (lo = hi gives zero
   * weights). Returns N. Allocation-free: it is called for every piece of every pair.
   */
  fill(lo: number, hi: number, x: Float64Array, w: Float64Array, off: number, y?: Float64Array): number {
    const N = this.N;
    if (!(lo >= 0 && lo <= hi && hi <= 1)) {
      throw new InputError("PieceRule.fill", `PieceRule.fill: need 0 ≤ lo ≤ hi ≤ 1, got [${lo}, ${hi}]`);
    }
    if (off < 0 || off + N > x.length || off + N > w.length || (y !== undefined && off + N > y.length)) {
      throw new RangeError(`PieceRule.fill: ${N} nodes at offset ${off} do not fit the output arrays`);
    }
    const am1 = this.a - 1;
    const bm1 = this.b - 1;
    if (lo === hi) {
      for (let k = 0; k < N; k++) {
        x[off + k] = lo;
        w[off + k] = 0;
        if (y !== undefined) y[off + k] = 1 - lo;
      }
    } else if (lo === 0 && hi === 1) {
      const r = this.full;
      for (let k = 0; k < N; k++) {
        x[off + k] = r.x[k];
        w[off + k] = r.w[k];
        if (y !== undefined) y[off + k] = r.y[k];
      }
    } else if (lo === 0) {
      // λ = hi·t; weight hi^a/(a B(a,b)) · w_t · (1 − hi t)^{b−1}
      // the exponent is summed before exp: for large shapes hi^a/(a B(a,b)) alone overflows (a = b = 2000,
      // hi = 1/2: e^{1385}) while (1 − hi t)^{b−1} underflows, and their product came out as ∞·0 = NaN
      const r = this.left;
      const logScale = this.a * Math.log(hi) - this.logA - this.logB;
      const D = this.density;
      const dhi = hi - D.mu;
      for (let k = 0; k < N; k++) {
        const u = hi * r.x[k];
        x[off + k] = u;
        if (y !== undefined) y[off + k] = 1 - u;
        if (D.stirling) {
          // weight = w_t·hi·p(λ)/(a·t^{a−1}) with p from the Stirling form: logScale alone carries ~(a+b)·ε
          // of rounding into every weight, while here (a−1)·log t is small where the weights are not
          const t = r.x[k];
          const logT = t <= 0.5 ? Math.log(t) : Math.log1p(-r.y[k]);
          w[off + k] = r.w[k] * hi * Math.exp(D.log(u, 1 - u, dhi - hi * r.y[k]) - this.logA - am1 * logT);
        } else w[off + k] = r.w[k] * Math.exp(bm1 === 0 ? logScale : logScale + bm1 * Math.log1p(-u));
      }
    } else if (hi === 1) {
      // 1 − λ = (1 − lo)·t; weight (1−lo)^b/(b B(a,b)) · w_t · (1 − (1−lo) t)^{a−1}
      const r = this.right;
      const oml = 1 - lo;
      const logScale = this.b * Math.log(oml) - this.logBShape - this.logB;
      const D = this.density;
      const dlo = lo - D.mu;
      for (let k = 0; k < N; k++) {
        const v = oml * r.x[k];
        x[off + k] = 1 - v;
        if (y !== undefined) y[off + k] = v;
        if (D.stirling) {
          // the mirror image of the [0, hi] case: weight = w_t·(1−lo)·p(λ)/(b·t^{b−1}), 1 − λ = (1−lo)·t
          const t = r.x[k];
          const logT = t <= 0.5 ? Math.log(t) : Math.log1p(-r.y[k]);
          w[off + k] = r.w[k] * oml * Math.exp(D.log(1 - v, v, dlo + oml * r.y[k]) - this.logBShape - bm1 * logT);
        } else w[off + k] = r.w[k] * Math.exp(am1 === 0 ? logScale : logScale + am1 * Math.log1p(-v));
      }
    } else {
      // Gauss–Legendre on [lo, hi] times p; each node measured from its nearer end, so λ and 1 − λ are
      // both relatively accurate (log λ, log(1 − λ) enter the density), and so is its offset from the
      // density's centre, which is what a narrow peak is read at (betaDensity.ts)
      const r = this.legendre;
      const h = hi - lo;
      const oml = 1 - lo;
      const omh = 1 - hi;
      const D = this.density;
      const dlo = lo - D.mu;
      const dhi = hi - D.mu;
      for (let k = 0; k < N; k++) {
        const u = r.x[k];
        let lam: number;
        let mlam: number;
        let d: number;
        if (u <= 0.5) {
          lam = lo + h * u;
          mlam = oml - h * u;
          d = dlo + h * u;
        } else {
          const v = r.y[k];
          lam = hi - h * v;
          mlam = omh + h * v;
          d = dhi - h * v;
        }
        x[off + k] = lam;
        if (y !== undefined) y[off + k] = mlam;
        w[off + k] = h * r.w[k] * D.value(lam, mlam, d);
      }
    }
    return N;
  }
}

/**
 * PieceRule for a Beta mixture Σ c_i Beta(a_i, b_i) (e.g. D̃, docs/theory.md §2.5): the components' N-node piece
 * rules written one after the other (component i at off + i·N), weights times c_i. `fill` returns
 * maxNodes = N × (number of components).
 */
export class MixturePieceRule {
  readonly N: number;
  readonly maxNodes: number;
  private readonly rules: PieceRule[];
  private readonly c: Float64Array;

  constructor(mix: BetaMixture, N: number) {
    const comps = mix.components;
    if (comps.length === 0) throw new InputError("MixturePieceRule", "MixturePieceRule: the mixture has no components");
    this.N = N;
    this.rules = comps.map((comp) => new PieceRule(N, comp.a, comp.b));
    this.c = Float64Array.from(comps, (comp) => comp.c);
    this.maxNodes = N * comps.length;
  }

  /** As PieceRule.fill, for the whole mixture; writes and returns maxNodes entries. */
  fill(lo: number, hi: number, x: Float64Array, w: Float64Array, off: number, y?: Float64Array): number {
    const N = this.N;
    for (let i = 0; i < this.rules.length; i++) {
      const o = off + i * N;
      this.rules[i].fill(lo, hi, x, w, o, y);
      const c = this.c[i];
      for (let k = 0; k < N; k++) w[o + k] *= c;
    }
    return this.maxNodes;
  }
}
