import { facetedLines } from "./facetedLines.js";
import { lineChart, type FieldSpec, type RuleSpec } from "./lineChart.js";
import type { Row, VlSpec } from "./types.js";

export interface DensityChartOptions {
  readonly rows: readonly Row[];
  /** the variable's column and title (default "lambda", "λ") */
  readonly x?: { readonly field: string; readonly title: string };
  /** the density's column and title (default "density", "density") */
  readonly y?: { readonly field: string; readonly title: string };
  /** one line per law (e.g. Beta(α, β) and D̃) */
  readonly series: FieldSpec;
  /** one panel per value of this column (e.g. the (α, β) pair) */
  readonly panel?: FieldSpec;
  /**
   * the y axis is cut at this value: densities with a singular end (α < 1 or β < 1) would otherwise flatten
   * the rest of the picture. The line is clipped at the frame, the data keep the true values.
   */
  readonly yMax: number;
  /** the x range (default [0, 1]) */
  readonly xDomain?: readonly [number, number];
  readonly rules?: readonly RuleSpec[];
  readonly columns?: number;
  readonly title?: string;
}

/**
 * Plotted densities are capped at this multiple of yMax: the picture is the same (the line leaves the frame
 * within one grid step of where the true line does), while values like 1e24 at a singular end would give
 * path coordinates that the PNG rasteriser drops, losing the whole line.
 */
export const DENSITY_CAP = 100;

/**
 * Densities of one or more laws on an interval, y axis cut at `yMax`, optionally one panel per case. The
 * spec's data are the rows with the density capped at DENSITY_CAP·yMax (the caller's table keeps the true values).
 */
export function densityChart(o: DensityChartOptions): VlSpec {
  const yField = o.y?.field ?? "density";
  const cap = DENSITY_CAP * o.yMax;
  const rows = o.rows.map((r) => {
    const v = r[yField];
    return typeof v === "number" && v > cap ? { ...r, [yField]: cap } : r;
  });
  const base = {
    rows,
    x: { field: o.x?.field ?? "lambda", title: o.x?.title ?? "λ", domain: o.xDomain ?? ([0, 1] as const) },
    y: { field: yField, title: o.y?.title ?? "density", domain: [0, o.yMax] as const },
    series: o.series,
    rules: o.rules,
    title: o.title,
  };
  return o.panel ? facetedLines({ ...base, panel: o.panel, columns: o.columns }) : lineChart(base);
}
