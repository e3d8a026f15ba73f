import { nonFiniteToNull, stringifyStrict } from "../core/json.js";
import type { CheckReport } from "./runner.js";

export interface VerifyMeta {
  version: string;
  seed: number;
  quick: boolean;
}

export function reportJson(meta: VerifyMeta, reports: CheckReport[]): string {
  const checks = reports.map(({ seconds: _s, ...r }) => nonFiniteToNull(r));
  const failed = reports.filter((r) => r.status === "FAIL").map((r) => r.id);
  return stringifyStrict({ ...meta, passed: failed.length === 0, failed, checks }) + "\n";
}

export function fmtMargin(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? x.toFixed(4) : x.toExponential(3);
}

/** One console line per check. */
export function consoleLine(r: CheckReport): string {
  const ctl = r.control.caught ? "control caught" : "CONTROL PASSED (check cannot fail)";
  return `${r.status.padEnd(4)}  ${r.id.padEnd(26)} margin ${fmtMargin(r.run.worstMargin).padStart(10)}  instances ${String(r.run.instances).padStart(5)}  ${ctl}  (${r.seconds.toFixed(1)} s)`;
}

export function reportMarkdown(meta: VerifyMeta, reports: CheckReport[]): string {
  const L: string[] = [];
  L.push(`# mixup-theory verify report`);
  L.push("");
  L.push(`version ${meta.version}, seed ${meta.seed}, ${meta.quick ? "quick run" : "full run"}.`);
  L.push("A check passes when its claim holds on every instance (worst margin ≥ 0) **and** its negative control fails.");
  L.push("");
  L.push("| check | tag | status | worst margin | instances | negative control |");
  L.push("|---|---|---|---|---|---|");
  for (const r of reports) {
    L.push(`| ${r.id} | ${r.tag} | ${r.status} | ${fmtMargin(r.run.worstMargin)} | ${r.run.instances} | ${r.control.caught ? "caught (fails as it must)" : "**passed: the check cannot fail**"} |`);
  }
  for (const r of reports) {
    L.push("");
    L.push(`## ${r.id} (${r.tag}${r.tag === "reconstructed" ? ": implemented as reconstructed in docs/theory.md" : ""})`);
    L.push("");
    L.push(r.statement);
    L.push("");
    L.push(`- result: **${r.status}**; worst margin ${fmtMargin(r.run.worstMargin)} over ${r.run.instances} instances.`);
    L.push(`- negative control: ${r.control.description} → worst margin ${fmtMargin(r.control.worstMargin)} over ${r.control.instances} instances: ${r.control.caught ? "fails, as it must" : "passes (defect)"}.`);
    for (const f of r.run.findings ?? []) L.push(`- finding: ${f}`);
    for (const f of r.control.findings ?? []) L.push(`- control: ${f}`);
    const summary = r.run.details.summary;
    if (typeof summary === "string") L.push(`- ${summary}`);
  }
  return L.join("\n") + "\n";
}
