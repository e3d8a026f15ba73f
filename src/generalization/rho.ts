import type { Dataset } from "../core/dataset.js";
import type { Rng } from "../core/rng.js";
import { sigmoid } from "../core/special.js";
import type { DataSvd } from "../linalg/dataSvd.js";
import type { ScalarFamily } from "../losses/types.js";

/** A'''(z) of the scalar families (the ratio's gradient): logistic σ(1−σ)(1−2σ), Poisson e^z, squared 0. */
export function h3(family: ScalarFamily, z: number): number {
  if (family.name === "logistic") {
    const s = sigmoid(z);
    return s * (1 - s) * (1 - 2 * s);
  }
  if (family.name === "poisson") return Math.exp(z);
  return 0;
}

export interface RhoResult {
  /** the estimate of ρ(B), capped at ½ (the definition's range (0, ½]) */
  value: number;
  /** the smallest ratio found, before the cap */
  ratio: number;
  capped: boolean;
  /** the v that attains `ratio` (length d), in range(Σ̂) with ‖v‖ ≤ B */
  minimizer: Float64Array;
  starts: number;
  /** "estimate of the minimum from above: the true ρ(B) may be smaller" */
  note: string;
}

/**
 * ρ-retentiveness over the ball (docs/theory.md §4.3) [reconstructed]:
 *   ρ(B) = min over v ∈ range(Σ̂), 0 < ‖v‖ ≤ B, of E[A''(vᵀx)] / min{1, vᵀΣ̂v}, capped at ½.
 * Seeded multi-start minimisation in the coordinates v = V_r·u (V_r = svd.right, so v stays in the range and
 * ‖v‖ = ‖u‖): projected gradient descent on the sphere ‖u‖ = B from each start, then a radial scan of the best
 * direction over 48 radii in (0, B] (log-spaced from B·1e-4), since for some families the minimum is inside the
 * ball. Any v gives an upper bound on the minimum, so the result is an estimate FROM ABOVE.
 */
export function rhoRetentive(ds: Dataset, svd: DataSvd, family: ScalarFamily, B: number, opts: { starts: number; rng: Rng; iterations?: number }): RhoResult {
  const { n, d, X } = ds;
  const r = svd.rank;
  const V = svd.right;
  // Z = X·V_r (n×r): z = Z·u costs O(n·r)
  const Z = new Float64Array(n * r);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < r; c++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += X[i * d + k] * V[k * r + c];
      Z[i * r + c] = s;
    }
  }
  const z = new Float64Array(n);
  const grad = new Float64Array(r);
  /** the ratio at u, and its gradient into grad */
  const ratio = (u: Float64Array, withGrad: boolean): number => {
    let N = 0;
    let D = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < r; c++) s += Z[i * r + c] * u[c];
      z[i] = s;
      N += family.h2(s);
      D += s * s;
    }
    N /= n;
    D /= n;
    if (!(D > 0)) return Infinity;
    const inner = D < 1;
    const value = inner ? N / D : N;
    if (withGrad) {
      grad.fill(0);
      for (let i = 0; i < n; i++) {
        // ∂/∂u of N/D or N: (h3·D − N·2z)/D² or h3, per row, times Z_i / n
        const g = inner ? (h3(family, z[i]) * D - N * 2 * z[i]) / (D * D) : h3(family, z[i]);
        for (let c = 0; c < r; c++) grad[c] += (g * Z[i * r + c]) / n;
      }
    }
    return value;
  };
  const iterations = opts.iterations ?? 200;
  let best = Infinity;
  const bestU = new Float64Array(r);
  const u = new Float64Array(r);
  const trial = new Float64Array(r);
  const toSphere = (w: Float64Array, radius: number) => {
    let t = 0;
    for (const v of w) t += v * v;
    const s = radius / Math.sqrt(t);
    for (let c = 0; c < r; c++) w[c] *= s;
  };
  for (let st = 0; st < opts.starts && r > 0; st++) {
    for (let c = 0; c < r; c++) u[c] = opts.rng.normal();
    toSphere(u, B);
    let f = ratio(u, true);
    let step = B;
    for (let it = 0; it < iterations && step > B * 1e-10; it++) {
      // the tangential part of the gradient
      let gu = 0;
      for (let c = 0; c < r; c++) gu += grad[c] * u[c];
      let gn = 0;
      for (let c = 0; c < r; c++) gn += (grad[c] - (gu * u[c]) / (B * B)) ** 2;
      gn = Math.sqrt(gn);
      if (!(gn > 0)) break;
      for (let c = 0; c < r; c++) trial[c] = u[c] - (step * (grad[c] - (gu * u[c]) / (B * B))) / gn;
      toSphere(trial, B);
      const ft = ratio(trial, false);
      if (ft < f) {
        u.set(trial);
        f = ratio(u, true);
        step *= 1.5;
      } else step *= 0.5;
    }
    if (f < best) {
      best = f;
      bestU.set(u);
    }
  }
  // radial scan of the best direction inside the ball
  for (let k = 0; k < 48 && r > 0; k++) {
    const t = B * Math.pow(1e-4, k / 47);
    for (let c = 0; c < r; c++) trial[c] = (bestU[c] * t) / B;
    const f = ratio(trial, false);
    if (f < best) {
      best = f;
      u.set(trial);
      bestU.set(trial);
    }
  }
  const minimizer = new Float64Array(d);
  for (let k = 0; k < d; k++) {
    let s = 0;
    for (let c = 0; c < r; c++) s += V[k * r + c] * bestU[c];
    minimizer[k] = s;
  }
  return {
    value: Math.min(0.5, best),
    ratio: best,
    capped: best >= 0.5,
    minimizer,
    starts: opts.starts,
    note: "an estimate of the minimum from above (multi-start local search): the true ρ(B) may be smaller",
  };
}
