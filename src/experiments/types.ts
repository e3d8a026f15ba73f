import type { Rng } from "../core/rng.js";
import type { Cell, Table, VlSpec } from "../figures/types.js";

/**
 * How an experiment reports progress: the shape of the CLI's progress line (src/cli/io/progress.ts), so the
 * CLI passes its line as is; the library default does nothing. `stage` starts a named step (with a count of
 * its steps, or none for a spinner), `tick` reports steps done, and a long synchronous loop awaits `pause()`
 * now and then so the line can be redrawn and Ctrl-C handled.
 */
export interface ExperimentProgress {
  stage(label: string, total?: number): void;
  tick(done: number): void;
  pause(): Promise<void> | undefined;
}

/** What an experiment's `run` receives. */
export interface ExperimentContext {
  /** the experiment's own stream: Rng(seed).fork(streamId(name)); fork it further for sub-tasks */
  readonly rng: Rng;
  /** the user's --seed (for the record; draw only from `rng`) */
  readonly seed: number;
  /** --quick: the small parameters (seconds), else the full ones (minutes) */
  readonly quick: boolean;
  readonly progress: ExperimentProgress;
  /** worker threads for exact losses (undefined: all cores); never changes a number */
  readonly workers?: number;
}

/** One figure: its file stem, caption text, the spec, and the table behind it (written as <name>.csv). */
export interface ExperimentFigure {
  /** file stem: lower-case letters, digits and '-'; one of the experiment's `figures` */
  readonly name: string;
  readonly title: string;
  /** what is plotted: axes, series, panels, bands, clipping (markdown, goes into the caption) */
  readonly description: string;
  /** the Vega-Lite spec (data inline, from `table`) */
  readonly spec: VlSpec;
  /** the numbers behind the figure; no timings, so the same seed gives byte-identical CSV */
  readonly table: Table;
  /** notes for this figure only (added to the experiment's notes in its caption) */
  readonly notes?: readonly string[];
}

/** What `run` returns. */
export interface ExperimentResult {
  readonly figures: readonly ExperimentFigure[];
  /** the parameters used (quick or full), printed in every caption */
  readonly params: Readonly<Record<string, unknown>>;
  /** remarks for every caption (e.g. how singular ends are drawn) */
  readonly notes: readonly string[];
  /** key numbers (fitted slopes, checks) for `--json` */
  readonly summary: Readonly<Record<string, Cell>>;
}

/**
 * A figure-producing experiment. To add one: a file in src/experiments/ exporting an `Experiment`, and its
 * line in EXPERIMENTS (src/experiments/index.ts); the runner (runner.ts) and the CLI do the rest.
 */
export interface Experiment {
  /** the CLI name, e.g. "mixing-law" */
  readonly name: string;
  readonly title: string;
  /** one line for `--help` and docs */
  readonly description: string;
  /** the stems of the figures `run` returns, in order (the CLI checks the output files before computing) */
  readonly figures: readonly string[];
  run(ctx: ExperimentContext): Promise<ExperimentResult>;
}
