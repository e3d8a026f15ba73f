/**
 * limit-alpha-zero and limit-alpha-infinity (docs/theory.md §2.7, exact): as α = β → 0, L_mix → L_std with a
 * gap of order α; as α = β → ∞, λ → 1/2 and L_mix → L_mid = (1/n²) Σ l(θ, (x_i+x_j)/2, (y_i+y_j)/2),
 * with a gap of order 1/α (the Beta(α,α) variance is 1/(4(2α+1)); the first-order term cancels).
 */
import type { Rng } from "../src/core/rng.js";
import { standardLoss } from "../src/losses/index.js";
import { predict } from "../src/models/index.js";
import { exactMixupLoss } from "../src/mixup/index.js";
import { fixedRuleMixupLoss } from "./oracles/fixedRule.js";
import type { Check, CheckOptions, CheckOutcome } from "../src/verify/types.js";
import { COMBOS, randomInstance, type Instance } from "./instances.js";
import { logLogSlope, outcome, r6 } from "./util.js";

/** The α → ∞ limit: every pair at its midpoint. */
export function midpointLoss(inst: Instance): number {
  return fixedRuleMixupLoss(inst.ds, inst.model, inst.family, [0.5], [1]);
}

function stdLoss(inst: Instance): number {
  const s = predict(inst.model, inst.ds.X, inst.ds.n);
  return standardLoss(inst.family, s, inst.ds.y, inst.ds.n, inst.ds.K);
}

function instances(rng: Rng, opts: CheckOptions): Instance[] {
  const combos = opts.quick ? [COMBOS[0], COMBOS[6]] : [COMBOS[0], COMBOS[3], COMBOS[4], COMBOS[6], COMBOS[9]];
  return combos.map((c) => randomInstance(rng, c, 6, 2));
}

/**
 * For each instance, the gap |L_mix(α) − target| over the α grid, and the fitted log-log slope on
 * the last three points; the claim is the gap falling by at least a factor 4 over the grid and the
 * slope within ±0.15 of `expect` — or, for ReLU nets as α → ∞, at least as steep as `kinkSlope`:
 * a kink near a pair's midpoint makes that pair's gap of order E|λ − ½| ~ α^{-1/2}, not α^{-1}.
 */
function limitStudy(
  rng: Rng,
  opts: CheckOptions,
  grid: number[],
  target: (inst: Instance) => number,
  expect: number,
  kinkSlope?: number,
): CheckOutcome {
  const margins: number[] = [];
  const rows: unknown[] = [];
  const slopes: number[] = [];
  for (const inst of instances(rng, opts)) {
    const t = target(inst);
    const gaps = grid.map((a) => exactMixupLoss(inst.ds, inst.model, inst.family, a, a, { tol: 1e-12 }).value - t);
    const tail = grid.length - 3;
    const slope = logLogSlope(grid.slice(tail), gaps.slice(tail));
    const fall = Math.abs(gaps[0]) / Math.abs(gaps[gaps.length - 1]);
    slopes.push(slope);
    const kinked = kinkSlope !== undefined && inst.model.kind === "relu2" && inst.model.activation === "relu";
    const band = kinked ? kinkSlope - slope : 0.15 - Math.abs(slope - expect);
    margins.push(Math.min(band, Math.log(fall / 4)));
    rows.push({ instance: inst.name, alpha: grid, gap: gaps.map(r6), slope: r6(slope), gapOverRate: gaps.map((g, k) => r6(g / Math.pow(grid[k], expect))) });
  }
  const findings =
    kinkSlope !== undefined
      ? [`fitted slopes of log|gap| against log α: ${rows.map((r, k) => `${(r as { instance: string }).instance} ${slopes[k].toFixed(3)}`).join(", ")}; smooth models approach at rate 1/α, ReLU nets only need α^{-1/2} (kinks near pair midpoints)`]
      : undefined;
  return outcome(margins, { instances: rows, summary: `fitted slopes ${slopes.map((s) => s.toFixed(3)).join(", ")} (expected ${expect})` }, findings);
}

const ZERO_GRID = [0.2, 0.1, 0.05, 0.025, 0.0125, 0.00625];
const INF_GRID = [5, 10, 20, 40, 80, 160];

export const limitAlphaZero: Check = {
  id: "limit-alpha-zero",
  tag: "exact",
  statement: "As α = β → 0, L_mix → L_std with a gap of order α (fitted log-log slope of |L_mix − L_std| against α within 1 ± 0.15 on α ≤ 0.025).",
  control: "the same study against the wrong limit (the α → ∞ midpoint loss) must fail",
  run: (rng, opts) => limitStudy(rng, opts, ZERO_GRID, stdLoss, 1),
  negativeControl: (rng, opts) => limitStudy(rng, opts, ZERO_GRID, midpointLoss, 1),
};

export const limitAlphaInfinity: Check = {
  id: "limit-alpha-infinity",
  tag: "exact",
  statement:
    "As α = β → ∞, λ → 1/2 and L_mix → (1/n²) Σ l(θ, (x_i+x_j)/2, (y_i+y_j)/2): for smooth models with a gap of order 1/α (fitted slope within −1 ± 0.15 on α ≥ 40), for ReLU nets at least like α^{-1/2} (slope ≤ −0.35).",
  control: "the same study against the wrong limit (L_std) must fail",
  run: (rng, opts) => limitStudy(rng, opts, INF_GRID, midpointLoss, -1, -0.35),
  negativeControl: (rng, opts) => limitStudy(rng, opts, INF_GRID, stdLoss, -1, -0.35),
};
