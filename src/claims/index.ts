/**
 * The paper's claims as predicates on the user's own instances (`mixup-theory/claims`; docs/api.md, "Property
 * tests"): each returns a margin (≥ 0: the claim holds on this instance) and which of its assumptions the
 * instance meets. `checkClaim` runs one over a fast-check arbitrary and returns the worst margin and, when the
 * claim fails, the counterexample shrunk by fast-check with the seed and path that replay it.
 */
import fc from "fast-check";
import type { Dataset } from "../core/dataset.js";
import { family } from "../losses/index.js";
import type { Model } from "../models/types.js";
import { Rng } from "../core/rng.js";
import { dataSvd } from "../linalg/dataSvd.js";
import { checkLabels } from "../losses/labels.js";
import type { ScalarFamily } from "../losses/types.js";
import { convolutionMixupLoss, exactMixupLoss } from "../mixup/index.js";
import { ellipsoidSup, rhoRetentive, signVector, theorem41Bound, wGammaSupLower } from "../generalization/index.js";
import { theoremInequality, unmetAssumptions } from "../robustness/theorem.js";
import { taylorTerms } from "../taylor/terms.js";
import { taylorTermsPairwise, taylorTermsWithMoments } from "../taylor/index.js";
import { m1 as m1Of, m2 as m2Of } from "../mixing/dtilde.js";
import { exactAdversarialLoss, fgsm, robustLoss } from "../robustness/index.js";
import { lemma31R1Identity, limitAlphaInfinity, limitAlphaZero, quadratureConvergence, theorem42, trainingMixupObjective } from "./more.js";
import { lemma31Alpha, lemma31Order } from "./remainder.js";
import { regularizerForms } from "./regularizer.js";

export interface ClaimResult {
  /** ≥ 0 when the claim holds on the instance (relative to the claim's scale) */
  margin: number;
  assumptions: { met: boolean; unmet: string[] };
  /** the numbers behind the margin */
  details: Record<string, number | boolean | null>;
}

export interface ClaimInput {
  alpha: number;
  beta?: number;
  /** adversarial-bounds: the ℓ∞ radius ε (default 0.1) */
  epsilon?: number;
  /** Section 4's claims: γ of W_γ(B) (default 0.1) and the ball B (default 1) */
  gamma?: number;
  thetaBound?: number;
}

export type Claim = (ds: Dataset, model: Model, o: ClaimInput) => ClaimResult | Promise<ClaimResult>;

/** Theorem 3.1 or 3.2: L_std + R1 + R2 ≥ L̃_adv(ε_mix) + L_reg (docs/theory.md §3.7–§3.8); margin relative to the larger side. */
function theoremClaim(which: "3.1" | "3.2"): Claim {
  return (ds, model, o) => {
    const fam = family(model.loss);
    const beta = o.beta ?? o.alpha;
    const r = theoremInequality(ds, model, fam, o.alpha, beta);
    const unmet = unmetAssumptions(model, fam, r.assumptions).map((u) => u.key as string);
    if (which === "3.1" && model.kind !== "linear") unmet.push("model");
    if (which === "3.2" && model.kind === "linear") unmet.push("model");
    const scale = Math.max(Math.abs(r.core), Math.abs(r.rhs), Number.MIN_VALUE);
    return {
      margin: r.margin / scale,
      assumptions: { met: unmet.length === 0, unmet },
      details: { core: r.core, rhs: r.rhs, epsMix: r.epsMix, holds: r.holds },
    };
  };
}

/** Labels in the family's domain, or the unmet key "labels". */
function labelsOk(ds: Dataset, model: Model): boolean {
  try {
    checkLabels(family(model.loss), ds.y, ds.n, ds.K, "claim");
    return true;
  } catch {
    return false;
  }
}

/** |a − b| within a.err + b.err: margin 1 − |a − b|/(a.err + b.err) (≥ 0: within the estimates). */
function agreeWithin(a: { value: number; errorEstimate: number }, b: { value: number; errorEstimate: number }): number {
  const allowed = a.errorEstimate + b.errorEstimate;
  const diff = Math.abs(a.value - b.value);
  return allowed > 0 ? 1 - diff / allowed : diff === 0 ? 1 : -Infinity;
}

