import { describe, expect, it } from "vitest";
import { twoMoons } from "../../src/data/synthetic.js";
import { remainder, remainderModels, remainderParams } from "../../src/experiments/remainder.js";
import { experimentRng } from "../../src/experiments/runner.js";
import type { ExperimentContext } from "../../src/experiments/types.js";
import type { Row } from "../../src/figures/types.js";
import { family } from "../../src/losses/index.js";
import { scaleStudy } from "../../src/taylor/index.js";

const NOOP = { stage() {}, tick() {}, pause: () => undefined };

/** Least squares of log|y| on log x, written out here (not the library's fitSlope). */
function slope(points: Array<[number, number]>): number {
  const X = points.map(([x]) => Math.log(x));
  const Y = points.map(([, y]) => Math.log(Math.abs(y)));
  const mx = X.reduce((a, b) => a + b) / X.length;
  const my = Y.reduce((a, b) => a + b) / Y.length;
  let num = 0;
  let den = 0;
  for (let k = 0; k < X.length; k++) {
    num += (X[k] - mx) * (Y[k] - my);
    den += (X[k] - mx) ** 2;
  }
  return num / den;
}

describe("remainder (quick)", async () => {
  const seed = 0; // the default --seed
  const ctx: ExperimentContext = { rng: experimentRng("remainder", seed), seed, quick: true, progress: NOOP };
  const res = await remainder.run(ctx);
  const p = remainderParams(true);
  const [scaleFig, alphaFig, ratioFig] = res.figures;

  it("three figures; the tables hold every (model, s) and (model, α) row", () => {
    expect(res.figures.map((f) => f.name)).toEqual(remainder.figures);
    expect(scaleFig.table.rows).toHaveLength(3 * p.scales.length);
    expect(alphaFig.table.rows).toHaveLength(3 * p.alphas.length);
    expect(ratioFig.table).toStrictEqual(alphaFig.table);
  });

  it("the columns agree: remainder = L_mix − approx exactly, approx = L_std + R1 + R2 + R3, |remainder| drawn only above its error bound", () => {
    for (const r of [...scaleFig.table.rows, ...alphaFig.table.rows] as Array<Record<string, number>>) {
      expect(r.remainder).toBe(r.mixupLoss - r.approx);
      // a sum of four O(1) numbers: rounding ≤ 4 ulp of the largest
      expect(Math.abs(r.approx - (r.standardLoss + r.R1 + r.R2 + r.R3))).toBeLessThanOrEqual(4 * 2.3e-16 * Math.max(1, Math.abs(r.standardLoss)));
      expect(r.absRemainder).toBe(Math.abs(r.remainder) > r.remainderError ? Math.abs(r.remainder) : null);
      expect(r.remainderOverR2).toBe(r.remainder / r.R2);
    }
  });

  it("the data and models come from the experiment's stream: the scale rows equal a direct scaleStudy, bytes for bytes", async () => {
    const rng = experimentRng("remainder", seed);
    const ds = twoMoons(rng.fork(1), p.n, p.noise);
    const models = remainderModels(rng.fork(2), p.hidden);
    const direct = await scaleStudy(ds, models[1].model, family("logistic"), p.scaleAlpha, p.scaleAlpha, p.scales, { tol: p.tol });
    const tanhRows = scaleFig.table.rows.filter((r) => r.model === "tanh2");
    expect(tanhRows.map((r) => r.remainder)).toEqual(direct.rows.map((r) => r.remainder));
    expect(tanhRows.map((r) => r.mixupLoss)).toEqual(direct.rows.map((r) => r.mixupLoss));
  });

  it("the slopes in the legend are the least-squares slopes over the 3 smallest s (α) of the plotted |remainder|", () => {
    for (const [fig, key, prefix] of [
      [scaleFig, "s", "scaleSlope"],
      [alphaFig, "alpha", "alphaSlope"],
    ] as const) {
      for (const model of ["linear", "tanh2", "relu2"]) {
        const rows = fig.table.rows.filter((r) => r.model === model) as Row[];
        const tail = [...rows].sort((a, b) => (a[key] as number) - (b[key] as number)).slice(0, p.tailPoints);
        const s = slope(tail.map((r) => [r[key] as number, r.absRemainder as number]));
        expect(Math.abs(s - (res.summary[`${prefix}.${model}`] as number))).toBeLessThan(1e-12);
        expect(rows[0].series).toContain(`slope ${s.toFixed(2)}`);
      }
    }
  });

  it("the rates of docs/theory.md §3.2: s⁴ (logistic regression), s³ (tanh net), s¹ (bias-free ReLU net), α¹ as α → 0", () => {
    // measured (seed 0, quick): 3.96, 2.96, 1.00 against s over s ≤ 1/8; 0.93, 0.97, 0.93 against α over
    // α ≤ 0.1. The fits sit at finite s and α, so the rate is approached, not reached: ±0.15 in s, ±0.1 in α.
    // These are the default seed's models: other draws can be pre-asymptotic at s ≥ 1/32 (seed 5: a sign change
    // of the linear remainder, slope 3.6; seed 3: ReLU 1.5) or show a faster decay (seed 1: tanh 3.9, a small s³
    // coefficient); the caption's sign-change count says when a slope is not yet a rate.
    expect(Math.abs((res.summary["scaleSlope.linear"] as number) - 4)).toBeLessThan(0.15);
    expect(Math.abs((res.summary["scaleSlope.tanh2"] as number) - 3)).toBeLessThan(0.15);
    expect(Math.abs((res.summary["scaleSlope.relu2"] as number) - 1)).toBeLessThan(0.15);
    for (const m of ["linear", "tanh2", "relu2"]) expect(Math.abs((res.summary[`alphaSlope.${m}`] as number) - 1)).toBeLessThan(0.1);
  });

  it("the seed changes the numbers, not the shape", async () => {
    const other = await remainder.run({ ...ctx, rng: experimentRng("remainder", 99), seed: 99 });
    expect(other.figures[0].table.rows).toHaveLength(scaleFig.table.rows.length);
    expect(other.figures[0].table.rows[0].remainder).not.toBe(scaleFig.table.rows[0].remainder);
  });
});
