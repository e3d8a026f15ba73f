import { Rng } from "../core/rng.js";
import { caption } from "../figures/caption.js";
import { toCsv } from "../figures/csv.js";
import { renderFigure, rendererVersions } from "../figures/render.js";
import type { Cell } from "../figures/types.js";
import { streamId } from "../verify/runner.js";
import type { Experiment, ExperimentProgress } from "./types.js";

export interface RunExperimentOptions {
  readonly seed: number;
  readonly quick: boolean;
  readonly progress?: ExperimentProgress;
  readonly workers?: number;
  /** the toolkit's version for the captions (the CLI reads it from package.json) */
  readonly toolVersion?: string;
}

/** The files of one experiment (file name → contents, in writing order) and its key numbers. */
export interface ExperimentOutput {
  readonly name: string;
  readonly files: ReadonlyArray<readonly [string, string | Uint8Array]>;
  readonly summary: Readonly<Record<string, Cell>>;
  readonly wallMs: number;
}

const NOOP: ExperimentProgress = { stage() {}, tick() {}, pause: () => undefined };

const STEM = /^[a-z0-9][a-z0-9-]*$/;

/** The command that makes one experiment's figures alone (the numbers do not depend on the other experiments). */
export function experimentCommand(name: string, seed: number, quick: boolean): string {
  return `mixup-theory experiment ${name} --seed ${seed}${quick ? " --quick" : ""}`;
}

/** The experiment's stream: Rng(seed).fork(streamId(name)), the same under `experiment` and `figures`. */
export function experimentRng(name: string, seed: number): Rng {
  return new Rng(seed).fork(streamId(name));
}

/**
 * Runs an experiment and draws its figures: for each figure NAME, NAME.csv (the table), NAME.svg, NAME.png
 * and NAME.md (the caption). Nothing is written here: the caller writes the files (the CLI atomically).
 */
export async function runExperiment(exp: Experiment, o: RunExperimentOptions): Promise<ExperimentOutput> {
  const t0 = performance.now();
  const progress = o.progress ?? NOOP;
  const result = await exp.run({ rng: experimentRng(exp.name, o.seed), seed: o.seed, quick: o.quick, progress, workers: o.workers });
  const names = result.figures.map((f) => f.name);
  if (names.join(",") !== exp.figures.join(",")) {
    throw new Error(`experiment ${exp.name}: run returned the figures [${names.join(", ")}], declared [${exp.figures.join(", ")}]`);
  }
  const drawn: Array<{ csv: string; svg: string; png: Uint8Array }> = [];
  for (const [k, f] of result.figures.entries()) {
    if (!STEM.test(f.name)) throw new Error(`experiment ${exp.name}: figure name "${f.name}" is not a file stem`);
    progress.stage(`${exp.name}: drawing ${f.name} (${k + 1}/${result.figures.length})`);
    await progress.pause();
    drawn.push({ csv: toCsv(f.table.columns, f.table.rows), ...(await renderFigure(f.spec)) });
  }
  const wallMs = performance.now() - t0;
  const versions = { "mixup-theory": o.toolVersion ?? "unknown", ...(await rendererVersions()) };
  const files: Array<readonly [string, string | Uint8Array]> = [];
  for (const [k, f] of result.figures.entries()) {
    const stems = { csv: `${f.name}.csv`, svg: `${f.name}.svg`, png: `${f.name}.png` };
    const md = caption({
      title: f.title,
      description: f.description,
      command: experimentCommand(exp.name, o.seed, o.quick),
      params: result.params,
      seed: o.seed,
      stream: `Rng(${o.seed}).fork(FNV-1a("${exp.name}"))`,
      quick: o.quick,
      notes: [...result.notes, ...(f.notes ?? [])],
      versions,
      wallMs,
      files: stems,
    });
    files.push([stems.csv, drawn[k].csv], [stems.svg, drawn[k].svg], [stems.png, drawn[k].png], [`${f.name}.md`, md]);
  }
  return { name: exp.name, files, summary: result.summary, wallMs };
}