/**
 * Theorem 4.1's chain on the data (docs/theory.md §4.4, §4.7) [reconstructed]: for 16 sign vectors from
 * Rng(0), the W_γ(B) lower estimate ≤ the exact ellipsoid supremum at s* with ρ(B) estimated on the data;
 * margin = min (ellipsoid − W)/ellipsoid. Needs a scalar GLM family and data of rank ≥ 1.
 */
const theorem41 = (ds: Dataset, model: Model, o: ClaimInput): ClaimResult => {
  const unmet: string[] = [];
  if (model.loss === "softmax") unmet.push("loss");
  let allZero = true;
  for (const v of ds.X) if (v !== 0) allZero = false;
  if (allZero) unmet.push("rank");
  if (unmet.length) return { margin: 0, assumptions: { met: false, unmet }, details: {} };
  const fam = family(model.loss) as ScalarFamily;
  const gamma = o.gamma ?? 0.1;
  const B = o.thetaBound ?? 1;
  const svd = dataSvd(ds.X, ds.n, ds.d);
  const rng = new Rng(0);
  const rho = rhoRetentive(ds, svd, fam, B, { starts: 4, rng: rng.fork(1) }).value;
  const { s, value: bound } = theorem41Bound(gamma, rho, svd.rank, ds.n);
  const sigma = new Float64Array(ds.n);
  const srng = rng.fork(2);
  let margin = Infinity;
  for (let k = 0; k < 16; k++) {
    signVector(srng, sigma);
    const e = ellipsoidSup(svd, s, sigma);
    if (e > 0) margin = Math.min(margin, (e - wGammaSupLower(ds, svd, fam, gamma, B, sigma)) / e);
  }
  return { margin: Number.isFinite(margin) ? margin : 0, assumptions: { met: true, unmet: [] }, details: { rho, s, bound, rank: svd.rank } };
};

