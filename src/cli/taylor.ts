import type { Command } from "commander";
import { InputError } from "../core/errors.js";
import { alphaStudy, fitSlope, scaleStudy, type StudyRow } from "../taylor/index.js";
import { asOption, namingOverflow, parseNonNegativeInt, parseNumberList, parsePositive, parsePositiveInt, parseShape, parseTol, progress, writeFileAtomic, BAR_STEPS, barFeed } from "./io/index.js";
import { finiteOrReason, fmt, packageVersion, stringifyStrict, type NullableFields } from "./json.js";
import { addDataOptions, datasetJson, loadProblemFrom, type DataOptions } from "./load.js";
import { taylorFields } from "./taylorJson.js";

interface TaylorOptions extends DataOptions {
  model: string;
  alpha?: number;
  beta?: number;
  scale?: number[];
  alphaGrid?: number[];
  tol: number;
  workers?: number;
  json?: boolean;
  csv?: string;
  quiet?: boolean;
}

/** The study's default accuracy: the remainder is a small difference of O(1) numbers. */
export const TAYLOR_TOL = 1e-13;

const positiveList = (name: string) => asOption(name, (n, v) => parseNumberList(n, v, "positive"));

/** `mixup-theory taylor`: Lemma 3.1's remainder against a data scale s or against α = β. */
export function registerTaylor(program: Command, out: (s: string) => void): void {
  const cmd = program
    .command("taylor")
    .description("Lemma 3.1: L_mix = L_std + R1 + R2 + R3 + remainder, the remainder against a data scale s or α = β");
  addDataOptions(cmd)
    .option("--seed <s>", "seed of the --dataset generator", asOption("--seed", parseNonNegativeInt), 0)
    .requiredOption("--model <file>", "model JSON (kind linear or relu2)")
    .option("--alpha <a>", "Beta(α, β) parameter α > 0 (required unless --alpha-grid is given)", asOption("--alpha", parseShape))
    .option("--beta <b>", "β > 0 (default: α; not with --alpha-grid)", asOption("--beta", parseShape))
    .option("--scale <list>", "scale study: data x → s·x for each s > 0, e.g. 1,0.5,0.25,0.125", positiveList("--scale"))
    .option("--alpha-grid <list>", "α study: α = β = each value in [1e-100, 1e15] (instead of --alpha/--beta)", asOption("--alpha-grid", (n, v) => parseNumberList(n, v, "shape")))
    .option(
      "--tol <t>",
      "relative accuracy of the exact loss; finer than loss's 1e-10 because the remainder is a small difference of O(1) numbers",
      asOption("--tol", parseTol),
      TAYLOR_TOL,
    )
    .option("--workers <w>", "worker threads (default: all cores)", asOption("--workers", parsePositiveInt))
    .option("--json", "print one JSON object")
    .option("--csv <file>", "also write the rows as CSV (header, one line per row), atomically")
    .option("--quiet", "no progress line on stderr")
    .addHelpText(
      "after",
      "\nWithout --scale and --alpha-grid: one row at s = 1. The slope is that of log|remainder| against log s\n" +
        "(or log α), over the rows whose |remainder| exceeds its error bound.",
    )
    .action(async (o: TaylorOptions) => {
      out(await taylorCommand(o));
    });
}

function checkOptions(o: TaylorOptions): void {
  if (o.scale && o.alphaGrid) {
    throw new InputError("--scale", "--scale, --alpha-grid: give at most one (a study varies one variable)");
  }
  if (o.alphaGrid) {
    if (o.alpha !== undefined) throw new InputError("--alpha", "--alpha: not used with --alpha-grid, which sets α = β to each value");
    if (o.beta !== undefined) throw new InputError("--beta", "--beta: not used with --alpha-grid, which sets α = β to each value");
  } else if (o.alpha === undefined) {
    throw new InputError("--alpha", "--alpha: required (unless --alpha-grid is given)");
  }
}

export async function taylorCommand(o: TaylorOptions): Promise<string> {
  checkOptions(o);
  const { ds, model, family, source, dataset } = loadProblemFrom(o, o.model);
  const variable: "scale" | "alpha" = o.alphaGrid ? "alpha" : "scale";
  const rows: StudyRow[] = [];
  const values = o.alphaGrid ?? o.scale ?? [1];
  // one bar per row, in percent of that row's exact L_mix (fed by the pairs as they finish), under a label
  // naming the row: "taylor 2/4 (s = 0.5) [######------] 45%  3.1 s"
  const bar = progress("taylor", { quiet: o.quiet, percent: true });
  const study = { tol: o.tol, workers: o.workers, onProgress: barFeed(bar) };
  const rowLabel = (k: number, v: number) => `taylor ${k + 1}/${values.length} (${variable === "scale" ? "s" : "α"} = ${v})`;
  try {
    if (o.alphaGrid) {
      for (const [k, a] of o.alphaGrid.entries()) {
        bar.stage(rowLabel(k, a), BAR_STEPS);
        rows.push(...(await namingOverflow(source, source, () => alphaStudy(ds, model, family, [a], study))).rows);
        await bar.pause();
      }
    } else {
      const alpha = o.alpha!;
      const beta = o.beta ?? alpha;
      let maxAbs = 0;
      for (const v of ds.X) maxAbs = Math.max(maxAbs, Math.abs(v));
      for (const [k, s] of values.entries()) {
        if (!Number.isFinite(s * maxAbs)) {
          throw new InputError("--scale", `--scale: ${s} times the largest |feature| ${maxAbs} of ${source} overflows float64`);
        }
        bar.stage(rowLabel(k, s), BAR_STEPS);
        const where = `${source} scaled by s = ${s} (--scale)`;
        rows.push(...(await namingOverflow(source, where, () => scaleStudy(ds, model, family, alpha, beta, [s], study))).rows);
        await bar.pause();
      }
    }
  } finally {
    bar.end();
  }
  const slope = slopeOf(rows, variable);
  const key = variable === "scale" ? "s" : "alpha";
  const jsonRows = rows.map((r) => rowFields(r, key));
  const report: Record<string, unknown> = {
    version: packageVersion(),
    n: ds.n,
    d: ds.d,
    loss: family.name,
    model: model.kind === "linear" ? "linear" : `relu2 (${model.activation}, m = ${model.m})`,
    ...(o.alphaGrid
      ? {
          alpha: null,
          alphaReason: "varies by row: α = β = rows[k].alpha (--alpha-grid)",
          beta: null,
          betaReason: "varies by row: α = β = rows[k].alpha (--alpha-grid)",
        }
      : { alpha: o.alpha, beta: o.beta ?? o.alpha }),
    tol: o.tol,
    variable,
    rows: jsonRows,
    ...slope,
    ...datasetJson(dataset, o.seed),
  };
  const json = stringifyStrict(report) + "\n";
  if (o.csv !== undefined) writeFileAtomic(o.csv, studyCsv(jsonRows, key));
  if (o.json) return json;
  return studyTable(report, jsonRows, key, family.note);
}

