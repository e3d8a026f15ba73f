import { describe, expect, it } from "vitest";
import { densityChart, DENSITY_CAP } from "../../src/figures/densityChart.js";
import { facetedLines } from "../../src/figures/facetedLines.js";
import { LABEL_Y_FIELD, lineChart, MARK_FIELD } from "../../src/figures/lineChart.js";
import type { Row } from "../../src/figures/types.js";

const rows: Row[] = [
  { step: 1, loss: 0.5, lo: 0.4, hi: 0.6, run: "ERM" },
  { step: 2, loss: 0.3, lo: 0.2, hi: 0.4, run: "ERM" },
  { step: 1, loss: 0.6, lo: 0.5, hi: 0.7, run: "Mixup α = 1" },
  { step: 2, loss: 0.4, lo: 0.3, hi: 0.5, run: "Mixup α = 1" },
];

/** Plain data: a JSON round trip gives the same object (no functions, typed arrays or undefined fields). */
function expectPlain(spec: unknown) {
  expect(JSON.parse(JSON.stringify(spec))).toStrictEqual(spec);
}

describe("lineChart", () => {
  it("lines by series with a legend, axis titles, in the rows' series order", () => {
    const spec = lineChart({ rows, x: { field: "step", title: "step" }, y: { field: "loss", title: "L_mix" }, series: { field: "run", title: "objective" } }) as any;
    expectPlain(spec);
    expect(spec.layer).toHaveLength(1);
    const [line] = spec.layer;
    expect(line.mark).toEqual({ type: "line", clip: false });
    expect(line.encoding.x).toEqual({ field: "step", type: "quantitative", title: "step" });
    expect(line.encoding.y).toEqual({ field: "loss", type: "quantitative", title: "L_mix" });
    expect(line.encoding.color).toEqual({ field: "run", type: "nominal", title: "objective", scale: { domain: ["ERM", "Mixup α = 1"] } });
    expect(line.transform).toEqual([{ filter: { field: MARK_FIELD, equal: "line" } }]);
    expect(spec.data.values).toHaveLength(4);
    expect(spec.data.values[0]).toEqual({ ...rows[0], [MARK_FIELD]: "line" });
  });

  it("error band (area between two columns), log scales, points, rules with labels", () => {
    const spec = lineChart({
      rows,
      x: { field: "step", title: "ε", log: true },
      y: { field: "loss", title: "accuracy", log: true },
      series: { field: "run", title: "objective" },
      band: { lower: "lo", upper: "hi" },
      rules: [{ x: 1.5, label: "ε_mix (ℓ2)" }],
      points: true,
      title: "t",
    }) as any;
    expectPlain(spec);
    expect(spec.title).toBe("t");
    expect(spec.layer.map((l: any) => l.mark.type)).toEqual(["area", "line", "rule", "text"]);
    const [band, line, rule, text] = spec.layer;
    expect(band.encoding.y).toEqual({ field: "lo", type: "quantitative", title: "accuracy", scale: { type: "log" } });
    expect(band.encoding.y2).toEqual({ field: "hi" });
    expect(band.encoding.color.field).toBe("run");
    expect(line.mark.point).toBe(true);
    expect(line.encoding.x.scale).toEqual({ type: "log" });
    expect(rule.transform).toEqual([{ filter: { field: MARK_FIELD, equal: "rule" } }]);
    expect(text.encoding.text).toEqual({ field: "label", type: "nominal" });
    expect(text.encoding.y).toEqual({ field: LABEL_Y_FIELD, type: "quantitative", scale: null });
    expect(spec.data.values.at(-1)).toEqual({ [MARK_FIELD]: "rule", step: 1.5, label: "ε_mix (ℓ2)", [LABEL_Y_FIELD]: 0 });
  });

  it("no series: no colour encoding and no legend", () => {
    const spec = lineChart({ rows: rows.slice(0, 2), x: { field: "step", title: "step" }, y: { field: "loss", title: "L" } }) as any;
    expect(spec.layer[0].encoding.color).toBeUndefined();
  });
});

describe("facetedLines", () => {
  it("one panel per value in order of appearance, the line layers inside, rules carried to their panel", () => {
    const spec = facetedLines({
      rows: rows.map((r) => ({ ...r, data: r.run === "ERM" ? "two-moons" : "MNIST 3 vs 5" })),
      x: { field: "step", title: "step" },
      y: { field: "loss", title: "L_std" },
      series: { field: "run", title: "objective" },
      panel: { field: "data", title: "data set" },
      rules: [
        { x: 1.5, label: "ε_mix", panel: "MNIST 3 vs 5" },
        { x: 1.5, label: "ε_mix, α = 2", panel: "MNIST 3 vs 5" },
        { x: 0.5, label: "ε_mix", panel: "two-moons" },
      ],
      columns: 3,
      independentY: true,
      independentX: true,
    }) as any;
    expectPlain(spec);
    expect(spec.facet).toEqual({ field: "data", type: "nominal", title: "data set", sort: ["two-moons", "MNIST 3 vs 5"] });
    expect(spec.columns).toBe(3);
    expect(spec.resolve).toEqual({ scale: { x: "independent", y: "independent" } });
    expect(spec.spec.layer.map((l: any) => l.mark.type)).toEqual(["line", "rule", "text"]);
    // labels of one panel stack one line apart (13 px); each panel starts at the top
    expect(spec.data.values.slice(-3)).toEqual([
      { [MARK_FIELD]: "rule", step: 1.5, label: "ε_mix", data: "MNIST 3 vs 5", [LABEL_Y_FIELD]: 0 },
      { [MARK_FIELD]: "rule", step: 1.5, label: "ε_mix, α = 2", data: "MNIST 3 vs 5", [LABEL_Y_FIELD]: 13 },
      { [MARK_FIELD]: "rule", step: 0.5, label: "ε_mix", data: "two-moons", [LABEL_Y_FIELD]: 0 },
    ]);
  });
});

describe("densityChart", () => {
  it("λ on [0, 1], y cut at yMax with clipping, plotted values capped at DENSITY_CAP·yMax (rows untouched)", () => {
    const dens: Row[] = [
      { lambda: 1e-20, density: 1e16, law: "Beta" },
      { lambda: 0.5, density: 0.8, law: "Beta" },
    ];
    const spec = densityChart({ rows: dens, series: { field: "law", title: "law of λ" }, yMax: 3 }) as any;
    expectPlain(spec);
    const line = spec.layer[0];
    expect(line.mark.clip).toBe(true);
    expect(line.encoding.x).toEqual({ field: "lambda", type: "quantitative", title: "λ", scale: { domain: [0, 1] } });
    expect(line.encoding.y).toEqual({ field: "density", type: "quantitative", title: "density", scale: { domain: [0, 3] } });
    expect(spec.data.values.map((r: any) => r.density)).toEqual([DENSITY_CAP * 3, 0.8]);
    expect(dens[0].density).toBe(1e16);
  });
});
