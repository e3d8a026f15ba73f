import { createRequire } from "node:module";
import { Resvg } from "@resvg/resvg-js";
import type { VlSpec } from "./types.js";

/**
 * The one place where a figure is drawn: a Vega-Lite spec is compiled by vega-lite, laid out by vega with
 * the "none" renderer (no browser, no canvas) and serialised to SVG; resvg rasterises the SVG to PNG. No
 * network: the specs carry their data inline and no loader is used.
 *
 * Text: every text mark is set in FONT_FAMILY through the spec's config, and resvg falls back to the same
 * family, so the SVG and the PNG show the same font. Without a canvas vega estimates text widths from the
 * character count, so the layout does not depend on the fonts installed. Same spec → byte-identical SVG
 * (vega writes no time, random id or locale-dependent text; test/figures/render.test.ts checks it).
 *
 * vega and vega-lite are loaded on first use (≈ 0.2 s), so importing the library or starting any other
 * command does not pay for them.
 */

let libs: Promise<[typeof import("vega"), typeof import("vega-lite")]> | null = null;
function vegaLibs() {
  return (libs ??= Promise.all([import("vega"), import("vega-lite")]));
}

/** The font of every figure (installed with the DejaVu fonts on Debian/Ubuntu; resvg falls back to any sans). */
export const FONT_FAMILY = "DejaVu Sans";

/** PNG pixels per SVG pixel (2: sharp on a printed page and on high-density screens). */
export const PNG_SCALE = 2;

/** The spec with the toolkit's defaults added to its config (font, white background, padding). */
export function withDefaults(spec: VlSpec): VlSpec {
  const config = (spec.config ?? {}) as VlSpec;
  return {
    ...spec,
    background: spec.background ?? "white",
    padding: spec.padding ?? 8,
    // long legend labels (a model with its fitted slope) are not cut with an ellipsis
    config: { font: FONT_FAMILY, legend: { labelLimit: 0 }, ...config },
  };
}

/** The SVG text of a Vega-Lite spec (defaults of withDefaults added). */
export async function renderSvg(spec: VlSpec): Promise<string> {
  const [vega, vl] = await vegaLibs();
  const compiled = vl.compile(withDefaults(spec) as unknown as import("vega-lite").TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The PNG bytes of an SVG text, at `scale` pixels per SVG pixel. */
export function svgToPng(svg: string, scale = PNG_SCALE): Uint8Array {
  const r = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
  });
  return r.render().asPng();
}

/** A figure as SVG text and PNG bytes. */
export async function renderFigure(spec: VlSpec, scale = PNG_SCALE): Promise<{ svg: string; png: Uint8Array }> {
  const svg = await renderSvg(spec);
  return { svg, png: svgToPng(svg, scale) };
}

/** Versions of the drawing chain, for captions: Node, vega, vega-lite and @resvg/resvg-js. */
export async function rendererVersions(): Promise<Record<string, string>> {
  const [vega, vl] = await vegaLibs();
  const require = createRequire(import.meta.url);
  const resvg = (require("@resvg/resvg-js/package.json") as { version: string }).version;
  return { node: process.version, vega: vega.version, "vega-lite": vl.version, "@resvg/resvg-js": resvg };
}
