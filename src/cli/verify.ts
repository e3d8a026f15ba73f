import { renderSvg } from "../figures/render.js";
import { marginsSpec, reportHtml } from "../verify/reportHtml.js";
import { join } from "node:path";
import type { Command } from "commander";
import { InputError } from "../core/errors.js";
import { checks } from "../../proofs-checks/index.js";
import { runCheck, type CheckReport } from "../verify/runner.js";
import type { Check } from "../verify/types.js";
import { consoleLine, reportJson, reportMarkdown } from "../verify/report.js";
import { asOption, checkWritableDir, parseNonNegativeInt, progress, writeFilesAtomic } from "./io/index.js";
import { packageVersion } from "./json.js";

interface VerifyOptions {
  quick?: boolean;
  only?: string;
  seed: number;
  json?: boolean;
  out: string;
  quiet?: boolean;
}

/** `mixup-theory verify`: every proofs-check with its negative control; report.md and report.json. */
export function registerVerify(program: Command, out: (s: string) => void, setCode: (c: number) => void): void {
  program
    .command("verify")
    .description("run every proofs-check (each with its negative control) and write report.md, report.json and a self-contained report.html")
    .option("--quick", "the CI-sized run")
    .option("--only <ids>", "comma-separated check ids")
    .option("--seed <s>", "seed of every random choice", asOption("--seed", parseNonNegativeInt), 0)
    .option("--json", "print report.json to stdout instead of one line per check")
    .option("--out <dir>", "directory for report.md, report.json and report.html", "out")
    .option("--quiet", "no progress line on stderr")
    .action(async (o: VerifyOptions) => {
      setCode(await verifyCommand(o, out));
    });
}

/** The checks named by `--only` (comma-separated ids, in report order); an empty or unknown id is bad input. */
export function selectChecks(only: string | undefined): readonly Check[] {
  if (only === undefined) return checks;
  const items = only.split(",").map((s) => s.trim());
  const known = `known: ${checks.map((c) => c.id).join(", ")}`;
  // "--only ," or "--only a,,b" selects nothing where the user meant something: refuse rather than run nothing
  if (items.some((s) => s === "")) {
    throw new InputError("--only", `--only: ${JSON.stringify(only)} has an empty check id (${known})`);
  }
  const unknown = items.filter((id) => !checks.some((c) => c.id === id));
  if (unknown.length) throw new InputError("--only", `--only: unknown check ${unknown.join(", ")} (${known})`);
  return checks.filter((c) => items.includes(c.id));
}

const REPORT_FILES = ["report.json", "report.md", "report.html"] as const;

export async function verifyCommand(o: VerifyOptions, out: (s: string) => void): Promise<number> {
  const selected = selectChecks(o.only);
  // an output folder that cannot be written is found before minutes of computing, not after
  checkWritableDir(o.out, REPORT_FILES, "--out");
  const meta = { version: packageVersion(), seed: o.seed, quick: !!o.quick };
  const reports: CheckReport[] = [];
  const bar = progress("verify", { quiet: o.quiet });
  try {
    for (const c of selected) {
      // the line names the check and what it is doing ("verify 14/14 fast-exact-agrees: run: node sums
      // n = 20000 [###---] 1/7"), fed by the check's own steps (CheckProgress)
      const head = `verify ${reports.length + 1}/${selected.length} ${c.id}`;
      let label = "";
      let steps: number | undefined;
      const tick = (what: string, done?: number, total?: number) => {
        if (`${head}: ${what}` !== label || total !== steps) {
          label = `${head}: ${what}`;
          steps = total;
          bar.stage(label, total);
        }
        bar.tick(done ?? 0);
        return bar.pause();
      };
      const r = await runCheck(c, o.seed, { quick: !!o.quick, progress: { tick } });
      reports.push(r);
      bar.clear(); // the console line must not share the terminal line with the bar
      if (!o.json) out(consoleLine(r) + "\n");
    }
  } finally {
    bar.end();
  }
  const json = reportJson(meta, reports);
  // the margins figure, inline in report.html (vega is loaded here, after the checks)
  const figure = reports.length > 0 ? await renderSvg(marginsSpec(reports)) : null;
  // all three files or none: a failure leaves the previous set (or nothing) in place
  writeFilesAtomic([
    [join(o.out, "report.json"), json],
    [join(o.out, "report.md"), reportMarkdown(meta, reports)],
    [join(o.out, "report.html"), reportHtml(meta, reports, figure)],
  ]);
  const failed = reports.filter((r) => r.status === "FAIL").length;
  if (o.json) out(json);
  else out(`${reports.length - failed}/${reports.length} checks passed; report in ${join(o.out, "report.md")}\n`);
  return failed ? 1 : 0;
}
