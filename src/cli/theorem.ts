import type { Command } from "commander";
import { center } from "../core/dataset.js";
import { InputError } from "../core/errors.js";
import { mixupLoss } from "../mixup/index.js";
import { taylorTermsParallel } from "../taylor/index.js";
import { theoremInequality, unmetAssumptions, type TheoremResult } from "../robustness/theorem.js";
import { inThetaReport, wrongSideText, type InThetaReport } from "../robustness/assumptions.js";
import { asOption, BAR_STEPS, barFeed, namingOverflow, parseNonNegativeInt, parsePositive, parsePositiveInt, parseShape, parseTol, withProgress } from "./io/index.js";
import { finiteOrReason, fmt, nonFiniteText, packageVersion, stringifyStrict } from "./json.js";
import { addDataOptions, datasetJson, loadProblemFrom, type DataOptions } from "./load.js";
import { DEFAULT_TOL } from "../core/constants.js";

interface TheoremOptions extends DataOptions {
  model: string;
  alpha: number;
  beta?: number;
  center?: boolean;
  tol: number;
  workers?: number;
  json?: boolean;
  quiet?: boolean;
}

/** `mixup-theory theorem 3.1|3.2`: the inequality of Theorem 3.1 or 3.2 on a data set, with its assumptions. */
export function registerTheorem(program: Command, out: (s: string) => void): void {
  const cmd = program
    .command("theorem")
    .description("Theorem 3.1 (logistic regression) or 3.2 (ReLU nets without bias): L_std + R1 + R2 ≥ L̃_adv(ε_mix) + L_reg")
    .argument("<which>", "3.1 or 3.2");
  addDataOptions(cmd, "CSV with a header; column y holds labels in {0, 1}; or an .npy n×d float array with --labels", { center: false })
    .option("--seed <s>", "seed of the --dataset generator", asOption("--seed", parseNonNegativeInt), 0)
    .requiredOption("--model <file>", "model JSON: linear (3.1) or relu2 with activation relu (3.2), loss logistic")
    .requiredOption("--alpha <a>", "Beta(α, β) parameter α > 0", asOption("--alpha", parseShape))
    .option("--beta <b>", "β > 0 (default: α)", asOption("--beta", parseShape))
    .option("--center", "center the data first (otherwise an uncentered input is reported as an unmet assumption)")
    .option("--tol <t>", "relative accuracy of the exact L_mix reported beside the second-order core", asOption("--tol", parseTol), DEFAULT_TOL)
    .option("--workers <w>", "worker threads for the exact L_mix (default: all cores)", asOption("--workers", parsePositiveInt))
    .option("--json", "print one JSON object")
    .option("--quiet", "no progress line on stderr")
    .action(async (which: string, o: TheoremOptions) => {
      out(await theoremCommand(which, o));
    });
}

