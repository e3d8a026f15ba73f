import { describe, expect, it } from "vitest";
import { center } from "../../src/core/dataset.js";
import { twoMoons } from "../../src/data/synthetic.js";
import { fig2Approximation } from "../../src/experiments/fig2Approximation.js";
import { fig3Ingredients } from "../../src/experiments/fig3Ingredients.js";
import { fig1Data } from "../../src/experiments/fig1Robustness.js";
import { gapData, genGap } from "../../src/experiments/genGap.js";
import { experimentRng } from "../../src/experiments/runner.js";
import type { ExperimentContext } from "../../src/experiments/types.js";
import { toCsv } from "../../src/figures/csv.js";
import { family } from "../../src/losses/index.js";
import { mixupLoss } from "../../src/mixup/index.js";
import { theoremInequality } from "../../src/robustness/theorem.js";
import { taylorTerms } from "../../src/taylor/index.js";
import { initModel, parseInitSpec } from "../../src/train/index.js";

// The training experiments at --quick (fig3 ≈ 4 s, gen-gap ≈ 2 s, fig2 ≈ 10 s on one core). fig1-robustness is
// run by the CLI test of `figures` (test/cli/experiment.test.ts).

const NOOP = { stage() {}, tick() {}, pause: () => undefined };
const ctxOf = (name: string, workers?: number): ExperimentContext => ({ rng: experimentRng(name, 0), seed: 0, quick: true, progress: NOOP, workers });
const fam = family("logistic");

describe("fig3-ingredients (quick)", async () => {
  const res = await fig3Ingredients.run(ctxOf("fig3-ingredients"));
  const rows = res.figures[0].table.rows;

  it("at step 0 the plotted ingredients are Theorem 3.1/3.2's on the seeded bias-free start, recomputed here", () => {
    const ctx = ctxOf("fig3-ingredients");
    const n = res.params.n as number;
    const ds = center(twoMoons(ctx.rng.fork(1), n, 0.1, { angles: "uniform" }));
    for (const [mi, spec] of (res.params.models as string[]).entries()) {
      const model = initModel(parseInitSpec(spec.split(",")[0]), ds.d, 1, "logistic", ctx.rng.fork(100 + mi), false);
      for (const alpha of res.params.alphas as number[]) {
        const t = theoremInequality(ds, model, fam, alpha, alpha);
        const at0 = (q: string) => rows.find((r) => r.step === 0 && r.alpha === alpha && r.quantity === q && String(r.model).startsWith(mi === 0 ? "linear" : "ReLU"))?.value;
        expect(at0("R")).toBe(t.R);
        expect(at0("c_x")).toBe(t.assumptions.cx);
        expect(at0("ε_mix")).toBe(t.epsMix);
      }
    }
  });

  it("every quantity at every checkpoint; fractions in [0, 1]; the same CSV with one worker thread", async () => {
    expect(rows.length).toBe(2 * 2 * 7 * 5);
    for (const r of rows.filter((x) => x.quantity === "fraction in Θ")) expect((r.value as number) >= 0 && (r.value as number) <= 1).toBe(true);
    const one = await fig3Ingredients.run(ctxOf("fig3-ingredients", 1));
    const csv = (t: typeof one.figures[0]["table"]) => toCsv(t.columns, t.rows);
    expect(csv(one.figures[0].table)).toBe(csv(res.figures[0].table));
  });
});

describe("fig2-approximation (quick)", async () => {
  const res = await fig2Approximation.run(ctxOf("fig2-approximation"));
  const relFig = res.figures[1];

  it("at step 0 the plotted L_mix and approximation are the exact loss and Lemma 3.1's on the seeded start, recomputed here", async () => {
    const ctx = ctxOf("fig2-approximation");
    const ds = center(twoMoons(ctx.rng.fork(1), res.params.n as number, 0.1, { angles: "uniform" }));
    const models = res.params.models as string[];
    for (const [mi, spec] of models.entries()) {
      const model = initModel(parseInitSpec(spec), ds.d, 1, "logistic", ctx.rng.fork(100 + mi), true);
      const alpha = 1;
      const exact = await mixupLoss(ds, model, fam, alpha, alpha, { method: "pairs" });
      const t = taylorTerms(ds, model, fam, alpha, alpha);
      // rows in run order: model, then α ∈ {0.2, 1, 2}, then 7 checkpoints
      const row = relFig.table.rows[(mi * 3 + 1) * 7];
      expect([row.step, row.alpha], spec).toEqual([0, "α = 1"]);
      // the log's L_mix (method auto) against all pairs: both within tol 1e-10 of the truth
      expect(Math.abs((row.Lmix as number) - exact.value), spec).toBeLessThan(2e-10);
      expect(row.approx).toBe(t.approx);
      expect(row.Lstd).toBe(t.standardLoss);
    }
  });

  it("relative errors are |L_mix − approx| / |L_mix − L_std| of the plotted numbers", () => {
    for (const r of relFig.table.rows) {
      const gap = Math.abs((r.Lmix as number) - (r.Lstd as number));
      expect(r.relativeError).toBe(Math.abs((r.Lmix as number) - (r.approx as number)) / gap);
    }
  });
});

describe("gen-gap (quick)", async () => {
  const res = await genGap.run(ctxOf("gen-gap"));
  const rows = res.figures[0].table.rows;

  it("mean ± 1 sd over the seeds at each checkpoint, for each data set, run and measure", () => {
    const seeds = res.params.seeds as number;
    expect(seeds).toBeGreaterThanOrEqual(3);
    // 2 data sets × 2 runs (ERM, Mixup α = 1) × 6 checkpoints × 2 measures
    expect(rows.length).toBe(2 * 2 * 6 * 2);
    for (const r of rows) {
      expect(r.seeds).toBe(seeds);
      expect(r.lower).toBe((r.mean as number) - (r.sd as number));
      expect(r.upper).toBe((r.mean as number) + (r.sd as number));
      if (r.metric === "test − train error") expect(Math.abs(r.mean as number)).toBeLessThanOrEqual(1);
    }
  });
});

describe("the data of fig1-robustness and gen-gap, quick and full", () => {
  it("every set builds (MNIST 3-vs-5 has 1895 images in all); fig1's training parts are centered, its test parts shifted by the same mean", () => {
    for (const quick of [true, false]) {
      for (const s of fig1Data(experimentRng("fig1-robustness", 0).fork(1), quick)) {
        expect(s.train.n + s.test.n, s.name).toBeLessThanOrEqual(s.name.startsWith("MNIST") ? 1895 : 2000);
        expect(s.test.d).toBe(s.train.d);
        // centered: each feature's training mean is 0 up to rounding (|x| ≤ 3 or so, n ≤ 1400: 1e-12 is ample)
        const mean = new Float64Array(s.train.d);
        for (let i = 0; i < s.train.n; i++) for (let k = 0; k < s.train.d; k++) mean[k] += s.train.X[i * s.train.d + k] / s.train.n;
        for (const m of mean) expect(Math.abs(m)).toBeLessThan(1e-12);
      }
      const g = gapData(experimentRng("gen-gap", 0).fork(1), quick);
      expect(g.map((x) => x.train.d)).toEqual([784, 100]);
      for (const x of g) expect(x.test.n).toBeGreaterThan(x.train.n);
    }
  });
});
