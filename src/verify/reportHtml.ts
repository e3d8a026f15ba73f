import type { VlSpec } from "../figures/types.js";
import { fmtMargin, type VerifyMeta } from "./report.js";
import type { CheckReport } from "./runner.js";

/** Text for HTML (also valid XML: the report parses as XHTML). */
function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * The margins figure: per check, the run's worst margin and its negative control's, on a symmetric log axis
 * (margins span 1e-10 to 1, controls go far below 0). Plain Vega-Lite data (docs/figures.md).
 */
export function marginsSpec(reports: readonly CheckReport[]): VlSpec {
  const clip = (x: number) => (Number.isFinite(x) ? Math.max(-1e6, Math.min(1e6, x)) : x > 0 ? 1e6 : -1e6);
  const rows = reports.flatMap((r) => [
    { check: r.id, run: "claim (≥ 0 holds)", margin: clip(r.run.worstMargin) },
    { check: r.id, run: "negative control (< 0: caught)", margin: clip(r.control.worstMargin) },
  ]);
  return {
    data: { values: rows },
    width: 420,
    height: { step: 16 },
    layer: [
      { mark: { type: "rule", color: "#999" }, encoding: { x: { datum: 0 } } },
      {
        mark: { type: "point", filled: true, size: 50 },
        encoding: {
          y: { field: "check", type: "nominal", title: null, sort: reports.map((r) => r.id) },
          x: { field: "margin", type: "quantitative", title: "worst margin (symlog)", scale: { type: "symlog", constant: 1e-3 } },
          color: { field: "run", type: "nominal", title: null },
        },
      },
    ],
  };
}

/**
 * `report.html`: self-contained (inline CSS and SVG, no external file or script): the summary table, the
 * margins figure, and per claim its statement and tag, what was tried (instances), the worst margin, the
 * negative control and its result, and the findings with their numbers. `verify --json` has the same content.
 */
export function reportHtml(meta: VerifyMeta, reports: readonly CheckReport[], figureSvg: string | null): string {
  const L: string[] = [];
  L.push('<?xml version="1.0" encoding="utf-8"?>');
  L.push("<!DOCTYPE html>");
  L.push('<html xmlns="http://www.w3.org/1999/xhtml" lang="en"><head><meta charset="utf-8"/><title>mixup-theory verify report</title>');
  L.push(
    "<style>body{font-family:'DejaVu Sans',sans-serif;max-width:60em;margin:2em auto;padding:0 1em;line-height:1.4}" +
      "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}" +
      ".PASS{color:#176a2c}.FAIL{color:#b00020;font-weight:bold}.tag{font-size:.85em;color:#555}</style></head><body>",
  );
  const failed = reports.filter((r) => r.status === "FAIL").length;
  L.push(`<h1>mixup-theory verify report</h1>`);
  L.push(`<p>version ${esc(meta.version)}, seed ${meta.seed}, ${meta.quick ? "quick run" : "full run"}: ${reports.length - failed}/${reports.length} checks passed. A check passes when its claim holds on every instance (worst margin ≥ 0) <em>and</em> its negative control fails.</p>`);
  L.push("<table><thead><tr><th>check</th><th>tag</th><th>status</th><th>worst margin</th><th>instances</th><th>negative control</th></tr></thead><tbody>");
  for (const r of reports) {
    L.push(
      `<tr><td><a href="#${esc(r.id)}">${esc(r.id)}</a></td><td>${r.tag}</td><td class="${r.status}">${r.status}</td><td>${esc(fmtMargin(r.run.worstMargin))}</td><td>${r.run.instances}</td><td>${r.control.caught ? "caught (fails as it must)" : "<strong>passed: the check cannot fail</strong>"}</td></tr>`,
    );
  }
  L.push("</tbody></table>");
  if (figureSvg !== null) L.push(`<h2>Margins</h2><figure>${figureSvg.replace(/^<\?xml[^>]*>\s*/, "")}<figcaption>Worst margin of each claim and of its negative control (symmetric log axis).</figcaption></figure>`);
  for (const r of reports) {
    L.push(`<section id="${esc(r.id)}"><h2>${esc(r.id)} <span class="tag">${r.tag}${r.tag === "reconstructed" ? ": implemented as reconstructed in docs/theory.md" : ""}</span></h2>`);
    L.push(`<p>${esc(r.statement)}</p><ul>`);
    L.push(`<li>result: <span class="${r.status}">${r.status}</span>; worst margin ${esc(fmtMargin(r.run.worstMargin))} over ${r.run.instances} instances.</li>`);
    L.push(`<li>negative control: ${esc(r.control.description)} → worst margin ${esc(fmtMargin(r.control.worstMargin))} over ${r.control.instances} instances: ${r.control.caught ? "fails, as it must" : "<strong>passes (defect)</strong>"}.</li>`);
    for (const f of r.run.findings ?? []) L.push(`<li>finding: ${esc(f)}</li>`);
    for (const f of r.control.findings ?? []) L.push(`<li>control: ${esc(f)}</li>`);
    L.push("</ul></section>");
  }
  L.push("</body></html>");
  return L.join("\n") + "\n";
}