/** The paper's claims by proofs-check id (docs/claims.md). */
export const claims: Readonly<Record<string, Claim>> = {
  /** eq. (1) labelled = its label-free rewrite through D̃ (docs/theory.md §2.5) [exact], within both error estimates */
  "rewrite-identity": (ds, model, o): ClaimResult => {
    const ok = labelsOk(ds, model);
    if (!ok) return { margin: 0, assumptions: { met: false, unmet: ["labels"] }, details: {} };
    const fam = family(model.loss);
    const beta = o.beta ?? o.alpha;
    const a = exactMixupLoss(ds, model, fam, o.alpha, beta, { form: "labelled" });
    const b = exactMixupLoss(ds, model, fam, o.alpha, beta, { form: "label-free" });
    return { margin: agreeWithin(a, b), assumptions: { met: true, unmet: [] }, details: { labelled: a.value, labelFree: b.value, errorEstimates: a.errorEstimate + b.errorEstimate } };
  },
  /** linear GLMs: the O(n) convolution = all pairs (docs/theory.md §6.2) [beyond], within both error estimates */
  "fast-exact-agrees": (ds, model, o): ClaimResult => {
    const unmet: string[] = [];
    if (model.kind !== "linear" || model.K !== 1 || model.loss === "softmax") unmet.push("model");
    if (!labelsOk(ds, model)) unmet.push("labels");
    if (unmet.length) return { margin: 0, assumptions: { met: false, unmet }, details: {} };
    const fam = family(model.loss);
    const beta = o.beta ?? o.alpha;
    const a = convolutionMixupLoss(ds, model, fam, o.alpha, beta);
    const b = exactMixupLoss(ds, model, fam, o.alpha, beta);
    return { margin: agreeWithin(a, b), assumptions: { met: true, unmet: [] }, details: { convolution: a.value, pairs: b.value } };
  },
  "theorem-4.1": theorem41,
  /** Theorem 4.2: theorem-4.1's chain on relu(W·x) of the model's first layer (more.ts) [reconstructed] */
  "theorem-4.2": theorem42(theorem41),
  "theorem-3.1": theoremClaim("3.1"),
  "theorem-3.2": theoremClaim("3.2"),
  /**
   * Lemma 3.1's terms in the library's covariance form equal the plain double sum over all n² pairs of the
   * second-order expansion (docs/theory.md §3.1) [exact]: margin 1 − worst |difference|/(1e-12 · Σ|pair terms|).
   */
  "lemma-3.1-identity": (ds, model, o): ClaimResult => {
    if (!labelsOk(ds, model)) return { margin: 0, assumptions: { met: false, unmet: ["labels"] }, details: {} };
    const fam = family(model.loss);
    const beta = o.beta ?? o.alpha;
    const m1 = m1Of(o.alpha, beta);
    const m2 = m2Of(o.alpha, beta);
    const pw = taylorTermsPairwise(ds, model, fam, m1, m2);
    const cov = taylorTermsWithMoments(ds, model, fam, m1, m2);
    const rel = (a: number, b: number, scale: number) => (scale === 0 ? (a === b ? 0 : Infinity) : Math.abs(a - b) / (1e-12 * scale));
    const worst = Math.max(rel(cov.R1, pw.R1, m1 * pw.abs1), rel(cov.R2, pw.R2, (m2 / 2) * pw.abs2), rel(cov.R3, pw.R3, (m2 / 2) * pw.abs3));
    return { margin: 1 - worst, assumptions: { met: true, unmet: [] }, details: { R1: cov.R1, R2: cov.R2, R3: cov.R3 } };
  },
  /**
   * A linear model with a scalar loss: FGSM's ℓ∞ point attains the exact worst case (docs/theory.md §3.4)
   * [exact], to 1e-12 relative: margin 1 − |robustLoss(FGSM) − exact|/(1e-12·|exact|) at radius `epsilon`
   * (default 0.1).
   */
  "adversarial-bounds": (ds, model, o): ClaimResult => {
    const unmet: string[] = [];
    if (model.kind !== "linear" || model.K !== 1 || model.loss === "softmax") unmet.push("model");
    if (!labelsOk(ds, model)) unmet.push("labels");
    if (unmet.length) return { margin: 0, assumptions: { met: false, unmet }, details: {} };
    const fam = family(model.loss);
    const eps = o.epsilon ?? 0.1;
    const exact = exactAdversarialLoss(ds, model, fam, eps, "inf").value;
    const attacked = robustLoss(ds, model, fam, fgsm(ds, model, fam, eps, "inf")).value;
    if (exact === null || attacked === null) return { margin: 0, assumptions: { met: false, unmet: ["finite"] }, details: {} };
    const scale = Math.max(Math.abs(exact), Number.MIN_VALUE);
    return { margin: 1 - Math.abs(attacked - exact) / (1e-12 * scale), assumptions: { met: true, unmet: [] }, details: { exact, fgsm: attacked } };
  },
  /** R1 = −m1·θᵀ∇L_std (linear), −(m1/2)·pᵀ∇L_std (bias-free ReLU) on centered data (more.ts) [exact] */
  "lemma-3.1-r1-identity": lemma31R1Identity,
  "training-mixup-objective": trainingMixupObjective,
  "limit-alpha-zero": limitAlphaZero,
  "limit-alpha-infinity": limitAlphaInfinity,
  "quadrature-convergence": quadratureConvergence,
  /** the remainder's order under data scaling, on a 14-rung ladder of the instance (remainder.ts) [exact] */
  "lemma-3.1-order": lemma31Order,
  /** remainder ∝ α and remainder/R2 settled as α = β → 0, on the instance (remainder.ts) [exact] */
  "lemma-3.1-alpha": lemma31Alpha,
  /** E_D̃[(1−λ)²/λ²] closed form against tanh-sinh quadrature, per (α, β); data and model unused (regularizer.ts) [exact] */
  "regularizer-forms": regularizerForms,
  /** Lemma 3.1's R2 ≥ 0 (every h'' here is PSD; docs/theory.md §3.1) [exact] */
  "lemma-3.1-r2-nonnegative": (ds, model, o) => {
    const t = taylorTerms(ds, model, family(model.loss), o.alpha, o.beta ?? o.alpha);
    return { margin: t.R2 / Math.max(Math.abs(t.standardLoss), Number.MIN_VALUE), assumptions: { met: true, unmet: [] }, details: { R2: t.R2 } };
  },
};

