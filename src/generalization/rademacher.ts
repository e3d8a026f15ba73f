import type { Dataset } from "../core/dataset.js";
import type { Rng } from "../core/rng.js";
import type { DataSvd } from "../linalg/dataSvd.js";
import type { ScalarFamily } from "../losses/types.js";
import { gammaOf } from "./moments.js";

/**
 * Empirical Rademacher complexities Rad_S(F) = E_σ sup_{θ∈F} (1/n)·Σ σ_i θᵀx_i of the classes of Section 4
 * (docs/theory.md §4.7), by Monte Carlo over N sign vectors σ drawn from one Rng, with a 95% interval
 * mean ± 1.96·sd/√N (normal approximation; the per-σ suprema are bounded, so the CLT applies).
 */
export interface MonteCarlo {
  value: number;
  ci95: [number, number];
  samples: number;
}

/** σ ∈ {−1, +1}ⁿ, one uniform per entry. */
export function signVector(rng: Rng, out: Float64Array): Float64Array {
  for (let i = 0; i < out.length; i++) out[i] = rng.uniform() < 0.5 ? -1 : 1;
  return out;
}

export function monteCarlo(values: Float64Array): MonteCarlo {
  const N = values.length;
  let mean = 0;
  for (const v of values) mean += v;
  mean /= N;
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  const half = N > 1 ? (1.96 * Math.sqrt(ss / (N - 1))) / Math.sqrt(N) : 0;
  return { value: mean, ci95: [mean - half, mean + half], samples: N };
}

/**
 * The exact supremum over the ellipsoid {θᵀΣ̂θ ≤ s} for one σ [exact]: with u = Xᵀσ/n and Σ̂ = XᵀX/n,
 * sup θᵀu = √s·√(uᵀΣ̂⁺u) (Cauchy–Schwarz in the Σ̂ inner product; u lies in range(Σ̂)), and with the thin SVD
 * X = U_r·S·V_rᵀ, uᵀΣ̂⁺u = ‖U_rᵀσ‖²/n. So the supremum is √s·‖Pσ‖/√n, P = U_rU_rᵀ the projector onto the column
 * space of X in ℝⁿ (svd.left). Hence E_σ[sup²] = s·rank/n exactly (E‖Pσ‖² = tr P).
 */
export function ellipsoidSup(svd: DataSvd, s: number, sigma: Float64Array): number {
  const { n, rank, left } = svd;
  let t = 0;
  for (let c = 0; c < rank; c++) {
    let p = 0;
    for (let i = 0; i < n; i++) p += left[i * rank + c] * sigma[i];
    t += p * p;
  }
  return Math.sqrt(s * t) / Math.sqrt(n);
}

/** The ridge ball {‖θ‖² ≤ γ}: sup θᵀXᵀσ/n = √γ·‖Xᵀσ‖/n [exact]. */
export function ridgeSup(ds: Dataset, gamma: number, sigma: Float64Array): number {
  const { n, d, X } = ds;
  const u = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const si = sigma[i];
    for (let k = 0; k < d; k++) u[k] += si * X[i * d + k];
  }
  let t = 0;
  for (let k = 0; k < d; k++) t += u[k] * u[k];
  return (Math.sqrt(gamma) * Math.sqrt(t)) / n;
}

/**
 * A LOWER estimate of sup over W_γ(B) = {‖θ‖ ≤ B, γ(θ) ≤ γ} for one σ [beyond]: any feasible θ gives one. The
 * candidates are the rays of the ellipsoid's maximiser Σ̂⁺u and of u = Xᵀσ/n (and their normalised mean); on
 * each ray t·w the objective t·wᵀu grows with t, so the largest feasible t ≤ B/‖w‖ is taken, found on a grid of
 * `grid` radii and refined by bisection at the last feasible one (γ(t·w) need not be monotone in t: for
 * logistic it rises, then falls to 0).
 */
export function wGammaSupLower(ds: Dataset, svd: DataSvd, family: ScalarFamily, gamma: number, B: number, sigma: Float64Array, grid = 64): number {
  const { n, d, X } = ds;
  const u = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) u[k] += (sigma[i] * X[i * d + k]) / n;
  // Σ̂⁺u = n·V S⁻² Vᵀ u
  const { rank, right } = svd;
  const w1 = new Float64Array(d);
  for (let c = 0; c < rank; c++) {
    let p = 0;
    for (let k = 0; k < d; k++) p += right[k * rank + c] * u[k];
    const sc = (n * p) / (svd.sigma[c] * svd.sigma[c]);
    for (let k = 0; k < d; k++) w1[k] += sc * right[k * rank + c];
  }
  const unit = (w: Float64Array) => {
    let t = 0;
    for (const v of w) t += v * v;
    const r = Math.sqrt(t);
    return r > 0 ? w.map((v) => v / r) : w;
  };
  const a = unit(w1);
  const b = unit(u.slice());
  const mix = unit(a.map((v, k) => v + b[k]));
  let best = 0;
  const th = new Float64Array(d);
  const feasible = (w: Float64Array, t: number) => {
    for (let k = 0; k < d; k++) th[k] = t * w[k];
    return gammaOf(ds, th, family) <= gamma;
  };
  for (const w of [a, b, mix]) {
    let gain = 0;
    for (let k = 0; k < d; k++) gain += w[k] * u[k];
    if (!(gain > 0)) continue;
    let lo = 0;
    for (let g = grid; g >= 1; g--) {
      const t = (B * g) / grid;
      if (feasible(w, t)) {
        lo = t;
        break;
      }
    }
    if (lo === 0) continue;
    let hi = Math.min(B, lo + B / grid);
    if (lo < B && !feasible(w, hi)) {
      for (let it = 0; it < 40; it++) {
        const mid = 0.5 * (lo + hi);
        if (feasible(w, mid)) lo = mid;
        else hi = mid;
      }
    } else lo = hi;
    best = Math.max(best, lo * gain);
  }
  return best;
}

/** Monte Carlo of a per-σ supremum over `samples` sign vectors from rng. */
export function rademacher(n: number, samples: number, rng: Rng, sup: (sigma: Float64Array) => number): MonteCarlo {
  const sigma = new Float64Array(n);
  const vals = new Float64Array(samples);
  for (let k = 0; k < samples; k++) vals[k] = sup(signVector(rng, sigma));
  return monteCarlo(vals);
}
