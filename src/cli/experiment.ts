import { join } from "node:path";
import type { Command } from "commander";
import { InputError } from "../core/errors.js";
import { EXPERIMENTS, findExperiment, runExperiment, type Experiment, type ExperimentOutput } from "../experiments/index.js";
import { asOption, checkWritableDir, parseNonNegativeInt, parsePositiveInt, progress, writeFilesAtomic } from "./io/index.js";
import { packageVersion, stringifyStrict } from "./json.js";

interface ExperimentOptions {
  quick?: boolean;
  seed: number;
  out?: string;
  workers?: number;
  json?: boolean;
  quiet?: boolean;
}

/** The files an experiment writes: NAME.csv, .svg, .png, .md per figure (checked before computing). */
export function experimentFiles(exp: Experiment): string[] {
  return exp.figures.flatMap((f) => ["csv", "svg", "png", "md"].map((ext) => `${f}.${ext}`));
}

function lookUp(name: string): Experiment {
  const exp = findExperiment(name);
  if (exp === undefined) {
    throw new InputError("NAME", `unknown experiment "${name}" (known: ${EXPERIMENTS.map((e) => e.name).join(", ")})`);
  }
  return exp;
}

interface Written {
  readonly name: string;
  readonly dir: string;
  readonly output: ExperimentOutput;
}

/**
 * Runs the experiments, each into its directory: every directory is checked first (exit 2 before any
 * computing), and each experiment's files are written as one atomic set when it ends.
 */
async function runAll(plan: ReadonlyArray<readonly [Experiment, string]>, o: ExperimentOptions): Promise<Written[]> {
  for (const [exp, dir] of plan) checkWritableDir(dir, experimentFiles(exp), "--out");
  const written: Written[] = [];
  const bar = progress(plan.length === 1 ? `experiment ${plan[0][0].name}` : "figures", { quiet: o.quiet });
  try {
    for (const [k, [exp, dir]] of plan.entries()) {
      const prefix = plan.length === 1 ? "" : `figures ${k + 1}/${plan.length} `;
      const output = await runExperiment(exp, {
        seed: o.seed,
        quick: o.quick === true,
        workers: o.workers,
        toolVersion: packageVersion(),
        progress: { stage: (label, total) => bar.stage(prefix + label, total), tick: (d) => bar.tick(d), pause: () => bar.pause() },
      });
      writeFilesAtomic(output.files.map(([f, data]) => [join(dir, f), data] as const));
      written.push({ name: exp.name, dir, output });
    }
  } finally {
    bar.end();
  }
  return written;
}

function byteLength(data: string | Uint8Array): number {
  return typeof data === "string" ? Buffer.byteLength(data, "utf8") : data.length;
}

/** The report on stdout: a table, or with --json one object (files with sizes, each experiment's key numbers). */
function report(written: readonly Written[], o: ExperimentOptions): string {
  const experiments = written.map((w) => ({
    name: w.name,
    dir: w.dir,
    files: w.output.files.map(([f, data]) => ({ path: join(w.dir, f), bytes: byteLength(data) })),
    summary: w.output.summary,
    wallSeconds: Math.round(w.output.wallMs) / 1000,
  }));
  if (o.json) return stringifyStrict({ version: packageVersion(), seed: o.seed, quick: o.quick === true, experiments }) + "\n";
  const lines = [`mixup-theory ${packageVersion()} — seed ${o.seed}${o.quick ? ", quick" : ""}`];
  for (const e of experiments) {
    lines.push("", `${e.name} (${e.wallSeconds.toFixed(1)} s)`);
    for (const f of e.files) lines.push(`  ${f.path}  ${f.bytes} bytes`);
    for (const [k, v] of Object.entries(e.summary)) lines.push(`  ${k}: ${v === null ? "—" : String(v)}`);
  }
  return lines.join("\n") + "\n";
}

function commonOptions(cmd: Command, outHelp: string): Command {
  return cmd
    .option("--quick", "small parameters (seconds instead of minutes)")
    .option("--seed <s>", "seed of every random choice", asOption("--seed", parseNonNegativeInt), 0)
    .option("--out <dir>", outHelp)
    .option("--workers <w>", "worker threads for exact losses (default: all cores; never changes a number)", asOption("--workers", parsePositiveInt))
    .option("--json", "print one JSON object: files written with sizes, each experiment's key numbers")
    .option("--quiet", "no progress line on stderr");
}

/** `mixup-theory experiment NAME` and `mixup-theory figures`: the paper's experiments as CSV, SVG, PNG and caption. */
export function registerExperiment(program: Command, out: (s: string) => void): void {
  const names = EXPERIMENTS.map((e) => e.name).join(", ");
  commonOptions(
    program
      .command("experiment")
      .description("run one experiment: NAME.csv (the data), NAME.svg, NAME.png and NAME.md (caption) per figure")
      .argument("<name>", `the experiment: ${names}`),
    "output directory (default out/NAME)",
  ).action(async (name: string, o: ExperimentOptions) => {
    const exp = lookUp(name);
    out(report(await runAll([[exp, o.out ?? join("out", exp.name)]], o), o));
  });
  commonOptions(
    program.command("figures").description(`run every experiment (${names}), each into DIR/NAME/`),
    "output directory (default out)",
  ).action(async (o: ExperimentOptions) => {
    const root = o.out ?? "out";
    out(report(await runAll(EXPERIMENTS.map((e) => [e, join(root, e.name)] as const), o), o));
  });
}
