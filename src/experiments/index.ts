/** Experiments: figure-producing runs (src/experiments/types.ts), one file each, listed in EXPERIMENTS. */
import { fig1Robustness } from "./fig1Robustness.js";
import { fig2Approximation } from "./fig2Approximation.js";
import { fig3Ingredients } from "./fig3Ingredients.js";
import { genGap } from "./genGap.js";
import { mixingLaw } from "./mixingLaw.js";
import { remainder } from "./remainder.js";
import type { Experiment } from "./types.js";

export type { Experiment, ExperimentContext, ExperimentFigure, ExperimentProgress, ExperimentResult } from "./types.js";
export { runExperiment, experimentCommand, experimentRng, type ExperimentOutput, type RunExperimentOptions } from "./runner.js";

/** Every experiment, in the order `figures` runs them. Adding one: its file, and one line here. */
export const EXPERIMENTS: readonly Experiment[] = [fig1Robustness, fig2Approximation, fig3Ingredients, genGap, remainder, mixingLaw];

/** The experiment called `name`, or undefined. */
export function findExperiment(name: string): Experiment | undefined {
  return EXPERIMENTS.find((e) => e.name === name);
}
