/**
 * quadrature-convergence (beyond: a property of our numerics). Against an independent adaptive
 * reference (Gauss–Kronrod in input space, the test oracle proofs-checks/oracles/reference.ts), the exact Mixup loss meets every
 * requested tolerance (|error| ≤ tol·mean|l|), its error estimate is never below the true error,
 * and the work grows as the tolerance tightens; a fixed N-node Gauss–Jacobi rule's error falls with
 * N down to 1e-10 on a smooth instance. In every regime: α < 1, large α, α ≠ β, large margins, ReLU
 * kinks.
 */
import type { Rng } from "../src/core/rng.js";
import { logBetaAccurate as logBeta } from "../src/mixing/lbeta.js";
import { gaussJacobi, gaussLegendre } from "../src/mixing/jacobi.js";
import { exactMixupLoss } from "../src/mixup/index.js";
import { fixedRuleMixupLoss } from "./oracles/fixedRule.js";
import { referenceMixupLoss } from "./oracles/reference.js";
import type { Check, CheckOptions } from "../src/verify/types.js";
import { COMBOS, largeMarginInstance, randomInstance, type Instance } from "./instances.js";
import { outcome, r6 } from "./util.js";

function regimes(rng: Rng, opts: CheckOptions): Instance[] {
  const n = opts.quick ? 5 : 7;
  const set = (inst: Instance, alpha: number, beta: number, tag: string): Instance => ({ ...inst, alpha, beta, name: `${inst.name} ${tag}` });
  const out = [
    set(randomInstance(rng, COMBOS[0], n, 3), 0.2, 0.2, "α = β = 0.2"),
    set(randomInstance(rng, COMBOS[1], n, 3), 50, 50, "α = β = 50"),
    set(randomInstance(rng, COMBOS[3], n, 3), 0.3, 2, "(α, β) = (0.3, 2)"),
    largeMarginInstance(rng, n, 3, 200, 1),
    set(randomInstance(rng, COMBOS[6], n, 3), 0.5, 0.5, "ReLU kinks, α = β = 0.5"),
  ];
  if (!opts.quick) {
    out.push(set(randomInstance(rng, COMBOS[4], n, 3), 0.05, 0.05, "softmax, α = β = 0.05"));
    out.push(largeMarginInstance(rng, n, 3, 400, 0.2, 0.2));
    out.push(set(randomInstance(rng, COMBOS[9], n, 3), 2, 0.5, "softplus net, (α, β) = (2, 0.5)"));
  }
  return out;
}

/** Where the score crosses zero along a linear logistic pair: extra break points for the reference. */
function crossings(inst: Instance) {
  if (inst.model.kind !== "linear") return undefined;
  const { X, d } = inst.ds;
  const th = inst.model.theta;
  const z = (i: number) => {
    let s = inst.model.kind === "linear" && inst.model.bias ? inst.model.bias[0] : 0;
    for (let k = 0; k < d; k++) s += th[k] * X[i * d + k];
    return s;
  };
  return (i: number, j: number) => {
    const zi = z(i);
    const zj = z(j);
    return zi * zj < 0 ? [zj / (zj - zi)] : [];
  };
}

const TOLS = [1e-4, 1e-6, 1e-8, 1e-10];

