import { center } from "../core/dataset.js";
import { twoMoons } from "../data/index.js";
import { facetedLines } from "../figures/facetedLines.js";
import type { Row } from "../figures/types.js";
import { family as familyOf } from "../losses/index.js";
import { mixupRuns } from "./training.js";
import type { Experiment, ExperimentResult } from "./types.js";

/**
 * `fig3-ingredients` (the paper's Fig. 3, content not recoverable; docs/theory.md §3): the ingredients of
 * Theorems 3.1/3.2 along Mixup training, R, c_x, ε_mix = R·c_x·m1, the fraction of training points in Θ, and
 * ε_mix/ε* (ε* the tightest radius at which the second-order inequality still holds).
 */

const MODELS = [
  { spec: "linear", name: "linear (Thm 3.1)" },
  { spec: "relu2:16", name: "ReLU net (Thm 3.2)" },
] as const;

const ALPHAS = [0.5, 1] as const;

const QUANTITIES = ["R", "c_x", "ε_mix", "fraction in Θ", "ε_mix / ε*"] as const;

export const fig3Ingredients: Experiment = {
  name: "fig3-ingredients",
  title: "The ingredients of Theorems 3.1 and 3.2 along Mixup training",
  description: "R, c_x, ε_mix, the fraction of training points in Θ and ε_mix/ε* along Mixup training on two-moons (bias-free linear and ReLU models)",
  figures: ["fig3-ingredients"],
  async run(ctx): Promise<ExperimentResult> {
    const n = ctx.quick ? 200 : 1000;
    const steps = ctx.quick ? 150 : 1500;
    const lr = 0.05;
    const batch = 32;
    const every = steps / (ctx.quick ? 6 : 15);
    // centered: assumption (a) of both theorems
    const ds = center(twoMoons(ctx.rng.fork(1), n, 0.1, { angles: "uniform" }));
    const fam = familyOf("logistic");
    const rows: Row[] = [];
    const summary: Record<string, number | null> = {};
    ctx.progress.stage("fig3-ingredients: training", MODELS.length * ALPHAS.length);
    await mixupRuns(ctx, ds, fam, MODELS, ALPHAS, { bias: false, steps, lr, batch, every }, (mdl, alpha, log) => {
      const run = `${mdl.name}, α = ${alpha}`;
      for (const r of log) {
        const values: Record<(typeof QUANTITIES)[number], number | null> = {
          R: r.R,
          c_x: r.cx,
          "ε_mix": r.epsMix,
          "fraction in Θ": r.inThetaFraction,
          "ε_mix / ε*": r.epsRatio,
        };
        for (const q of QUANTITIES) rows.push({ run, model: mdl.name, alpha, step: r.step, quantity: q, value: values[q] });
      }
      const last = log[log.length - 1];
      summary[`epsMix(${mdl.spec}, α=${alpha})`] = last.epsMix;
      summary[`fractionInTheta(${mdl.spec}, α=${alpha})`] = last.inThetaFraction;
      summary[`epsRatio(${mdl.spec}, α=${alpha})`] = last.epsRatio;
    });
    const spec = facetedLines({
      rows: rows.filter((r) => r.value !== null),
      x: { field: "step", title: "training step" },
      y: { field: "value", title: "value" },
      series: { field: "run", title: "model, α = β" },
      panel: { field: "quantity", title: "" },
      columns: 3,
      independentY: true,
      points: true,
    });
    return {
      figures: [
        {
          name: "fig3-ingredients",
          title: "R, c_x, ε_mix, the fraction in Θ and ε_mix/ε* along Mixup training",
          description:
            "One panel per quantity (each with its own y scale), one line per model and α = β, at checkpoints of Mixup training " +
            "(Adam, one λ ~ Beta(α, α) per batch) on centered two-moons: R (the cosine term of ε_mix), c_x, ε_mix = R·c_x·m1 " +
            "(docs/theory.md §3), the fraction of training points with θ on the right side (Θ, assumption (c)), and ε_mix/ε*, " +
            "ε* the largest radius at which L_std + R1 + R2 ≥ L̃_adv + L_reg still holds.",
          spec,
          table: { columns: ["run", "model", "alpha", "step", "quantity", "value"], rows },
        },
      ],
      params: { data: "two-moons (uniform angles), centered", n, noise: 0.1, steps, optimizer: "adam", lr, batch, objective: "mixup-sampled (one λ per batch)", alphas: ALPHAS, models: MODELS.map((m) => `${m.spec}, no biases`), checkpointEvery: every },
      notes: [
        "The models have no biases (the theorems are stated for f = θᵀx and for ReLU nets without biases) and the data are centered, so assumptions (a) and (b) hold throughout; (c), θ ∈ Θ, is what the fraction panel shows.",
        "An empty ε_mix/ε* cell in the CSV is a checkpoint where ε* is 0 or undefined (the ratio is null there).",
      ],
      summary,
    };
  },
};
