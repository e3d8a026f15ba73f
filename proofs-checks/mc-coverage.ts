/**
 * mc-coverage (beyond: a property of our estimator): the seeded Monte Carlo estimator's 95% intervals
 * cover the exact Mixup loss in 92–98% of independent runs.
 */
import type { Rng } from "../src/core/rng.js";
import { exactMixupLoss, monteCarloMixupLoss } from "../src/mixup/index.js";
import type { Check, CheckOptions } from "../src/verify/types.js";
import { randomInstance, COMBOS } from "./instances.js";
import { r6 } from "./util.js";

const LO = 0.92;
const HI = 0.98;

function coverage(rng: Rng, opts: CheckOptions, shrink: number) {
  // 1000 intervals in the full run (binomial sd 0.007: [0.92, 0.98] is ±4 sd), 400 in --quick (±2.7 sd)
  const intervals = opts.quick ? 400 : 1000;
  const samples = 2000;
  const cases = [COMBOS[0], COMBOS[6]].map((c, k) => {
    const inst = randomInstance(rng.fork(100 + k), c, 6, 2);
    const exact = exactMixupLoss(inst.ds, inst.model, inst.family, inst.alpha, inst.beta, { tol: 1e-12 });
    return { inst, exact };
  });
  let covered = 0;
  for (let k = 0; k < intervals; k++) {
    const { inst, exact } = cases[k % cases.length];
    const mc = monteCarloMixupLoss(inst.ds, inst.model, inst.family, inst.alpha, inst.beta, { samples, rng: rng.fork(k) });
    const half = ((mc.ci95[1] - mc.ci95[0]) / 2) * shrink;
    if (Math.abs(mc.value - exact.value) <= half + exact.errorEstimate) covered++;
  }
  const cov = covered / intervals;
  const margin = Math.min(cov - LO, HI - cov);
  return {
    instances: intervals,
    worstMargin: margin,
    passed: margin >= 0,
    details: {
      coverage: cov,
      intervals,
      samplesPerInterval: samples,
      cases: cases.map((c) => ({ instance: c.inst.name, alpha: r6(c.inst.alpha), beta: r6(c.inst.beta), exact: c.exact.value })),
      summary: `coverage ${cov.toFixed(4)} of ${intervals} intervals (required [${LO}, ${HI}])`,
    },
  };
}

export const mcCoverage: Check = {
  id: "mc-coverage",
  tag: "beyond",
  statement:
    "The Monte Carlo estimator's 95% confidence intervals (2000 random pairs and λ each, seeded) cover the exact all-pairs Mixup loss in a fraction of runs within [0.92, 0.98].",
  control: "intervals of half the width must cover too rarely (below 0.92)",
  run: (rng, opts) => coverage(rng, opts, 1),
  negativeControl: (rng, opts) => coverage(rng, opts, 0.5),
};