export const quadratureConvergence: Check = {
  id: "quadrature-convergence",
  tag: "beyond",
  statement:
    "The exact Mixup loss meets |error| ≤ tol·mean|l| for tol = 1e-4 … 1e-10 against an independent adaptive reference, with an error estimate never below the true error and more nodes as tol tightens, for α < 1, large α, α ≠ β, large margins and ReLU kinks; a fixed N-node Gauss–Jacobi rule converges to 1e-10 on a smooth instance.",
  control: "a plain Gauss–Legendre rule times the Beta density on α = 0.2, and an unsplit Gauss–Jacobi rule on a large-margin model, with up to 64 nodes, must miss tol = 1e-10",
  run(rng, opts) {
    const margins: number[] = [];
    const rows: unknown[] = [];
    for (const inst of regimes(rng, opts)) {
      const ref = referenceMixupLoss(inst.ds, inst.model, inst.family, inst.alpha, inst.beta, { relTol: 1e-14, extraBreaks: crossings(inst) });
      let prevNodes = 0;
      const series: unknown[] = [];
      for (const tol of TOLS) {
        const r = exactMixupLoss(inst.ds, inst.model, inst.family, inst.alpha, inst.beta, { tol });
        // the reference's own error counts against us, so it must be far below the tolerance
        const err = Math.abs(r.value - ref.value) + ref.errorEstimate;
        const scale = Math.max(Math.abs(r.value), r.meanAbsLoss);
        margins.push((tol * scale - err) / (tol * scale));
        margins.push((r.errorEstimate - Math.abs(r.value - ref.value)) / r.errorEstimate);
        margins.push(r.nodes >= prevNodes ? 1 : -1);
        prevNodes = r.nodes;
        series.push({ tol, error: err, errorEstimate: r.errorEstimate, nodes: r.nodes });
      }
      rows.push({ instance: inst.name, alpha: r6(inst.alpha), beta: r6(inst.beta), reference: ref.value, series });
    }
    // a fixed Gauss–Jacobi rule on a smooth instance: error against N
    const smooth = { ...randomInstance(rng, COMBOS[0], 5, 3), alpha: 0.3, beta: 0.3 };
    const ref = exactMixupLoss(smooth.ds, smooth.model, smooth.family, 0.3, 0.3, { tol: 1e-13 });
    const fixed = [2, 4, 8, 16, 32].map((N) => {
      const r = gaussJacobi(N, 0.3, 0.3);
      return { N, error: Math.abs(fixedRuleMixupLoss(smooth.ds, smooth.model, smooth.family, r.x, r.w) - ref.value) };
    });
    const last = fixed[fixed.length - 1].error;
    margins.push((1e-10 * ref.meanAbsLoss - last) / (1e-10 * ref.meanAbsLoss));
    return outcome(margins, { regimes: rows, fixedGaussJacobi: fixed, summary: `fixed Gauss–Jacobi errors ${fixed.map((f) => `N=${f.N}: ${f.error.toExponential(1)}`).join(", ")}` });
  },
  negativeControl(rng, opts) {
    const margins: number[] = [];
    const rows: unknown[] = [];
    // (1) Gauss–Legendre times the Beta(0.2, 0.2) density: the weight's end-point singularity is lost
    const inst = { ...randomInstance(rng, COMBOS[0], 5, 3), alpha: 0.2, beta: 0.2 };
    const ref = exactMixupLoss(inst.ds, inst.model, inst.family, 0.2, 0.2, { tol: 1e-13 });
    const lb = logBeta(0.2, 0.2);
    for (const N of [8, 16, 32, 64]) {
      const g = gaussLegendre(N);
      const w = Array.from(g.x, (x, k) => g.w[k] * Math.exp(-0.8 * Math.log(x) - 0.8 * Math.log1p(-x) - lb));
      const err = Math.abs(fixedRuleMixupLoss(inst.ds, inst.model, inst.family, g.x, w) - ref.value);
      margins.push((1e-10 * ref.meanAbsLoss - err) / (1e-10 * ref.meanAbsLoss));
      rows.push({ rule: "Gauss–Legendre × density", alpha: 0.2, N, error: err });
    }
    // (2) an unsplit Gauss–Jacobi rule on a large-margin model: softplus is nearly a kink along cross pairs
    const lm = largeMarginInstance(rng, 5, 3, 200, 1);
    const lref = exactMixupLoss(lm.ds, lm.model, lm.family, 1, 1, { tol: 1e-13 });
    for (const N of [8, 16, 32, 64]) {
      const r = gaussJacobi(N, 1, 1);
      const err = Math.abs(fixedRuleMixupLoss(lm.ds, lm.model, lm.family, r.x, r.w) - lref.value);
      margins.push((1e-10 * lref.meanAbsLoss - err) / (1e-10 * lref.meanAbsLoss));
      rows.push({ rule: "Gauss–Jacobi, no splitting, large margin", alpha: 1, N, error: err });
    }
    // the control "passes" only if every plain rule met the tolerance
    return outcome(margins, { rules: rows });
  },
};
