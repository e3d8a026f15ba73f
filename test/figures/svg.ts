import { Resvg } from "@resvg/resvg-js";

/**
 * Checks that `svg` is well-formed XML: every tag closes in order, attributes are name="value" pairs, and
 * resvg's strict XML parser (roxmltree) accepts it (it throws on malformed XML). Returns the element count.
 */
export function checkWellFormed(svg: string): number {
  const stack: string[] = [];
  let elements = 0;
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(svg); m !== null; m = tag.exec(svg)) {
    const between = svg.slice(last, m.index);
    if (between.includes("<") || between.includes(">")) throw new Error(`malformed markup near offset ${last}: ${between.slice(0, 80)}`);
    last = tag.lastIndex;
    const [, close, name, , selfClose] = m;
    if (close) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
    } else {
      elements++;
      if (!selfClose) stack.push(name);
    }
  }
  if (svg.slice(last).trim() !== "") throw new Error(`trailing text after the root element`);
  if (stack.length > 0) throw new Error(`unclosed <${stack.join("> <")}>`);
  new Resvg(svg); // throws on anything its XML parser rejects
  return elements;
}

/** How many marks with this aria role description (vega writes one per mark item: "line mark", "rule mark", "point", …). */
export function countRole(svg: string, role: string): number {
  return svg.split(`aria-roledescription="${role}"`).length - 1;
}

/** The texts of the axis titles, in document order. */
export function axisTitles(svg: string): string[] {
  return [...svg.matchAll(/class="mark-text role-axis-title"[^>]*><text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
}

/** The texts of the elements of a role (e.g. "role-legend-label", "role-legend-title"). */
export function roleTexts(svg: string, role: string): string[] {
  const group = new RegExp(`class="mark-text ${role}(?: [^"]*)?"[^>]*>((?:<text[^>]*>[^<]*</text>)*)`, "g");
  return [...svg.matchAll(group)].flatMap((g) => [...g[1].matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]));
}

/** The SVG's width and height attributes. */
export function svgSize(svg: string): { width: number; height: number } {
  const m = /^<svg[^>]*\swidth="(\d+(?:\.\d+)?)"[^>]*\sheight="(\d+(?:\.\d+)?)"/.exec(svg);
  if (!m) throw new Error("no width/height on <svg>");
  return { width: Number(m[1]), height: Number(m[2]) };
}

/** Width and height from a PNG's IHDR chunk, after checking the signature and the chunk's name. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  sig.forEach((b, k) => {
    if (png[k] !== b) throw new Error("not a PNG signature");
  });
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  if (view.getUint32(8) !== 13 || String.fromCharCode(...png.slice(12, 16)) !== "IHDR") throw new Error("no IHDR chunk first");
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
