import { join } from "node:path";
import type { Command } from "commander";
import { InputError } from "../core/errors.js";
import { checks } from "../../proofs-checks/index.js";
import { runCheck, type CheckReport } from "../verify/runner.js";
import { consoleLine, reportJson, reportMarkdown } from "../verify/report.js";
import { asOption, parseNonNegativeInt, progress, writeFileAtomic } from "./io/index.js";
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
    .description("run every proofs-check (each with its negative control) and write report.md / report.json")
    .option("--quick", "the CI-sized run")
    .option("--only <ids>", "comma-separated check ids")
    .option("--seed <s>", "seed of every random choice", asOption("--seed", parseNonNegativeInt), 0)
    .option("--json", "print report.json to stdout instead of one line per check")
    .option("--out <dir>", "directory for report.md and report.json", "out")
    .option("--quiet", "no progress line on stderr")
    .action(async (o: VerifyOptions) => {
      setCode(await verifyCommand(o, out));
    });
}

export async function verifyCommand(o: VerifyOptions, out: (s: string) => void): Promise<number> {
  let selected = checks;
  if (o.only) {
    const ids = o.only.split(",").map((s) => s.trim()).filter(Boolean);
    const unknown = ids.filter((id) => !checks.some((c) => c.id === id));
    if (unknown.length) {
      throw new InputError("--only", `--only: unknown check ${unknown.join(", ")} (known: ${checks.map((c) => c.id).join(", ")})`);
    }
    selected = checks.filter((c) => ids.includes(c.id));
  }
  const meta = { version: packageVersion(), seed: o.seed, quick: !!o.quick };
  const reports: CheckReport[] = [];
  const bar = progress("verify", { quiet: o.quiet, total: selected.length });
  try {
    for (const c of selected) {
      const r = await runCheck(c, o.seed, { quick: !!o.quick });
      reports.push(r);
      bar.clear(); // the console line must not share the terminal line with the bar
      if (!o.json) out(consoleLine(r) + "\n");
      bar.tick(reports.length);
    }
  } finally {
    bar.end();
  }
  const json = reportJson(meta, reports);
  writeFileAtomic(join(o.out, "report.json"), json);
  writeFileAtomic(join(o.out, "report.md"), reportMarkdown(meta, reports));
  const failed = reports.filter((r) => r.status === "FAIL").length;
  if (o.json) out(json);
  else out(`${reports.length - failed}/${reports.length} checks passed; report in ${join(o.out, "report.md")}\n`);
  return failed ? 1 : 0;
}
