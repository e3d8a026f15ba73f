import { describe, expect, it } from "vitest";
import { facetedLines } from "../../src/figures/facetedLines.js";
import { lineChart } from "../../src/figures/lineChart.js";
import { FONT_FAMILY, PNG_SCALE, renderFigure, renderSvg } from "../../src/figures/render.js";
import type { Row } from "../../src/figures/types.js";
import { axisTitles, checkWellFormed, countRole, pngSize, roleTexts, svgSize } from "./svg.js";

// Five renders in all (about 0.1 s each): a line chart twice (determinism), its PNG twice, a faceted chart once.
const rows: Row[] = [];
for (const run of ["ERM", "Mixup α = 0.2", "Mixup α = 1"]) {
  for (let k = 1; k <= 5; k++) {
    const v = 1 / (k + (run === "ERM" ? 0 : 1));
    rows.push({ eps: k / 10, acc: v, lo: 0.9 * v, hi: 1.1 * v, run, data: k % 2 === 0 ? "two-moons" : "Gaussian mixture" });
  }
}
const chart = lineChart({
  rows,
  x: { field: "eps", title: "ε" },
  y: { field: "acc", title: "robust accuracy", log: true },
  series: { field: "run", title: "objective" },
  band: { lower: "lo", upper: "hi" },
  rules: [
    { x: 0.25, label: "ε_mix (ℓ∞)" },
    { x: 0.35, label: "ε_mix (ℓ2)" },
  ],
});

describe("render: spec → SVG → PNG", () => {
  it("the line chart: well-formed SVG, one line and one band per series, the rules and their labels, axis and legend titles, the font", async () => {
    const { svg, png } = await renderFigure(chart);
    expect(checkWellFormed(svg)).toBeGreaterThan(50);
    expect(countRole(svg, "line mark")).toBe(3);
    expect(countRole(svg, "area mark")).toBe(3);
    expect(countRole(svg, "rule mark")).toBe(2);
    expect(roleTexts(svg, "role-mark").sort()).toEqual(["ε_mix (ℓ2)", "ε_mix (ℓ∞)"]);
    expect(axisTitles(svg)).toEqual(["ε", "robust accuracy"]);
    expect(roleTexts(svg, "role-legend-title")).toEqual(["objective"]);
    expect(roleTexts(svg, "role-legend-label")).toEqual(["ERM", "Mixup α = 0.2", "Mixup α = 1"]);
    const fonts = new Set([...svg.matchAll(/font-family="([^"]*)"/g)].map((m) => m[1]));
    expect([...fonts]).toEqual([FONT_FAMILY]);
    // the PNG: PNG_SCALE pixels per SVG pixel
    const s = svgSize(svg);
    expect(pngSize(png)).toEqual({ width: Math.round(PNG_SCALE * s.width), height: Math.round(PNG_SCALE * s.height) });
    // nothing time- or random-dependent: the same spec gives the same SVG and PNG bytes
    const again = await renderFigure(chart);
    expect(again.svg).toBe(svg);
    expect(Buffer.from(again.png).equals(Buffer.from(png))).toBe(true);
  });

  it("the faceted chart: a panel per value with its header, lines per series in each panel", async () => {
    const svg = await renderSvg(
      facetedLines({ rows, x: { field: "eps", title: "ε" }, y: { field: "acc", title: "robust accuracy" }, series: { field: "run", title: "objective" }, panel: { field: "data", title: "data set" } }),
    );
    checkWellFormed(svg);
    expect(countRole(svg, "line mark")).toBe(6);
    // panel headers in the order the values first appear in the rows
    expect(roleTexts(svg, "role-title-text")).toEqual(["data set", "Gaussian mixture", "two-moons"]);
  });
});
