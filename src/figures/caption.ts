/** What a caption says about one figure; everything but `wallMs` is fixed by the command. */
export interface CaptionInput {
  readonly title: string;
  /** what is plotted: axes, series, panels, bands (markdown) */
  readonly description: string;
  /** the exact command that makes the figure */
  readonly command: string;
  /** the experiment's parameters (quick or full), printed as JSON values */
  readonly params: Readonly<Record<string, unknown>>;
  readonly seed: number;
  /** how the experiment's stream derives from the seed, e.g. `Rng(0).fork(FNV-1a("remainder"))` */
  readonly stream: string;
  readonly quick: boolean;
  readonly notes: readonly string[];
  /** name → version (the toolkit, Node, vega, vega-lite, resvg) */
  readonly versions: Readonly<Record<string, string>>;
  /** wall time of the experiment (computing and drawing), ms */
  readonly wallMs: number;
  /** the files of this figure: csv, svg, png */
  readonly files: { readonly csv: string; readonly svg: string; readonly png: string };
}

/**
 * The caption of a figure as markdown: title, what is plotted, the exact command, parameters, seed, notes,
 * versions, wall time. The wall time makes it differ between runs; the CSV beside it does not.
 */
export function caption(c: CaptionInput): string {
  const lines = [`# ${c.title}`, "", c.description, "", `![${c.title}](${c.files.svg})`, ""];
  lines.push(`Data: [${c.files.csv}](${c.files.csv}) (the numbers plotted). PNG: [${c.files.png}](${c.files.png}).`, "");
  lines.push("## Command", "", "```", c.command, "```", "");
  lines.push("## Parameters", "");
  lines.push(`- seed: ${c.seed} (every random choice draws from ${c.stream} and its forks)`);
  lines.push(`- mode: ${c.quick ? "quick (--quick)" : "full"}`);
  for (const [k, v] of Object.entries(c.params)) lines.push(`- ${k}: ${JSON.stringify(v)}`);
  lines.push("");
  if (c.notes.length > 0) {
    lines.push("## Notes", "");
    for (const n of c.notes) lines.push(`- ${n}`);
    lines.push("");
  }
  lines.push("## Versions", "");
  for (const [k, v] of Object.entries(c.versions)) lines.push(`- ${k} ${v}`);
  lines.push("", `Wall time: ${(c.wallMs / 1000).toFixed(1)} s (the whole experiment, computing and drawing).`, "");
  return lines.join("\n");
}