export async function theoremCommand(which: string, o: TheoremOptions): Promise<string> {
  if (which !== "3.1" && which !== "3.2") throw new InputError("theorem", `theorem: "${which}" is not 3.1 or 3.2`);
  const loaded = loadProblemFrom(o, o.model);
  const { model, family } = loaded;
  if (family.name !== "logistic") {
    throw new InputError(o.model, `${o.model}: theorem ${which} is about the logistic loss (the model's loss is ${family.name})`);
  }
  if (which === "3.1" && model.kind !== "linear") {
    throw new InputError(o.model, `${o.model}: theorem 3.1 is about logistic regression: the model must be linear`);
  }
  if (which === "3.2" && (model.kind !== "relu2" || model.activation !== "relu" || model.K !== 1)) {
    throw new InputError(o.model, `${o.model}: theorem 3.2 is about two-layer ReLU nets with one output (kind relu2, activation relu)`);
  }
  for (let i = 0; i < loaded.ds.n; i++) {
    const y = loaded.ds.y[i];
    if (y !== 0 && y !== 1) throw new InputError(loaded.labelSource, `${loaded.labelSource}: row ${i + 1}: label ${y} is not in {0, 1} (theorem ${which} needs hard labels)`);
  }
  const ds = o.center ? center(loaded.ds) : loaded.ds;
  const alpha = o.alpha;
  const beta = o.beta ?? o.alpha;
  // progress (a terminal only, after a second, not with --quiet): a spinner for the second-order core and
  // the bounds, then a bar in percent for the exact L_mix, fed by its pairs
  return withProgress(`theorem ${which}`, { quiet: o.quiet === true, percent: true }, (bar) => namingOverflow(loaded.source, loaded.source, async () => {
    bar.stage(`theorem ${which} (Lemma 3.1 terms, bounds)`);
    const terms = await taylorTermsParallel(ds, model, family, alpha, beta, { workers: o.workers === 1 ? 1 : undefined });
    const r = theoremInequality(ds, model, family, alpha, beta, terms);
    bar.stage(`theorem ${which} (exact L_mix)`, BAR_STEPS);
    const mix = await mixupLoss(ds, model, family, alpha, beta, { method: "pairs", tol: o.tol, workers: o.workers, onProgress: barFeed(bar) });
    const a = r.assumptions;
    // the assumptions of the theorem asked for: (a)–(c), and the model it is stated for (docs/theory.md §3.7–§3.8):
    // 3.1 f = θᵀx without bias, 3.2 a ReLU net without biases; each unmet one in the words `loss` uses
    const assumptions: Record<string, unknown> = {
      centered: { met: a.centered },
      cx: { value: a.cx, met: a.cx > 0 },
      inTheta: inThetaReport(a.inTheta), // the count and the first 20 rows
    };
    if (which === "3.1") assumptions.noBias = { met: a.homogeneous };
    else assumptions.homogeneous = { met: a.homogeneous };
    const words = new Map(unmetAssumptions(model, family, a).map((u) => [u.key as string, u.warning]));
    const unmet = Object.entries(assumptions)
      .filter(([, v]) => !(v as { met: boolean }).met)
      .map(([k]) => k);
    const warnings = unmet.map((k) => `assumption ${k} is not met: ${words.get(k) ?? k}; the theorem does not apply, the numbers are reported anyway`);
    const nf = theoremReason(r);
    const margin = finiteOrReason({ margin: r.margin }, nf);
    const marginMix = finiteOrReason({ marginWithMixupLoss: mix.value - r.rhs }, nf);
    const report: Record<string, unknown> = {
      version: packageVersion(),
      theorem: which,
      n: ds.n,
      d: ds.d,
      alpha,
      beta,
      tol: o.tol,
      loss: family.name,
      model: model.kind === "linear" ? "linear" : `relu2 (${model.activation}, m = ${model.m})`,
      centeredByOption: Boolean(o.center),
      assumptions,
      assumptionsMet: unmet.length === 0,
      lhs: {
        ...finiteOrReason({ core: r.core, standardLoss: r.standardLoss, R1: r.R1, R2: r.R2 }, nf),
        mixupLoss: { value: mix.value, errorEstimate: mix.errorEstimate },
      },
      ...finiteOrReason({ rhs: r.rhs, secondOrder: r.secondOrder, regularizer: r.Lreg }, nf),
      ...margin,
      ...verdict("holds", margin.margin !== null, r.holds, "margin"),
      ...marginMix,
      ...verdict("holdsWithMixupLoss", marginMix.marginWithMixupLoss !== null, mix.value >= r.rhs, "marginWithMixupLoss"),
      ...finiteOrReason({ R: r.R, m1: r.m1, epsMix: r.epsMix }, nf),
      radius: finiteOrReason({ l2: r.epsMix * Math.sqrt(ds.d), linf: r.epsMix }, (f, x) => `the ${f === "l2" ? "ℓ2 radius ε_mix·√d" : "ℓ∞ radius ε_mix"} is ${nonFiniteText(x)} in float64`),
      tightestEps: r.tightestEps.value,
      ...(r.tightestEps.reason ? { tightestEpsReason: r.tightestEps.reason } : {}),
      ratio: r.ratio,
      ...(r.ratioReason ? { ratioReason: r.ratioReason } : {}),
      warnings,
      ...datasetJson(loaded.dataset, o.seed),
    };
    if (o.json) return stringifyStrict(report) + "\n";
    return theoremTable(report, unmet);
  }));
}

