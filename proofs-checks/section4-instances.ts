/**
 * What theorem-4.1 and theorem-4.2 share (docs/theory.md §4.4–§4.5): one instance is a centered data set, a
 * γ and a ball B; the chain checked is  W_γ(B) lower estimate ≤ ellipsoid sup at s* ≤ the bound, per sign
 * vector σ for the first inequality (both exact suprema or lower estimates on the same σ) and for the Monte
 * Carlo mean for the second, through E[sup] ≤ √E[sup²] = √(s*·tr P/n) (exact).
 */
import { center, type Dataset } from "../src/core/dataset.js";
import type { Rng } from "../src/core/rng.js";
import { lowRankGaussian } from "../src/data/index.js";
import { dataSvd, ellipsoidSup, gammaOf, quadForm, rademacher, rhoRetentive, ridgeSup, signVector, theorem41Bound, wGammaSupLower } from "../src/generalization/index.js";
import { family } from "../src/losses/index.js";
import type { ScalarFamily } from "../src/losses/types.js";
import { logLogSlope } from "../src/core/fit.js";
import type { Check, CheckOptions, CheckOutcome } from "../src/verify/types.js";
import { outcome, r6, step } from "./util.js";

export const LOGISTIC = family("logistic") as ScalarFamily;

export interface Section4Instance {
  readonly label: string;
  readonly ds: Dataset;
  readonly gamma: number;
  readonly B: number;
  /** the x-coordinate of the slope findings (d or m) */
  readonly size: number;
}

/** Low-rank Gaussian data with unit-scale features (‖x‖² ≈ d), centered. */
export function lowRankData(rng: Rng, n: number, d: number, r: number): Dataset {
  return center(lowRankGaussian(rng, n, d, r));
}

export type Variant = "true" | "min" | "half";

export interface ChainResult {
  /** min over σ of (ellipsoid − W lower)/ellipsoid: ≥ 0 when W_γ(B) ⊂ the ellipsoid */
  inside: number;
  /**
   * (bound·(1 + 1e-10) − √(s*·tr P/n))/bound: E_σ[sup] ≤ √(E_σ[sup²]) = √(s*·tr P/n) (Jensen, exact), with
   * tr P = Σ‖rows of the column-space basis‖² computed, not assumed equal to the rank (it is, to ~rank·1e-13:
   * the 1e-10 allows for that rounding). The Monte Carlo mean and its interval are reported beside it.
   */
  below: number;
  details: Record<string, unknown>;
  ridge: number;
  bound: number;
}

/**
 * The chain on one instance. Variants (the negative controls): "min" puts min in place of max in s* and in
 * the bound; "half" halves the bound.
 */
export function chain(inst: Section4Instance, rng: Rng, samples: number, wSamples: number, variant: Variant = "true"): ChainResult {
  const { ds, gamma, B } = inst;
  const svd = dataSvd(ds.X, ds.n, ds.d);
  const rho = rhoRetentive(ds, svd, LOGISTIC, B, { starts: 6, rng: rng.fork(1) });
  const b = theorem41Bound(gamma, rho.value, svd.rank, ds.n, variant === "min" ? "min" : "max");
  const bound = variant === "half" ? b.value / 2 : b.value;
  const ell = rademacher(ds.n, samples, rng.fork(2), (sg) => ellipsoidSup(svd, b.s, sg));
  const ridge = rademacher(ds.n, samples, rng.fork(2), (sg) => ridgeSup(ds, gamma, sg));
  const sigma = new Float64Array(ds.n);
  const srng = rng.fork(3);
  let inside = Infinity;
  let wMean = 0;
  for (let k = 0; k < wSamples; k++) {
    signVector(srng, sigma);
    const e = ellipsoidSup(svd, b.s, sigma);
    const w = wGammaSupLower(ds, svd, LOGISTIC, gamma, B, sigma);
    wMean += w / wSamples;
    inside = Math.min(inside, (e - w) / e);
  }
  let trP = 0;
  for (let k = 0; k < svd.left.length; k++) trP += svd.left[k] * svd.left[k];
  const jensen = Math.sqrt((b.s * trP) / ds.n);
  const below = (bound * (1 + 1e-10) - jensen) / bound;
  return {
    inside,
    below,
    ridge: ridge.value,
    bound,
    details: {
      instance: inst.label,
      n: ds.n,
      d: ds.d,
      rank: svd.rank,
      gamma,
      B: r6(B),
      rho: r6(rho.value),
      s: r6(b.s),
      wGammaLower: r6(wMean),
      ellipsoidJensen: r6(jensen),
      ellipsoid: r6(ell.value),
      ellipsoidCi: ell.ci95.map(r6),
      bound: r6(bound),
      ridge: r6(ridge.value),
    },
  };
}

