import { join } from "node:path";
import type { Command } from "commander";
import { InputError } from "../core/errors.js";
import { writeCsv } from "../data/csv.js";
import { checkDrop, searchCounterexample, SEARCH_CLAIMS, type SearchClaim } from "../claims/index.js";
import { modelToJSON } from "../models/index.js";
import { asOption, checkWritableDir, parseNonNegativeInt, parsePositiveInt, withProgress, writeFilesAtomic } from "./io/index.js";
import { fmt, packageVersion, stringifyStrict } from "./json.js";

interface SearchOptions {
  claim: string;
  drop: string;
  budget: number;
  seed: number;
  out: string;
  json?: boolean;
  quiet?: boolean;
}

/** `mixup-theory search`: a shrunk counterexample to Theorem 3.1/3.2 once one assumption is dropped (docs/cli.md). */
export function registerSearch(program: Command, out: (s: string) => void): void {
  program
    .command("search")
    .description("find and shrink a data set and model on which Theorem 3.1/3.2 fails once one assumption is dropped")
    .requiredOption("--claim <id>", SEARCH_CLAIMS.join(" | "))
    .requiredOption("--drop <assumption>", "centered | inTheta | homogeneous | none (c_x cannot be dropped: it is a minimum norm)")
    .option("--budget <N>", "instances to try (fast-check runs)", asOption("--budget", parsePositiveInt), 1000)
    .option("--seed <s>", "fast-check's seed", asOption("--seed", parseNonNegativeInt), 0)
    .requiredOption("--out <dir>", "where to write data.csv, model.json and command.txt")
    .option("--json", "print {found, claim, dropped, n, d, margin, files, command}")
    .option("--quiet", "no progress line")
    .action(async (o: SearchOptions) => {
      out(await searchCommand(o));
    });
}

export async function searchCommand(o: SearchOptions): Promise<string> {
  if (!(SEARCH_CLAIMS as readonly string[]).includes(o.claim)) throw new InputError("--claim", `--claim: "${o.claim}" is not one of ${SEARCH_CLAIMS.join(", ")}`);
  const claim = o.claim as SearchClaim;
  const drop = checkDrop(o.drop);
  const names = ["data.csv", "model.json", "command.txt"];
  checkWritableDir(o.out, names, "--out");
  const r = await withProgress("search", { quiet: o.quiet === true }, () => searchCounterexample(claim, drop, { budget: o.budget, seed: o.seed }));
  const cx = r.counterexample;
  const files = names.map((f) => join(o.out, f));
  let command: string | null = null;
  if (cx !== null) {
    const which = claim === "theorem-3.1" ? "3.1" : "3.2";
    const beta = cx.beta ?? cx.alpha;
    command = `mixup-theory theorem ${which} --data ${files[0]} --model ${files[1]} --alpha ${cx.alpha}${beta !== cx.alpha ? ` --beta ${beta}` : ""}`;
    writeFilesAtomic([
      [files[0], writeCsv({ ...cx.ds, source: "search" })],
      [files[1], stringifyStrict(modelToJSON(cx.model)) + "\n"],
      [files[2], command + "\n"],
    ]);
  }
  const report = {
    version: packageVersion(),
    found: cx !== null,
    claim,
    dropped: drop,
    n: cx?.ds.n ?? null,
    d: cx?.ds.d ?? null,
    margin: r.result?.margin ?? null,
    files: cx !== null ? files : [],
    command,
    budget: o.budget,
    tried: r.numRuns,
    seed: r.seed,
    path: r.path,
  };
  if (o.json) return stringifyStrict(report) + "\n";
  if (cx === null) {
    return `mixup-theory ${packageVersion()} — search ${claim}, --drop ${drop}: no counterexample in ${r.numRuns} instances (seed ${r.seed})${drop === "none" ? "; with every assumption kept the theorem held" : ""}\n`;
  }
  return [
    `mixup-theory ${packageVersion()} — search ${claim}, --drop ${drop}: counterexample found (shrunk; seed ${r.seed}, path ${r.path})`,
    `  n = ${cx.ds.n}, d = ${cx.ds.d}, α = ${cx.alpha}, β = ${cx.beta ?? cx.alpha}; relative margin ${fmt(r.result!.margin)} < 0; unmet: ${r.result!.assumptions.unmet.join(", ")}`,
    ...files.map((f) => `  wrote ${f}`),
    `  show it: ${command}`,
  ].join("\n") + "\n";
}
