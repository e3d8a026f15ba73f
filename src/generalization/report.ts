import type { Dataset } from "../core/dataset.js";
import { InputError } from "../core/errors.js";
import type { Rng } from "../core/rng.js";
import { dataSvd } from "../linalg/dataSvd.js";
import type { ScalarFamily } from "../losses/types.js";
import type { Model } from "../models/types.js";
import { ridgeBound, theorem41Bound } from "./bounds.js";
import { traceSecondMoment } from "./moments.js";
import { ellipsoidSup, rademacher, ridgeSup, wGammaSupLower, type MonteCarlo } from "./rademacher.js";
import { regularizerForms, type RegularizerForms } from "./regularizer.js";
import { rhoRetentive } from "./rho.js";

/** The largest d for the W_γ(B) lower estimate (a constrained search per sign vector). */
export const WGAMMA_MAX_D = 100;
/** At most this many sign vectors for the W_γ(B) estimate (its per-σ search costs ~200 γ(θ) evaluations). */
export const WGAMMA_MAX_SAMPLES = 200;

export interface GeneralizationOptions {
  readonly family: ScalarFamily;
  readonly gamma: number;
  readonly thetaBound: number;
  /** sign vectors of the Monte Carlo (default 1000) */
  readonly samples?: number;
  /** starts of the ρ search (default 8) */
  readonly starts?: number;
  /** ρ's starts draw from rng.fork(1), the sign vectors from rng.fork(2) (the same σ for every class) */
  readonly rng: Rng;
  /** "4.1" on the data, "4.2" on random ReLU features (the caller transforms the data) */
  readonly theorem: "4.1" | "4.2";
  /** with alpha (and beta): the regularizer forms at this linear model */
  readonly model?: Model;
  readonly alpha?: number;
  readonly beta?: number;
  readonly workers?: number;
}

export interface GeneralizationReport {
  n: number;
  d: number;
  rank: number;
  gamma: number;
  thetaBound: number;
  rho: { value: number; ratio: number; capped: boolean; minimizer: number[]; starts: number; note: string };
  rademacher: {
    ellipsoid: MonteCarlo & { s: number };
    ridge: MonteCarlo;
    wGamma: (MonteCarlo & { lowerEstimate: true }) | { value: null; reason: string };
  };
  bound: { theorem: "4.1" | "4.2"; value: number; s: number };
  ridgeBound: number;
  regularizer?: RegularizerForms;
}

/**
 * Section 4 on one data set (docs/theory.md §4; `mixup-theory generalization`): rank (numpy's rule), ρ(B) from
 * above, the Rademacher complexities of the ellipsoid {θᵀΣ̂θ ≤ s*} (exact per σ), of the ridge ball
 * {‖θ‖² ≤ γ} (exact per σ) and a lower estimate over W_γ(B) (small d), Theorem 4.1's bound and the ridge
 * bound; with a model and α, the regularizer forms.
 */
export async function generalizationReport(ds: Dataset, o: GeneralizationOptions): Promise<GeneralizationReport> {
  const svd = dataSvd(ds.X, ds.n, ds.d);
  const where = ds.source ?? "data";
  if (svd.rank === 0) throw new InputError(where, `${where}: the data have rank 0 (every row is zero): Σ̂ = 0 and ρ is undefined`);
  const samples = o.samples ?? 1000;
  const rho = rhoRetentive(ds, svd, o.family, o.thetaBound, { starts: o.starts ?? 8, rng: o.rng.fork(1) });
  const bound = theorem41Bound(o.gamma, rho.value, svd.rank, ds.n);
  const ellipsoid = rademacher(ds.n, samples, o.rng.fork(2), (sg) => ellipsoidSup(svd, bound.s, sg));
  const ridge = rademacher(ds.n, samples, o.rng.fork(2), (sg) => ridgeSup(ds, o.gamma, sg));
  const wGamma =
    ds.d <= WGAMMA_MAX_D
      ? {
          ...rademacher(ds.n, Math.min(samples, WGAMMA_MAX_SAMPLES), o.rng.fork(2), (sg) => wGammaSupLower(ds, svd, o.family, o.gamma, o.thetaBound, sg)),
          lowerEstimate: true as const,
        }
      : { value: null, reason: `d = ${ds.d} > ${WGAMMA_MAX_D}: the constrained search over W_γ(B) is for small d` };
  const out: GeneralizationReport = {
    n: ds.n,
    d: ds.d,
    rank: svd.rank,
    gamma: o.gamma,
    thetaBound: o.thetaBound,
    rho: { value: rho.value, ratio: rho.ratio, capped: rho.capped, minimizer: Array.from(rho.minimizer), starts: rho.starts, note: rho.note },
    rademacher: { ellipsoid: { ...ellipsoid, s: bound.s }, ridge, wGamma },
    bound: { theorem: o.theorem, value: bound.value, s: bound.s },
    ridgeBound: ridgeBound(o.gamma, traceSecondMoment(ds), ds.n),
  };
  if (o.model !== undefined && o.alpha !== undefined) {
    out.regularizer = await regularizerForms(ds, o.model, o.family, o.alpha, o.beta ?? o.alpha, { workers: o.workers });
  }
  return out;
}
