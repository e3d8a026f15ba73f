import type { Rng } from "../core/rng.js";
import type { Dataset } from "../core/dataset.js";
import { twoMoons } from "../data/synthetic.js";
import { lineChart } from "../figures/lineChart.js";
import type { Row } from "../figures/types.js";
import { family } from "../losses/index.js";
import { linearModel, twoLayerModel } from "../models/make.js";
import type { Model } from "../models/types.js";
import { alphaStudy, fitSlope, scaleStudy, type StudyRow } from "../taylor/study.js";
import type { Experiment, ExperimentContext, ExperimentResult } from "./types.js";

/**
 * `remainder`: the remainder of Lemma 3.1, L_mix − (L_std + R1 + R2 + R3) over all n² pairs (docs/theory.md
 * §3.1–3.2), drawn against a data scale s (x → s·x) and against α = β, through taylor/study.ts (the studies of
 * `mixup-theory taylor --scale / --alpha-grid`). Expected (§3.2): O(s⁴) for logistic regression, O(s³) for a
 * smooth (tanh) net, O(s) for a bias-free ReLU net; against α it vanishes with α, as R2 does.
 */

export const REMAINDER_TOL = 1e-13; // as `taylor`'s default: the remainder is a small difference of O(1) numbers

/** The parameters of a quick and a full run. */
export function remainderParams(quick: boolean) {
  return quick
    ? { n: 16, noise: 0.1, hidden: 4, scaleAlpha: 1, scales: powersOfHalf(6), alphas: [0.01, 0.03, 0.1, 0.3, 1, 3], tailPoints: 3, tol: REMAINDER_TOL }
    : {
        n: 200,
        noise: 0.1,
        hidden: 4,
        scaleAlpha: 1,
        scales: powersOfHalf(8),
        alphas: [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
        tailPoints: 3,
        tol: REMAINDER_TOL,
      };
}

function powersOfHalf(k: number): number[] {
  return Array.from({ length: k }, (_, j) => Math.pow(2, -j));
}

interface NamedModel {
  readonly key: string;
  readonly label: string;
  readonly model: Model;
  readonly weights: Record<string, number[] | null>;
}

const round = (x: number) => Number(x.toPrecision(6));

/**
 * Three small logistic models with weights drawn from `rng` (rounded to 6 digits so the caption states them
 * exactly): logistic regression with a bias, a tanh net with biases (smooth), a bias-free ReLU net (its kinks
 * do not move under x → s·x).
 */
export function remainderModels(rng: Rng, m: number): NamedModel[] {
  const draw = (k: number, sd = 1) => Array.from({ length: k }, () => round(sd * rng.normal()));
  const theta = draw(2);
  const bias = draw(1, 0.5);
  const W = draw(2 * m);
  const b = draw(m, 0.5);
  const V = draw(m);
  return [
    { key: "linear", label: "logistic regression", model: linearModel({ theta, bias, loss: "logistic" }), weights: { theta, bias } },
    {
      key: "tanh2",
      label: `tanh net (m = ${m})`,
      model: twoLayerModel({ W, b, V, m, activation: "tanh", loss: "logistic" }),
      weights: { W, b, V, c: null },
    },
    {
      key: "relu2",
      label: `ReLU net (m = ${m}, no bias)`,
      model: twoLayerModel({ W, V, m, activation: "relu", loss: "logistic" }),
      weights: { W, b: null, V, c: null },
    },
  ];
}

const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

/** A study row as a table row: |remainder| is null where the remainder is within its error bound (zero to quadrature accuracy). */
function tableRow(model: NamedModel, series: string, key: "s" | "alpha", r: StudyRow, alpha: number): Row {
  const resolved = Math.abs(r.remainder) > r.remainderError;
  return {
    model: model.key,
    series,
    [key]: r.at,
    ...(key === "s" ? { alpha, beta: alpha } : { beta: r.at }),
    mixupLoss: finiteOrNull(r.mixupLoss),
    standardLoss: finiteOrNull(r.standardLoss),
    R1: finiteOrNull(r.R1),
    R2: finiteOrNull(r.R2),
    R3: finiteOrNull(r.R3),
    approx: finiteOrNull(r.approx),
    remainder: finiteOrNull(r.remainder),
    remainderError: finiteOrNull(r.remainderError),
    absRemainder: resolved ? Math.abs(r.remainder) : null,
    remainderOverR2: finiteOrNull(r.remainder / r.R2),
  };
}

/** The slope over the `tail` rows with the smallest s or α (the asymptotic end), with its text. */
export function tailSlope(rows: readonly StudyRow[], tail: number): { slope: number | null; text: string } {
  const f = fitSlope([...rows].sort((a, b) => a.at - b.at).slice(0, tail));
  return { slope: f.slope, text: f.slope === null ? "no slope" : `slope ${f.slope.toFixed(2)}` };
}

async function studies(ctx: ExperimentContext, ds: Dataset, models: readonly NamedModel[], p: ReturnType<typeof remainderParams>) {
  const fam = family("logistic");
  const o = { tol: p.tol, workers: ctx.workers };
  const total = models.length * (p.scales.length + p.alphas.length);
  let done = 0;
  ctx.progress.stage("remainder: Lemma 3.1 remainder (exact L_mix per row)", total);
  const scale: StudyRow[][] = [];
  const alpha: StudyRow[][] = [];
  for (const m of models) {
    const rows: StudyRow[] = [];
    for (const s of p.scales) {
      rows.push(...(await scaleStudy(ds, m.model, fam, p.scaleAlpha, p.scaleAlpha, [s], o)).rows);
      ctx.progress.tick(++done);
      await ctx.progress.pause();
    }
    scale.push(rows);
  }
  for (const m of models) {
    const rows: StudyRow[] = [];
    for (const a of p.alphas) {
      rows.push(...(await alphaStudy(ds, m.model, fam, [a], o)).rows);
      ctx.progress.tick(++done);
      await ctx.progress.pause();
    }
    alpha.push(rows);
  }
  return { scale, alpha };
}

const SCALE_COLUMNS = ["model", "series", "s", "alpha", "beta", "mixupLoss", "standardLoss", "R1", "R2", "R3", "approx", "remainder", "remainderError", "absRemainder", "remainderOverR2"];
const ALPHA_COLUMNS = ["model", "series", "alpha", "beta", "mixupLoss", "standardLoss", "R1", "R2", "R3", "approx", "remainder", "remainderError", "absRemainder", "remainderOverR2"];

const REMAINDER_TITLE = "|L_mix − (L_std + R₁ + R₂ + R₃)|";

export const remainder: Experiment = {
  name: "remainder",
  title: "The remainder of Lemma 3.1 against a data scale and against α",
  description: "the Lemma 3.1 remainder on two-moons for logistic regression, a tanh net and a ReLU net, against s (x → s·x) and α = β",
  figures: ["remainder-scale", "remainder-alpha", "remainder-ratio"],
  async run(ctx): Promise<ExperimentResult> {
    const p = remainderParams(ctx.quick);
    const ds = twoMoons(ctx.rng.fork(1), p.n, p.noise);
    const models = remainderModels(ctx.rng.fork(2), p.hidden);
    const { scale, alpha } = await studies(ctx, ds, models, p);
    const summary: Record<string, number | null> = {};
    const scaleRows: Row[] = [];
    const alphaRows: Row[] = [];
    for (const [k, m] of models.entries()) {
      const sFit = tailSlope(scale[k], p.tailPoints);
      const aFit = tailSlope(alpha[k], p.tailPoints);
      summary[`scaleSlope.${m.key}`] = sFit.slope;
      summary[`scaleSignChanges.${m.key}`] = fitSlope(scale[k]).signChanges;
      summary[`alphaSlope.${m.key}`] = aFit.slope;
      for (const r of scale[k]) scaleRows.push(tableRow(m, `${m.label}: ${sFit.text}`, "s", r, p.scaleAlpha));
      for (const r of alpha[k]) alphaRows.push(tableRow(m, `${m.label}: ${aFit.text}`, "alpha", r, r.at));
    }
    const sMax = [...p.scales].sort((a, b) => a - b)[p.tailPoints - 1];
    const aMax = [...p.alphas].sort((a, b) => a - b)[p.tailPoints - 1];
    const slopeNote = (v: string, bound: string) =>
      `The slope in the legend is the least-squares slope of log|remainder| against log ${v} over the ${p.tailPoints} ` +
      `smallest values (${v} ≤ ${bound}), the asymptotic end; only points whose |remainder| exceeds its error bound enter it ` +
      `(taylor/study.ts fitSlope). Points with |remainder| within its error bound are not drawn (absRemainder empty in the CSV).`;
    const common =
      `Two-moons (n = ${p.n}, noise ${p.noise}; the experiment's stream fork(1)), logistic loss, all n² ordered pairs, exact L_mix ` +
      `to relative accuracy ${p.tol}. Models (weights from the stream fork(2), listed in the parameters): logistic regression with a ` +
      `bias, a two-layer tanh net with biases, a two-layer bias-free ReLU net (m = ${p.hidden}).`;
    return {
      figures: [
        {
          name: "remainder-scale",
          title: "Lemma 3.1 remainder against the data scale s",
          description:
            `|remainder| = |L_mix − (L_std + R₁ + R₂ + R₃)| against s, the data scaled x → s·x, λ ~ Beta(${p.scaleAlpha}, ` +
            `${p.scaleAlpha}), log–log axes, one line per model. ${common} Expected (docs/theory.md §3.2): slope 4 for ` +
            `logistic regression, 3 for the tanh net, 1 for the bias-free ReLU net.`,
          spec: lineChart({
            rows: scaleRows,
            x: { field: "s", title: "s (data x → s·x)", log: true },
            y: { field: "absRemainder", title: REMAINDER_TITLE, log: true },
            series: { field: "series", title: "model" },
            points: true,
          }),
          table: { columns: SCALE_COLUMNS, rows: scaleRows },
          notes: [
            slopeNote("s", String(sMax)),
            `Sign changes of the remainder along s: ${models.map((m, k) => `${m.label} ${fitSlope(scale[k]).signChanges}`).join(", ")}. ` +
              `A slope fitted across a sign change is not a rate; the tail slope is fitted at the small-s end, past it.`,
          ],
        },
        {
          name: "remainder-alpha",
          title: "Lemma 3.1 remainder against α = β",
          description:
            `|remainder| against α, λ ~ Beta(α, α), data at s = 1, log–log axes, one line per model. ${common} ` +
            `Expected (docs/theory.md §3.2): it vanishes in proportion to α as α → 0.`,
          spec: lineChart({
            rows: alphaRows,
            x: { field: "alpha", title: "α = β", log: true },
            y: { field: "absRemainder", title: REMAINDER_TITLE, log: true },
            series: { field: "series", title: "model" },
            points: true,
          }),
          table: { columns: ALPHA_COLUMNS, rows: alphaRows },
          notes: [slopeNote("α", String(aMax))],
        },
        {
          name: "remainder-ratio",
          title: "Lemma 3.1 remainder relative to R₂ against α = β",
          description:
            `remainder / R₂ against α (log axis), λ ~ Beta(α, α), data at s = 1, one line per model. ${common} ` +
            `Expected (docs/theory.md §3.2): R₂ vanishes with α as the remainder does, so the ratio tends to a non-zero constant as α → 0.`,
          spec: lineChart({
            rows: alphaRows,
            x: { field: "alpha", title: "α = β", log: true },
            y: { field: "remainderOverR2", title: "remainder / R₂" },
            series: { field: "series", title: "model" },
            points: true,
          }),
          table: { columns: ALPHA_COLUMNS, rows: alphaRows },
        },
      ],
      params: {
        dataset: `twoMoons(n = ${p.n}, noise = ${p.noise})`,
        loss: "logistic",
        scaleStudyAlpha: p.scaleAlpha,
        scales: p.scales,
        alphas: p.alphas,
        tailPoints: p.tailPoints,
        tol: p.tol,
        models: Object.fromEntries(models.map((m) => [m.key, m.weights])),
      },
      notes: [],
      summary,
    };
  },
};