/** One instance for a claim: data, model and the Mixup law. */
export interface ClaimInstance {
  ds: Dataset;
  model: Model;
  alpha: number;
  beta?: number;
}

export interface CheckClaimResult {
  holds: boolean;
  /** the smallest margin over the instances that met the assumptions (Infinity when none did) */
  worstMargin: number;
  numRuns: number;
  /** instances skipped because an assumption was not met (with `requireAssumptions`) */
  skipped: number;
  seed: number;
  /** the shrunk counterexample, or null */
  counterexample: ClaimInstance | null;
  /** replay: fc.assert(property, { seed, path }) reproduces the counterexample */
  path: string | null;
  result: ClaimResult | null;
}

/**
 * Run `claim` on `numRuns` instances of `arb` (seeded), skipping those that miss an assumption (other than the
 * keys in `ignore`) unless `requireAssumptions` is false; a negative margin is a failure that fast-check shrinks.
 */
export async function checkClaim(
  claim: Claim,
  arb: fc.Arbitrary<ClaimInstance>,
  o: { numRuns?: number; seed?: number; requireAssumptions?: boolean; ignore?: readonly string[] } = {},
): Promise<CheckClaimResult> {
  const numRuns = o.numRuns ?? 100;
  const seed = o.seed ?? 0;
  const require = o.requireAssumptions ?? true;
  let worst = Infinity;
  let skipped = 0;
  const prop = fc.asyncProperty(arb, async (inst) => {
    const r = await claim(inst.ds, inst.model, { alpha: inst.alpha, beta: inst.beta });
    const ignore = o.ignore ?? [];
    if (require && r.assumptions.unmet.some((k) => !ignore.includes(k))) {
      skipped++;
      return true;
    }
    worst = Math.min(worst, r.margin);
    return r.margin >= 0;
  });
  const details = await fc.check(prop, { numRuns, seed });
  let result: ClaimResult | null = null;
  const cx = details.counterexample?.[0] ?? null;
  if (cx !== null) result = await claim(cx.ds, cx.model, { alpha: cx.alpha, beta: cx.beta });
  return {
    holds: !details.failed,
    worstMargin: worst,
    numRuns: details.numRuns,
    skipped,
    seed: details.seed,
    counterexample: cx,
    path: details.counterexamplePath ?? null,
    result,
  };
}

/** Proofs-checks with no per-instance claim, and why (docs/claims.md, "Checks without a claims entry"). */
export const NOT_PER_INSTANCE: Readonly<Record<string, string>> = {
  "lemma-3.1-relu":
    "the remainder of a bias-free ReLU net falls like s only where the kinks' first-order coefficient (1/n²)Σ_{i,j}(h'(0) − y_i)·E[kink part of f along the pair] is non-zero; it vanishes on instances a user can hold (squared loss with all labels 0, symmetric data and labels), where the slope is 2, and nothing checkable short of that coefficient separates them: the check states the rate on random instances, a study",
  "mc-coverage":
    "a property of the Monte Carlo estimator over 400–1000 independent intervals (coverage in a binomial band); one interval misses the exact value 5% of the time by design",
  "generalization-gap":
    "needs a training run and a held-out sample from the same law: the measured gap of one trained model against the bound, over n and seeds; not a property of a given (data, model)",
};
export { searchCounterexample, checkDrop, DROPPABLE, SEARCH_CLAIMS, type Drop, type SearchClaim } from "./search.js";