/**
 * The "ρ overstated" control: on the instance's data, the ρ search's minimiser v is in W_γ for γ = γ(v); with
 * ρ taken as ½ instead of its (smaller) value, s*(½) < vᵀΣ̂v, so W_γ is not inside the ellipsoid the theorem
 * would use. Returns (s*(½) − vᵀΣ̂v)/vᵀΣ̂v, negative when the witness breaks the claim.
 */
export function overstatedRho(inst: Section4Instance, rng: Rng): { margin: number; details: Record<string, unknown> } {
  const { ds, B } = inst;
  const svd = dataSvd(ds.X, ds.n, ds.d);
  const rho = rhoRetentive(ds, svd, LOGISTIC, B, { starts: 6, rng: rng.fork(1) });
  const v = rho.minimizer;
  const gamma = gammaOf(ds, v, LOGISTIC);
  const q = quadForm(ds, v);
  const s = theorem41Bound(gamma, 0.5, svd.rank, ds.n).s;
  return { margin: (s - q) / q, details: { instance: inst.label, rho: r6(rho.value), gammaOfWitness: r6(gamma), witnessQuad: r6(q), sStarAtHalf: r6(s) } };
}

export async function runChain(rng: Rng, opts: CheckOptions, variant: Variant, list: Section4Instance[]): Promise<CheckOutcome & { ridge: number[]; bound: number[] }> {
  const margins: number[] = [];
  const details: unknown[] = [];
  const ridge: number[] = [];
  const bound: number[] = [];
  for (const [k, inst] of list.entries()) {
    await step(opts, "instances", k, list.length);
    const c = chain(inst, rng.fork(1000 + k), opts.quick ? 200 : 500, opts.quick ? 20 : 50, variant);
    // the last link, √(s*·tr P/n) ≤ the bound, is an equality up to rounding (tr P = rank): it fails or holds,
    // and the margin reported is that of the first link, W_γ(B) inside the ellipsoid (the slack that ρ gives)
    margins.push(c.below < 0 ? c.below : c.inside);
    details.push({ ...c.details, insideMargin: r6(c.inside), belowMargin: r6(c.below) });
    ridge.push(c.ridge);
    bound.push(c.bound);
  }
  return { ...outcome(margins, { instances: details }), ridge, bound };
}

/** Slopes over the size axis at each (n, γ): the ridge complexity and the bound. */
export function slopeFindings(list: Section4Instance[], ridge: number[], bound: number[], axis: string): string[] {
  const groups = new Map<string, number[]>();
  list.forEach((inst, k) => {
    const key = inst.label.replace(/^\S+ /, "");
    groups.set(key, [...(groups.get(key) ?? []), k]);
  });
  const out: string[] = [];
  for (const [key, ks] of groups) {
    if (ks.length < 2) continue;
    const xs = ks.map((k) => list[k].size);
    const sr = logLogSlope(xs, ks.map((k) => ridge[k]));
    const sb = logLogSlope(xs, ks.map((k) => bound[k]));
    out.push(`${key}: slope in ${axis} of the ridge complexity ${r6(sr)} (it sees d), of Theorem's bound ${r6(sb)}`);
  }
  return out;
}

/**
 * theorem-4.1 and theorem-4.2 as one kind of check: the chain on `instances`, its slope findings along `axis`,
 * and the negative controls (the bound halved, ρ overstated with a witness, and — when `minControl` — min for
 * max; a control that survives makes the check fail).
 */
export function chainCheck(o: {
  id: string;
  statement: string;
  control: string;
  axis: string;
  minControl: boolean;
  instances: (rng: Rng, quick: boolean) => Section4Instance[];
}): Check {
  return {
    id: o.id,
    tag: "reconstructed",
    statement: o.statement,
    control: o.control,
    async run(rng: Rng, opts: CheckOptions) {
      const list = o.instances(rng, opts.quick);
      const r = await runChain(rng, opts, "true", list);
      return { ...r, findings: slopeFindings(list, r.ridge, r.bound, o.axis) };
    },
    async negativeControl(rng: Rng, opts: CheckOptions) {
      const list = o.instances(rng, opts.quick);
      const min = await runChain(rng, opts, "min", list);
      const half = await runChain(rng, opts, "half", list);
      const over = list.filter((_, k) => k % 3 === 0).map((inst, k) => overstatedRho(inst, rng.fork(5000 + k)));
      const overMargins = over.map((v) => v.margin);
      const survived = (o.minControl && min.passed) || half.passed || overMargins.every((m) => m >= 0);
      return {
        instances: min.instances + half.instances + over.length,
        worstMargin: Math.max(o.minControl ? min.worstMargin : -Infinity, half.worstMargin, Math.min(...overMargins)),
        passed: survived,
        details: { minInPlaceOfMax: min.details, boundHalved: half.details, rhoOverstated: over.map((v) => ({ ...v.details, margin: r6(v.margin) })) },
      };
    },
  };
}
