/**
 * training-mixup-objective (docs/theory.md §2.4, §2.5; exact): the θ-gradient that `mixup-exact` training
 * descends on is the gradient of the exact Mixup loss. Both exact gradients, all pairs (`exactMixupGrad`, every
 * model) and O(n) (`convolutionMixupGrad`, linear GLMs), are compared per parameter with central differences
 * of the exact loss itself (`exactMixupLoss` at tol 1e-13), Richardson-extrapolated from steps h, h/2, h/4.
 * Allowed per parameter: the gradient's own error bound, plus the change between the two extrapolations
 * (for the truncation error that remains), plus the loss's error estimates divided by the steps.
 * Negative control: the gradient of the naive label-free form, Beta(α, β) in place of D̃ (the law that
 * rewrite-identity's control uses for the loss), computed by the same integrator, must disagree.
 */
import { EPS } from "../src/core/constants.js";
import type { Rng } from "../src/core/rng.js";
import type { Family } from "../src/losses/types.js";
import { convolutionMixupGrad, exactMixupGrad, exactMixupLoss } from "../src/mixup/index.js";
import { chunkPlan, GradIntegrator, GradReducer, makeExactProblem, type MixupGradResult } from "../src/mixup/pairs/index.js";
import type { PairComponent } from "../src/mixup/components.js";
import { getParams, withParams } from "../src/models/index.js";
import type { Model } from "../src/models/types.js";
import type { Dataset } from "../src/core/dataset.js";
import type { Check, CheckOptions } from "../src/verify/types.js";
import { randomInstance, type Combo, type Instance } from "./instances.js";
import { outcome, r6, step } from "./util.js";

/** (loss, model) combinations: linear logistic and Poisson (both gradients), ReLU and tanh nets (pairs). */
const CASES: ReadonlyArray<{ combo: Combo; methods: ReadonlyArray<"pairs" | "convolution"> }> = [
  { combo: { loss: "logistic", kind: "linear-bias", K: 1 }, methods: ["pairs", "convolution"] },
  { combo: { loss: "poisson", kind: "linear", K: 1 }, methods: ["pairs", "convolution"] },
  { combo: { loss: "logistic", kind: "relu-bias", K: 1 }, methods: ["pairs"] },
  { combo: { loss: "logistic", kind: "tanh", K: 1 }, methods: ["pairs"] },
];

const LOSS_TOL = 1e-13;
const GRAD_TOL = 1e-12;
const H = 1e-2;

/** The naive label-free gradient: each ordered pair keeps its first point's label, λ ~ Beta(α, β) (not D̃). */
function naiveGrad(ds: Dataset, model: Model, family: Family, alpha: number, beta: number): MixupGradResult {
  const P0 = makeExactProblem(ds, model, family, alpha, beta, { form: "label-free", tol: GRAD_TOL });
  const components: PairComponent[] = [
    { a: alpha, b: beta, c: 1, labelA: 0, labelB: 0 },
    { a: beta, b: alpha, c: 1, labelA: 1, labelB: 1 },
  ];
  const P = { ...P0, components };
  const plan = chunkPlan(P.n);
  const red = new GradReducer(P, plan.length);
  const integ = new GradIntegrator(P);
  plan.forEach(([i0, i1], id) => red.offer(id, integ.integrateRows(i0, i1)));
  return red.finish(ds);
}

/**
 * Central differences of the exact loss in parameter k at steps h, h/2, h/4, extrapolated twice (Richardson:
 * the O(h²) term cancels in R = (4·D_{h/2} − D_h)/3, leaving O(h⁴)). The value is R at (h/2, h/4); the
 * allowance is |R(h/2, h/4) − R(h, h/2)| (which exceeds the remaining truncation error when the O(h⁴) term
 * dominates, and is large, i.e. conservative, when it does not) plus the loss's error estimates over the steps.
 */
