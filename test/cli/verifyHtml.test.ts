import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { reportHtml } from "../../src/verify/reportHtml.js";
import type { CheckReport } from "../../src/verify/runner.js";
import { cli, tmp } from "../helpers/cli.js";

/** Well-formed XML markup after the prolog: every tag closes in order, no stray < or > in text. */
function wellFormed(doc: string): string[] {
  const body = doc.replace(/^<\?xml[^>]*>\s*<!DOCTYPE html>\s*/, "");
  const stack: string[] = [];
  const names: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(body); m !== null; m = tag.exec(body)) {
    const between = body.slice(last, m.index);
    if (between.includes("<") || between.includes(">")) throw new Error(`malformed markup near ${between.slice(0, 60)}`);
    last = tag.lastIndex;
    const [, close, name, , self] = m;
    if (close) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
    } else {
      names.push(name);
      if (!self) stack.push(name);
    }
  }
  if (stack.length) throw new Error(`unclosed ${stack.join(", ")}`);
  return names;
}

describe("verify's report.html", () => {
  it("is self-contained, well-formed, holds every check run (statement, margins, control, findings) and the margins figure", () => {
    const dir = tmp();
    const r = cli(["verify", "--quick", "--only", "regularizer-forms,theorem-3.1,lemma-3.1-identity", "--out", dir, "--quiet"]);
    expect(r.code).toBe(0);
    const html = readFileSync(join(dir, "report.html"), "utf8");
    const names = wellFormed(html);
    expect(names.filter((n) => n === "svg")).toHaveLength(1);
    expect(names.filter((n) => n === "section")).toHaveLength(3);
    for (const id of ["regularizer-forms", "theorem-3.1", "lemma-3.1-identity"]) expect(html).toContain(`<section id="${id}">`);
    expect(html).toContain("finding: α = β = 1.5");
    // nothing loaded from elsewhere: no src attribute, no link, no script, only in-page anchors
    expect(html).not.toMatch(/\ssrc="|<link|<script/);
    for (const m of html.matchAll(/href="([^"]*)"/g)) expect(m[1].startsWith("#")).toBe(true);
    // the same content as report.json: every id and worst margin
    const json = JSON.parse(readFileSync(join(dir, "report.json"), "utf8"));
    const sections = [...html.matchAll(/<section id="([^"]+)">/g)].map((m) => m[1]);
    expect(sections).toEqual(json.checks.map((c: { id: string }) => c.id));
    expect(sections).toHaveLength(3);
  });

  it("escapes text: a statement with <, > and & stays text", () => {
    const rep: CheckReport = {
      id: "x",
      tag: "exact",
      statement: "a < b && c > d",
      status: "PASS",
      run: { instances: 1, worstMargin: 0.5, passed: true, details: {}, findings: ["<b>"] },
      control: { description: "y < z", caught: true, instances: 1, worstMargin: -1, passed: false, details: {} },
      seconds: 0,
    };
    const html = reportHtml({ version: "0", seed: 0, quick: true }, [rep], null);
    wellFormed(html);
    expect(html).toContain("a &lt; b &amp;&amp; c &gt; d");
    expect(html).toContain("finding: &lt;b&gt;");
  });
});
