import { DENSITY_CAP, densityChart } from "../figures/densityChart.js";
import type { Row } from "../figures/types.js";
import { logBetaAccurate } from "../mixing/lbeta.js";
import { m1 } from "../mixing/dtilde.js";
import type { Experiment, ExperimentResult } from "./types.js";

/**
 * `mixing-law`: the densities of Beta(α, β), the Mixup law of λ, and of D̃, the law of the label-free rewrite
 * (docs/theory.md §2.5): p_D̃(λ) = λ·(p_Beta(α,β)(λ) + p_Beta(β,α)(λ)), for a few (α, β).
 */

/** The (α, β) pairs drawn: U-shaped, uniform, bell-shaped, skewed. */
export const MIXING_LAW_CASES: ReadonlyArray<readonly [number, number]> = [
  [0.2, 0.2],
  [1, 1],
  [2, 2],
  [0.5, 2],
];

/** y axis cut: Beta(0.2, 0.2) and D̃ are unbounded at the ends; the bounded cases peak below 2. */
export const MIXING_LAW_YMAX = 4;

/**
 * An interior grid graded towards both ends: t_k = (k − ½)/N, λ_k = t^q/(t^q + (1−t)^q), returned with
 * 1 − λ_k = (1−t)^q/(t^q + (1−t)^q) computed on its own (λ near 1 rounds to 1 in a double, its complement
 * does not) and the Jacobian dλ/dt = q·λ(1−λ)/(t(1−t)). The midpoint rule in t, Σ_k p(λ_k)·dλ/dt_k / N,
 * then integrates a density with power singularities λ^(a−1) at the ends: its integrand in t behaves like
 * t^(q·a − 1), smooth for q·a ≥ 1 (q = 10 covers a ≥ 0.1).
 */
export function gradedGrid(N: number, q: number): { lambda: Float64Array; oneMinus: Float64Array; jacobian: Float64Array } {
  const lambda = new Float64Array(N);
  const oneMinus = new Float64Array(N);
  const jacobian = new Float64Array(N);
  for (let k = 0; k < N; k++) {
    const t = (k + 0.5) / N;
    const r = (1 - t) / t; // λ = 1/(1 + r^q), 1 − λ = 1/(1 + r^−q)
    lambda[k] = 1 / (1 + Math.pow(r, q));
    oneMinus[k] = 1 / (1 + Math.pow(r, -q));
    jacobian[k] = (q * lambda[k] * oneMinus[k]) / (t * (1 - t));
  }
  return { lambda, oneMinus, jacobian };
}

/**
 * The Beta(a, b) density at λ given with its complement u = 1 − λ: exp((a−1)·log λ + (b−1)·log u − log B(a, b)),
 * finite at every interior grid point (the jstat density takes λ alone and loses 1 − λ near 1).
 */
export function betaDensityAt(lambda: number, u: number, a: number, b: number): number {
  return Math.exp((a - 1) * Math.log(lambda) + (b - 1) * Math.log(u) - logBetaAccurate(a, b));
}

/** p_D̃(λ) = λ·(p_Beta(α,β)(λ) + p_Beta(β,α)(λ)) (docs/theory.md §2.5), from λ and 1 − λ. */
export function dTildeDensityAt(lambda: number, u: number, alpha: number, beta: number): number {
  return lambda * (betaDensityAt(lambda, u, alpha, beta) + betaDensityAt(lambda, u, beta, alpha));
}

export const BETA_LAW = "Beta(α, β)";
export const DTILDE_LAW = "D̃";

const caseName = (a: number, b: number) => `α = ${a}, β = ${b}`;

export const mixingLaw: Experiment = {
  name: "mixing-law",
  title: "The Mixup law Beta(α, β) and the label-free law D̃",
  description: "densities of Beta(α, β) and of D̃ (p_D̃(λ) = λ·(p_Beta(α,β) + p_Beta(β,α))) for a few (α, β)",
  figures: ["mixing-law"],
  async run(ctx): Promise<ExperimentResult> {
    const N = ctx.quick ? 400 : 2000;
    const q = 10;
    const grid = gradedGrid(N, q);
    const rows: Row[] = [];
    const summary: Record<string, number> = {};
    ctx.progress.stage("mixing-law: densities", MIXING_LAW_CASES.length);
    for (const [c, [alpha, beta]] of MIXING_LAW_CASES.entries()) {
      const name = caseName(alpha, beta);
      for (const law of [BETA_LAW, DTILDE_LAW]) {
        for (let k = 0; k < N; k++) {
          const l = grid.lambda[k];
          const u = grid.oneMinus[k];
          const density = law === BETA_LAW ? betaDensityAt(l, u, alpha, beta) : dTildeDensityAt(l, u, alpha, beta);
          rows.push({ case: name, alpha, beta, law, lambda: l, oneMinusLambda: u, density });
        }
      }
      summary[`meanDTilde(${alpha},${beta})`] = 1 - m1(alpha, beta);
      ctx.progress.tick(c + 1);
    }
    const rules = MIXING_LAW_CASES.map(([a, b]) => ({ x: 1 - m1(a, b), label: "E_D̃[λ]", panel: caseName(a, b) }));
    const spec = densityChart({
      rows,
      series: { field: "law", title: "law of λ" },
      panel: { field: "case", title: "" },
      yMax: MIXING_LAW_YMAX,
      rules,
      columns: 2,
    });
    const description =
      `One panel per (α, β) ∈ {${MIXING_LAW_CASES.map(([a, b]) => `(${a}, ${b})`).join(", ")}}: the density of ` +
      `λ ~ Beta(α, β) (the Mixup law) and of λ ~ D̃, the law of the label-free rewrite of the Mixup loss ` +
      `(docs/theory.md §2.5), p_D̃(λ) = λ·(p_Beta(α,β)(λ) + p_Beta(β,α)(λ)), against λ ∈ (0, 1). The dashed rule ` +
      `marks E_D̃[λ] = 1 − m1 = 1 − 2αβ/((α+β)(α+β+1)).`;
    return {
      figures: [
        {
          name: "mixing-law",
          title: "Beta(α, β) and D̃",
          description,
          spec,
          table: { columns: ["case", "alpha", "beta", "law", "lambda", "oneMinusLambda", "density"], rows },
        },
      ],
      params: { cases: MIXING_LAW_CASES, gridPoints: N, gridGrading: q, yMax: MIXING_LAW_YMAX },
      notes: [
        `The densities are evaluated on an interior grid graded towards both ends (t_k = (k − ½)/N, ` +
          `λ = t^q/(t^q + (1−t)^q), N = ${N}, q = ${q}), never at λ = 0 or 1, where Beta(α, β) with α < 1 or β < 1 ` +
          `and D̃ with min(α, β) < 1 are unbounded.`,
        `The y axis is cut at ${MIXING_LAW_YMAX}; lines above it are clipped at the frame (the drawn data cap ` +
          `the density at ${DENSITY_CAP}·${MIXING_LAW_YMAX}, which changes nothing inside the frame). The CSV holds the true values.`,
        `The CSV gives 1 − λ in its own column (oneMinusLambda): near λ = 1 the grid's λ rounds to 1 in a double, its ` +
          `complement does not; the densities are computed from both.`,
        `No randomness: the seed does not change this figure.`,
      ],
      summary,
    };
  },
};
