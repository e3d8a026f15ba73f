import { chartData, distinct, lineLayers, type FieldSpec, type LineChartOptions } from "./lineChart.js";
import type { VlSpec } from "./types.js";

export interface FacetedLinesOptions extends LineChartOptions {
  /** one panel per value of this column (small multiples), titled "title = value" */
  readonly panel: FieldSpec;
  /** panels per row (default 2) */
  readonly columns?: number;
  /** each panel its own y scale (default false: one shared y scale) */
  readonly independentY?: boolean;
  /** each panel its own x scale (default false), e.g. an ε grid scaled to each data set */
  readonly independentX?: boolean;
}

/**
 * Small multiples: the line chart of lineChart.ts once per value of the panel column, the same layers
 * (band, lines, rules) in each panel; a rule goes to the panel its `panel` names. `width`/`height` are those
 * of one panel (default 240 × 180).
 */
export function facetedLines(o: FacetedLinesOptions): VlSpec {
  const spec: VlSpec = {
    data: { values: chartData(o, o.panel.field) },
    // panels in the order their values first appear in the rows; an empty title hides the facet title
    facet: { field: o.panel.field, type: "nominal", title: o.panel.title === "" ? null : o.panel.title, sort: distinct(o.rows, o.panel.field) },
    columns: o.columns ?? 2,
    spec: { width: o.width ?? 240, height: o.height ?? 180, layer: lineLayers(o) },
  };
  const scale: VlSpec = {};
  if (o.independentX) scale.x = "independent";
  if (o.independentY) scale.y = "independent";
  if (Object.keys(scale).length > 0) spec.resolve = { scale };
  if (o.title !== undefined) spec.title = o.title;
  return spec;
}
