/**
 * Where the mass of a concentrated Beta law sits (docs/numerics.md, "Extreme Beta shapes"). For large
 * α + β the density of Beta(α, β) is a peak of width ~1/√(α+β) around μ = α/(α+β) (or, for a skewed law
 * such as Beta(1, 1e9), a tail of length ~1/(α+β) next to an end). A rule on a piece much wider than the
 * peak can miss it entirely, with two rules agreeing on a wrong value; so every integrator over λ splits
 * its pieces at μ + scale·t for the points t of WINDOW_T, scale = max(sd, 1/(α+β)). Beyond 60 scales the
 * mass is below e^{−60}, and those pieces are still integrated, not dropped.
 */

/** Offsets of the break points, in units of the window's scale (each also with the opposite sign). */
export const WINDOW_T = [0, 1, 2, 3, 4.5, 6.5, 9, 13, 20, 30, 45, 60];

/** A law whose scale is below this (α = β ≳ 100) gets window points; wider ones are resolved by bisection. */
export const WINDOW_MAX_SCALE = 0.025;

/** Centre μ and scale of Beta(a, b): the standard deviation, or 1/(a+b) where that is larger (skewed laws). */
export function betaWindow(a: number, b: number): { mu: number; scale: number } {
  const s = a + b;
  const mu = a / s;
  const sd = Math.sqrt((mu * (1 - mu)) / (s + 1));
  return { mu, scale: Math.max(sd, 1 / s) };
}

/** True when Beta(a, b) is concentrated enough to need window points. */
export function isConcentrated(a: number, b: number): boolean {
  return betaWindow(a, b).scale < WINDOW_MAX_SCALE;
}

/** The sorted distinct window points in (0, 1) of every concentrated law among `laws`. */
export function windowPoints(laws: ReadonlyArray<{ a: number; b: number }>): Float64Array {
  const pts: number[] = [];
  for (const { a, b } of laws) {
    const { mu, scale } = betaWindow(a, b);
    if (!(scale < WINDOW_MAX_SCALE)) continue;
    for (const t of WINDOW_T) {
      // not nearer an end than half a scale: the interior piece after such a point would sit next to the
      // weight's singular end (Beta(1e-15, 1e8) has μ = 1e-23 and scale 1e-8: the piece [1e-23, 1e-8] saw
      // λ^{−1} at 1e-15 of its length and never converged); the end piece takes that mass instead
      for (const v of t === 0 ? [mu] : [mu - scale * t, mu + scale * t]) if (v >= 0.5 * scale && 1 - v >= 0.5 * scale) pts.push(v);
    }
  }
  pts.sort((p, q) => p - q);
  const out = pts.filter((v, k) => k === 0 || v > pts[k - 1]);
  return Float64Array.from(out);
}

/**
 * How far a piece [lo, hi] reaches across the concentrated laws' windows, in "score units" for the Kronrod
 * start rung: 2·(its overlap with μ ± 12 scales)/scale, the largest over the laws, 0 when it overlaps none. A
 * Gaussian peak changes like a score moving 2 per scale; farther out the density is below e^{−12} of its
 * peak for Gaussian-like laws, and a piece there starts low and climbs the ladder only if it must (the
 * exponential tail of a skewed law does).
 */
export class WindowReach {
  private readonly mu: Float64Array;
  private readonly scale: Float64Array;

  constructor(laws: ReadonlyArray<{ a: number; b: number }>) {
    const mu: number[] = [];
    const scale: number[] = [];
    for (const { a, b } of laws) {
      const w = betaWindow(a, b);
      if (w.scale < WINDOW_MAX_SCALE) {
        mu.push(w.mu);
        scale.push(w.scale);
      }
    }
    this.mu = Float64Array.from(mu);
    this.scale = Float64Array.from(scale);
  }

  get any(): boolean {
    return this.mu.length > 0;
  }

  reach(lo: number, hi: number): number {
    let d = 0;
    for (let c = 0; c < this.mu.length; c++) {
      const w = 12 * this.scale[c];
      const overlap = Math.min(hi, this.mu[c] + w) - Math.max(lo, this.mu[c] - w);
      if (overlap > 0) d = Math.max(d, (2 * overlap) / this.scale[c]);
    }
    return d;
  }
}
