/** Figures: Vega-Lite specs as plain data, one function per kind, drawn to SVG and PNG in one place. */
export type { Cell, Row, Table, VlSpec } from "./types.js";
export { toCsv, csvCell } from "./csv.js";
export { lineChart, lineLayers, chartData, distinct, MARK_FIELD, type AxisSpec, type FieldSpec, type RuleSpec, type LineChartOptions } from "./lineChart.js";
export { facetedLines, type FacetedLinesOptions } from "./facetedLines.js";
export { densityChart, DENSITY_CAP, type DensityChartOptions } from "./densityChart.js";
export { renderSvg, svgToPng, renderFigure, rendererVersions, withDefaults, FONT_FAMILY, PNG_SCALE } from "./render.js";
export { caption, type CaptionInput } from "./caption.js";