/** Lemma 3.1's row fields in the documented order, the study variable first. */
function rowFields(r: StudyRow, key: "s" | "alpha"): NullableFields {
  const t = taylorFields(r);
  const ordered: NullableFields = { [key]: r.at };
  Object.assign(ordered, finiteOrReason({ mixupLoss: r.mixupLoss }, (f, x) => `${f} is ${String(x)}`));
  for (const k of ["approx", "remainder", "remainderError", "remainderOverR2", "R1", "R2", "R3", "m1", "m2"]) {
    ordered[k] = t[k];
    if (`${k}Reason` in t) ordered[`${k}Reason`] = t[`${k}Reason`];
  }
  return Object.assign(ordered, finiteOrReason({ standardLoss: r.standardLoss }, (f, x) => `${f} is ${String(x)}`));
}

function slopeOf(rows: readonly StudyRow[], variable: "scale" | "alpha"): { slope: number | null; slopeReason?: string } {
  const v = variable === "scale" ? "s" : "α";
  if (rows.length < 2) {
    return { slope: null, slopeReason: `one point: give --scale or --alpha-grid with two or more values for a slope` };
  }
  const f = fitSlope(rows);
  if (f.slope === null) return f;
  if (!Number.isFinite(f.slope)) {
    return { slope: null, slopeReason: `the rows used in the fit share one value of ${v}: give distinct values` };
  }
  return f;
}

const CSV_COLUMNS = ["approx", "remainder", "remainderError", "remainderOverR2", "R1", "R2", "R3", "m1", "m2", "standardLoss"];

/** The rows as CSV: header, one line per row; a null field is empty. Numbers round-trip exactly. */
export function studyCsv(rows: readonly NullableFields[], key: "s" | "alpha"): string {
  const cols = [key, "mixupLoss", ...CSV_COLUMNS];
  const lines = [cols.join(",")];
  for (const r of rows) lines.push(cols.map((c) => (typeof r[c] === "number" ? String(r[c]) : "")).join(","));
  return lines.join("\n") + "\n";
}

function studyTable(r: Record<string, unknown>, rows: readonly NullableFields[], key: "s" | "alpha", lossNote: string): string {
  const lines: string[] = [];
  const head = key === "s" ? "s" : "α = β";
  lines.push(`mixup-theory ${r.version} — taylor (${r.loss}; ${lossNote})`);
  const mixing = key === "s" ? `Beta(${r.alpha}, ${r.beta}); data x → s·x` : "Beta(α, α) for each α";
  lines.push(`data n = ${r.n}, d = ${r.d}; model ${r.model}; ${mixing}; all n² pairs; tol ${r.tol}`);
  lines.push("");
  const w = [10, 17, 17, 13, 9, 13, 13, 13, 13];
  const pad = (cells: string[]) => "  " + cells.map((c, k) => c.padStart(w[k])).join(" ");
  lines.push(pad([head, "L_mix", "approx", "remainder", "± error", "remainder/R2", "R1", "R2", "R3"]));
  const num = (row: NullableFields, k: string, digits: number) => fmt(row[k] as number | null, digits);
  for (const row of rows) {
    lines.push(
      pad([
        num(row, key, 6),
        num(row, "mixupLoss", 12),
        num(row, "approx", 12),
        num(row, "remainder", 6),
        num(row, "remainderError", 2),
        num(row, "remainderOverR2", 6),
        num(row, "R1", 6),
        num(row, "R2", 6),
        num(row, "R3", 6),
      ]),
    );
    for (const [k, v] of Object.entries(row)) if (k.endsWith("Reason")) lines.push(`    ${k.slice(0, -6)}: ${v as string}`);
  }
  lines.push("");
  const v = key === "s" ? "log s" : "log α";
  if (typeof r.slope === "number") lines.push(`  slope of log|remainder| against ${v}: ${fmt(r.slope, 4)}`);
  else lines.push(`  slope of log|remainder| against ${v}: — (${r.slopeReason as string})`);
  return lines.join("\n") + "\n";
}