/** `holds` (a boolean), or null with a reason when its margin is not a number (never "VIOLATED" on a NaN). */
function verdict(field: string, defined: boolean, holds: boolean, margin: string): Record<string, unknown> {
  return defined ? { [field]: holds } : { [field]: null, [`${field}Reason`]: `${margin} is undefined (see ${margin}Reason)` };
}

/** Reasons for the theorem's non-finite numbers, naming what they are made of. */
function theoremReason(r: TheoremResult): (field: string, x: number | null) => string {
  const parts: Record<string, Array<[string, number]>> = {
    core: [["standardLoss", r.standardLoss], ["R1", r.R1], ["R2", r.R2]],
    rhs: [["secondOrder", r.secondOrder], ["regularizer", r.Lreg]],
    margin: [["core", r.core], ["rhs", r.rhs]],
    marginWithMixupLoss: [["rhs", r.rhs]],
  };
  return (field, x) => {
    const bad = (parts[field] ?? []).filter(([, v]) => !Number.isFinite(v)).map(([k]) => k);
    if (bad.length > 0) return `${field} is computed from ${bad.join(", ")}, which ${bad.length > 1 ? "are" : "is"} not finite`;
    return `${field} is ${nonFiniteText(x)} in float64 (an overflow in its sums for data this large)`;
  };
}

function violating(r: Record<string, unknown>): string {
  const t = (r.assumptions as Record<string, unknown>).inTheta as InThetaReport;
  return t.violating === 0 ? "" : ` (${wrongSideText(t)})`;
}

function theoremTable(r: Record<string, unknown>, unmet: string[]): string {
  const lhs = r.lhs as { core: number | null; mixupLoss: { value: number; errorEstimate: number } };
  const num = (k: string) => r[k] as number | null;
  // a margin that is not a number is no verdict: neither "holds" nor "VIOLATED" (its reason is listed below)
  const holds = r.holds === null ? "undefined" : r.holds ? "holds" : "VIOLATED";
  const lines = [
    `mixup-theory ${r.version} — theorem ${r.theorem} (${r.model}; Beta(${r.alpha}, ${r.beta}))`,
    `data n = ${r.n}, d = ${r.d}${r.centeredByOption ? " (centered by --center)" : ""}`,
    `assumptions: ${unmet.length === 0 ? "all met" : `NOT met: ${unmet.join(", ")}`}${violating(r)}`,
    ...(r.warnings as string[]).map((w) => `  warning: ${w}`),
    "",
    `  L_std + R1 + R2            ${fmt(lhs.core, 12)}`,
    `  L_mix (exact)              ${fmt(lhs.mixupLoss.value, 12)}   ± ${fmt(lhs.mixupLoss.errorEstimate, 2)}`,
    `  L̃_adv(ε_mix) + L_reg       ${fmt(num("rhs"), 12)}`,
    `  margin                     ${fmt(num("margin"), 6)}   ${holds}`,
    `  ε_mix = R·c_x·m1           ${fmt(num("epsMix"))}   (ℓ2 radius ${fmt((r.radius as { l2: number | null }).l2)})`,
    `  ε* (tightest)              ${fmt(num("tightestEps"))}   ε_mix/ε* ${fmt(num("ratio"))}`,
  ];
  for (const [k, v] of Object.entries(r)) if (k.endsWith("Reason") && !k.startsWith("holds")) lines.push(`  ${k.slice(0, -6)}: ${v as string}`);
  for (const [k, v] of Object.entries(r.lhs as Record<string, unknown>)) if (k.endsWith("Reason")) lines.push(`  ${k.slice(0, -6)}: ${v as string}`);
  return lines.join("\n") + "\n";
}
