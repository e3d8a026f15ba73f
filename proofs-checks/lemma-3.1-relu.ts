/**
 * lemma-3.1-relu (docs/theory.md §3.2, a finding): Lemma 3.1 assumes a twice-differentiable f. A ReLU
 * net without biases is positively homogeneous, f(s·x) = s·f(x), so the kinks along a segment x_i → x_j
 * stay where they are under data scaling: the remainder falls only like s (the kinks' first-order
 * effect), while R2 falls like s², and remainder/R2 grows as s → 0. The second-order expansion is not
 * accurate at any scale for such nets. (With biases the kinks leave the data's hull as s → 0 and the net
 * becomes affine there; the report gives those slopes as well.)
 */
import type { Rng } from "../src/core/rng.js";
import { family as familyOf } from "../src/losses/index.js";
import type { LossName } from "../src/losses/types.js";
import type { Check, CheckOptions } from "../src/verify/types.js";
import { logUniform, randomDataset, randomModel, type ModelKind } from "./instances.js";
import { deepestWindow, ladderSlope, scaleLadder } from "../src/taylor/ladder.js";
import { outcome, r6, step } from "./util.js";

const LOSSES: readonly LossName[] = ["logistic", "squared", "poisson", "softmax"];
const LEVELS = 13;

async function study(rng: Rng, opts: CheckOptions, kind: ModelKind) {
  const reps = opts.quick ? 1 : 3;
  const losses = opts.quick ? LOSSES.slice(0, 2) : LOSSES;
  const margins: number[] = [];
  const rows: Array<Record<string, unknown>> = [];
  for (const loss of losses) {
    for (let r = 0; r < reps; r++) {
      await step(opts, `${kind} ladders`, rows.length, losses.length * reps);
      const K = loss === "softmax" ? 3 : 1;
      const ds = randomDataset(rng, opts.quick ? 10 : 12, 3, loss, K);
      const model = randomModel(rng, kind, 3, loss, K, loss === "poisson" ? 0.5 : 1, 8);
      const alpha = logUniform(rng, 0.2, 5);
      const ladder = scaleLadder(ds, model, familyOf(loss), alpha, alpha, LEVELS, "remainder");
      const win = deepestWindow(ladder);
      if (win === null) {
        margins.push(-1);
        rows.push({ instance: `${loss}/${kind}`, unresolved: true });
        continue;
      }
      const slope = ladderSlope(win);
      const ratioTop = win[0].value / win[0].R2;
      const ratioEnd = win[win.length - 1].value / win[win.length - 1].R2;
      const growth = Math.abs(ratioEnd / ratioTop);
      // the claim: slope ≈ 1 (within ±0.2) and remainder/R2 growing ≥ 8× over the 16× window (∝ 1/s)
      margins.push(Math.min(0.2 - Math.abs(slope - 1), Math.log(growth / 8)));
      rows.push({
        instance: `${loss}/${kind}`,
        alpha: r6(alpha),
        window: [r6(win[0].at), r6(win[win.length - 1].at)],
        slope: r6(slope),
        remainderOverR2: [r6(ratioTop), r6(ratioEnd)],
        remainderOverR2AtUnitScale: r6(ladder[0].value / ladder[0].R2),
      });
    }
  }
  return { margins, rows };
}

export const lemma31Relu: Check = {
  id: "lemma-3.1-relu",
  tag: "exact",
  statement:
    "For bias-free ReLU nets (f(s·x) = s·f(x), kinks fixed under scaling) the Lemma 3.1 remainder falls only like s (fitted slope within 1 ± 0.2 on the deepest resolved 16× window of s = 2^-k, k ≤ 12) and remainder/R2 grows at least 8× over that window: the second-order expansion is not accurate at any scale.",
  control: "the same study on softplus nets (twice differentiable: remainder O(s³), remainder/R2 → 0) must fail",
  async run(rng, opts) {
    const { margins, rows } = await study(rng, opts, "relu");
    const biased = (await study(rng.fork(7), { quick: true, progress: opts.progress }, "relu-bias")).rows;
    const slopes = rows.map((r) => `${r.instance} ${r.slope}`).join(", ");
    const ratios = rows
      .map((r) => `${r.remainderOverR2AtUnitScale} at s = 1, ${(r.remainderOverR2 as number[] | undefined)?.join(" → ")} over the window`)
      .join("; ");
    const findings = [
      `Lemma 3.1 is not second-order accurate for bias-free ReLU nets: remainder slopes against s ${slopes}; remainder/R2: ${ratios}.`,
      `With biases the kinks leave the data's hull as s → 0 and the remainder falls faster than s (slopes ${biased.map((r) => r.slope).join(", ")} on the deepest window): the finding concerns the homogeneous nets of Theorem 3.2.`,
    ];
    return outcome(margins, { instances: rows, withBiases: biased }, findings);
  },
  async negativeControl(rng, opts) {
    const { margins, rows } = await study(rng, opts, "softplus");
    return outcome(margins, { instances: rows });
  },
};
