import type { Row, VlSpec } from "./types.js";

/** One positional axis: the column, its title (the paper's notation), log or linear, an optional domain. */
export interface AxisSpec {
  readonly field: string;
  readonly title: string;
  /** log scale (every plotted value must be > 0) */
  readonly log?: boolean;
  /** [min, max]; with `clip` on the chart, values outside are cut at the frame (e.g. a density's singular end) */
  readonly domain?: readonly [number, number];
}

/** A column that names the series (colour, legend) or the panel. */
export interface FieldSpec {
  readonly field: string;
  readonly title: string;
}

/** A vertical rule at x with a label at the top of the frame (e.g. ε_mix); in a faceted chart, `panel` names its panel. */
export interface RuleSpec {
  readonly x: number;
  readonly label: string;
  readonly panel?: string | number;
}

export interface LineChartOptions {
  readonly rows: readonly Row[];
  readonly x: AxisSpec;
  readonly y: AxisSpec;
  /** one line per value of this column, coloured, with a legend */
  readonly series?: FieldSpec;
  /** an error band between these two columns (e.g. mean ± 1 sd), in the series' colour */
  readonly band?: { readonly lower: string; readonly upper: string };
  readonly rules?: readonly RuleSpec[];
  /** a point mark at every row (for sparse sweeps) */
  readonly points?: boolean;
  readonly title?: string;
  /** size of the plotting frame in px (default 360 × 240) */
  readonly width?: number;
  readonly height?: number;
}

/** The marker column that tells the line rows from the rule rows in the one inline data table. */
export const MARK_FIELD = "__mark";

/** The rule rows' column with their label's offset from the top in px: labels in one panel stack, not overlap. */
export const LABEL_Y_FIELD = "__labelY";

/** Pixels between stacked rule labels. */
const LABEL_LINE = 13;

function axis(a: AxisSpec): VlSpec {
  const scale: VlSpec = {};
  if (a.log) scale.type = "log";
  if (a.domain) scale.domain = [a.domain[0], a.domain[1]];
  const enc: VlSpec = { field: a.field, type: "quantitative", title: a.title };
  if (Object.keys(scale).length > 0) enc.scale = scale;
  return enc;
}

/**
 * The inline data: the rows marked "line", then one row per rule marked "rule" (its x in the x column, its
 * label in `label` at LABEL_Y_FIELD px from the top, the k-th rule of a panel k lines down, its panel in
 * the panel column). One table, so that a faceted chart facets the rules too.
 */
export function chartData(o: LineChartOptions, panelField?: string): Row[] {
  const data: Row[] = o.rows.map((r) => ({ ...r, [MARK_FIELD]: "line" }));
  const perPanel = new Map<string | number | undefined, number>();
  for (const r of o.rules ?? []) {
    const k = perPanel.get(r.panel) ?? 0;
    perPanel.set(r.panel, k + 1);
    const row: Record<string, string | number> = { [MARK_FIELD]: "rule", [o.x.field]: r.x, label: r.label, [LABEL_Y_FIELD]: k * LABEL_LINE };
    if (panelField !== undefined && r.panel !== undefined) row[panelField] = r.panel;
    data.push(row);
  }
  return data;
}

/** The distinct non-null values of a column, in order of first appearance. */
export function distinct(rows: readonly Row[], field: string): Array<string | number> {
  const seen = new Set<string | number>();
  for (const r of rows) {
    const v = r[field];
    if (v !== null && v !== undefined) seen.add(v);
  }
  return [...seen];
}

/** The layers of a line chart (error band, lines, rules with labels), each filtered to its rows. */
export function lineLayers(o: LineChartOptions): VlSpec[] {
  const only = (kind: string) => [{ filter: { field: MARK_FIELD, equal: kind } }];
  const x = axis(o.x);
  // colours and legend entries in the order the series first appear in the rows (not alphabetical)
  const color = o.series
    ? { color: { field: o.series.field, type: "nominal", title: o.series.title, scale: { domain: distinct(o.rows, o.series.field) } } }
    : {};
  const clip = o.x.domain !== undefined || o.y.domain !== undefined;
  const layers: VlSpec[] = [];
  if (o.band) {
    layers.push({
      transform: only("line"),
      mark: { type: "area", opacity: 0.2, clip },
      encoding: { x, y: { ...axis(o.y), field: o.band.lower }, y2: { field: o.band.upper }, ...color },
    });
  }
  layers.push({
    transform: only("line"),
    mark: { type: "line", clip, ...(o.points ? { point: true } : {}) },
    encoding: { x, y: axis(o.y), ...color },
  });
  if (o.rules && o.rules.length > 0) {
    layers.push({
      transform: only("rule"),
      mark: { type: "rule", strokeDash: [4, 3], color: "#555" },
      encoding: { x: { field: o.x.field, type: "quantitative" } },
    });
    layers.push({
      transform: only("rule"),
      mark: { type: "text", align: "left", baseline: "top", dx: 3, dy: 2, color: "#333" },
      encoding: {
        x: { field: o.x.field, type: "quantitative" },
        y: { field: LABEL_Y_FIELD, type: "quantitative", scale: null },
        text: { field: "label", type: "nominal" },
      },
    });
  }
  return layers;
}

/**
 * A line chart: x against y, one coloured line per series (legend titled in the paper's notation), an
 * optional error band between two columns, optional log scales, optional labelled vertical rules.
 * Returns a plain Vega-Lite spec with the data inline (render.ts draws it).
 */
export function lineChart(o: LineChartOptions): VlSpec {
  const spec: VlSpec = {
    data: { values: chartData(o) },
    width: o.width ?? 360,
    height: o.height ?? 240,
    layer: lineLayers(o),
  };
  if (o.title !== undefined) spec.title = o.title;
  return spec;
}