function centralDifference(inst: Instance, p: Float64Array, k: number): { value: number; allowance: number } {
  const at = (h: number) => {
    const q = Float64Array.from(p);
    q[k] = p[k] + h;
    const up = exactMixupLoss(inst.ds, withParams(inst.model, q), inst.family, inst.alpha, inst.beta, { tol: LOSS_TOL });
    q[k] = p[k] - h;
    const dn = exactMixupLoss(inst.ds, withParams(inst.model, q), inst.family, inst.alpha, inst.beta, { tol: LOSS_TOL });
    const noise = (up.errorEstimate + dn.errorEstimate + 4 * EPS * (Math.abs(up.value) + Math.abs(dn.value))) / (2 * h);
    return { d: (up.value - dn.value) / (2 * h), noise };
  };
  const [a, b, c] = [at(H), at(H / 2), at(H / 4)];
  const r1 = (4 * b.d - a.d) / 3;
  const r2 = (4 * c.d - b.d) / 3;
  // the noise of r2 is at most (4·c.noise + b.noise)/3, of r1 (4·b.noise + a.noise)/3
  return { value: r2, allowance: Math.abs(r2 - r1) + (4 * c.noise + 5 * b.noise + a.noise) / 3 };
}

async function compare(rng: Rng, opts: CheckOptions, naive: boolean) {
  const reps = opts.quick ? 1 : 4;
  const n = opts.quick ? 6 : 10;
  const margins: number[] = [];
  const rows: unknown[] = [];
  const total = CASES.length * reps;
  for (const { combo, methods } of CASES) {
    for (let r = 0; r < reps; r++) {
      await step(opts, "instances", rows.length, total);
      const inst = randomInstance(rng, combo, n, 2);
      // α, β in [0.05, 50] from randomInstance; the pairs' Poisson scores stay moderate (scale 0.5)
      const p = getParams(inst.model);
      const fd = Array.from(p, (_, k) => centralDifference(inst, p, k));
      for (const method of methods) {
        const g =
          naive
            ? naiveGrad(inst.ds, inst.model, inst.family, inst.alpha, inst.beta)
            : method === "pairs"
              ? exactMixupGrad(inst.ds, inst.model, inst.family, inst.alpha, inst.beta, { tol: GRAD_TOL })
              : convolutionMixupGrad(inst.ds, inst.model, inst.family, inst.alpha, inst.beta, { tol: GRAD_TOL });
        let worst = Infinity;
        let worstDiff = 0;
        let worstAllowed = 0;
        for (let k = 0; k < p.length; k++) {
          const diff = Math.abs(g.grad[k] - fd[k].value);
          const allowed = g.gradErrorEstimate + fd[k].allowance + 8 * EPS * Math.abs(fd[k].value);
          const m = (allowed - diff) / allowed;
          if (m < worst) [worst, worstDiff, worstAllowed] = [m, diff, allowed];
        }
        margins.push(worst);
        rows.push({
          instance: inst.name,
          method: naive ? "naive label-free (Beta(α, β) for D̃)" : method,
          alpha: r6(inst.alpha),
          beta: r6(inst.beta),
          params: p.length,
          worstDiff: worstDiff,
          allowed: worstAllowed,
        });
        if (naive) break; // one gradient per instance: the naive one
      }
    }
  }
  return { margins, rows };
}

export const trainingMixupObjective: Check = {
  id: "training-mixup-objective",
  tag: "exact",
  statement:
    "The θ-gradients that mixup-exact training descends on, all pairs (every model) and O(n) (linear GLMs), equal central differences of the exact Mixup loss L_mix of eq. (1) within their error bounds, for linear logistic and Poisson models and ReLU and tanh nets, α, β in [0.05, 50].",
  control: "the gradient of the naive label-free form (Beta(α, β) in place of D̃, labels of the first point) must disagree",
  async run(rng, opts) {
    const { margins, rows } = await compare(rng, opts, false);
    return outcome(margins, { instances: rows, summary: `largest |difference|/allowed ${r6(1 - Math.min(...margins))}` });
  },
  async negativeControl(rng, opts) {
    const { margins, rows } = await compare(rng, opts, true);
    return outcome(margins, { instances: rows });
  },
};
