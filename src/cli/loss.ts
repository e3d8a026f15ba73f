import type { Command } from "commander";
import { InputError } from "../core/errors.js";
import { Rng } from "../core/rng.js";
import { standardLoss } from "../losses/index.js";
import { predict } from "../models/index.js";
import { monteCarloMixupLossAsync, mixupGrad, mixupLoss, mixupLossBothForms, MIXUP_METHODS, type ExactResult, type FastExactResult, type MixupMethod, type MonteCarloResult } from "../mixup/index.js";
import type { Model } from "../models/types.js";
import { allPairsFromDistinct, taylorTermsParallel, withRemainder, type TaylorTerms } from "../taylor/index.js";
import {
  asOption,
  namingOverflow,
  parsePositive,
  parseTol,
  parseShape,
  parsePositiveInt,
  parseNonNegativeInt,
  withProgress,
  BAR_STEPS,
  barFeed,
  type Progress,
  type ProgressOptions,
} from "./io/index.js";
import { finiteOrReason, fmt, packageVersion, stringifyStrict, type NullableFields } from "./json.js";
import { addDataOptions, dataSource, datasetJson, loadProblemFrom, type DataOptions } from "./load.js";
import { adversarialSummary, adversarialUnavailable } from "../robustness/summary.js";
import { adversarialJson, adversarialLines } from "./adversarialJson.js";
import { taylorFields, taylorReason } from "./taylorJson.js";
import { DEFAULT_TOL } from "../core/constants.js";

export interface LossOptions extends DataOptions {
  model: string;
  alpha: number;
  beta?: number;
  method: string;
  samples: number;
  seed: number;
  tol: number;
  pairs: string;
  json?: boolean;
  workers?: number;
  quiet?: boolean;
  grad?: boolean;
}

/** `mixup-theory loss`: standard, Mixup and label-free Mixup loss of a model on a data set. */
export function registerLoss(program: Command, out: (s: string) => void): void {
  const cmd = program
    .command("loss")
    .description("the exact Mixup loss (paper eq. (1)), its label-free rewrite and the standard loss");
  addDataOptions(cmd)
    .requiredOption("--model <file>", "model JSON (kind linear or relu2)")
    .requiredOption("--alpha <a>", "Beta(α, β) parameter α > 0", asOption("--alpha", parseShape))
    .option("--beta <b>", "β > 0 (default: α)", asOption("--beta", parseShape))
    .option(
      "--method <m>",
      "auto (fastest exact path for the model) | pairs | convolution (linear model, scalar loss) | closed-form (linear model, squared loss) | mc",
      "auto",
    )
    .option("--samples <N>", "Monte Carlo samples", asOption("--samples", parsePositiveInt), 100000)
    .option("--seed <s>", "seed of every random choice", asOption("--seed", parseNonNegativeInt), 0)
    .option("--tol <t>", "relative accuracy of the exact loss", asOption("--tol", parseTol), DEFAULT_TOL)
    .option("--pairs <p>", "all (n² ordered pairs, i = j included) | distinct (i ≠ j)", "all")
    .option("--workers <w>", "worker threads (default: all cores)", asOption("--workers", parsePositiveInt))
    .option("--grad", "also the θ-gradient of the Mixup loss (block `gradient`; exact methods only)")
    .option("--json", "print one JSON object")
    .option("--quiet", "no progress line on stderr")
    .action(async (o: LossOptions) => {
      out(await lossCommand(o));
    });
}

/**
 * The `loss` command's output; a loss overflow names the data file (and the row, from the library).
 * Progress on stderr (only on a terminal, after a second, not with --quiet): a spinner while loading, a bar
 * in percent for each exact run ("loss (labelled)", then "loss (label-free)"), fed by mixupLoss's
 * onProgress, then a spinner for the Taylor terms and the adversarial summary. `progressOpts` is for tests
 * (a fake stream and clock).
 */
export async function lossCommand(o: LossOptions, progressOpts: ProgressOptions = {}): Promise<string> {
  return withProgress("loss", { ...progressOpts, quiet: o.quiet === true || progressOpts.quiet === true, percent: true }, (bar) =>
    namingOverflow(dataSource(o), dataSource(o), () => lossOutput(o, bar)),
  );
}


async function lossOutput(o: LossOptions, bar: Progress): Promise<string> {
  if (!(MIXUP_METHODS as readonly string[]).includes(o.method)) {
    throw new InputError("--method", `--method: "${o.method}" is not one of ${MIXUP_METHODS.join(", ")}`);
  }
  if (!["all", "distinct"].includes(o.pairs)) {
    throw new InputError("--pairs", `--pairs: "${o.pairs}" is not one of all, distinct`);
  }
  if (o.samples < 2) throw new InputError("--samples", `--samples: ${o.samples} must be at least 2 (the interval needs a variance)`);
  const { ds, model, family, source, dataset } = loadProblemFrom(o, o.model);
  const alpha = o.alpha;
  const beta = o.beta ?? o.alpha;
  const pairs = o.pairs as "all" | "distinct";
  if (pairs === "distinct" && ds.n < 2) throw new InputError(source, `${source}: --pairs distinct needs at least 2 rows`);
  const method = o.method as MixupMethod;
  const scores = predict(model, ds.X, ds.n);
  const lstd = standardLoss(family, scores, ds.y, ds.n, ds.K);
  // a bar in percent for every run: the exact ones fed by their quadrature, Monte Carlo by its draws
  let mix: ExactResult | FastExactResult | MonteCarloResult;
  let mixupJson: Record<string, unknown>;
  let rewrite: Record<string, unknown>;
  let rewriteValue: number;
  if (method === "mc") {
    bar.stage("loss (monte-carlo)", BAR_STEPS);
    mix = await mixupLoss(ds, model, family, alpha, beta, {
      method,
      tol: o.tol,
      pairs,
      samples: o.samples,
      seed: o.seed,
      workers: o.workers,
      onProgress: barFeed(bar),
      pause: () => bar.pause(),
    });
    mixupJson = mcJson(mix as MonteCarloResult, true);
    bar.stage("loss (monte-carlo, label-free)", BAR_STEPS);
    const rw = await monteCarloMixupLossAsync(ds, model, family, alpha, beta, {
      samples: o.samples,
      rng: new Rng(o.seed).fork(2),
      pairs,
      form: "label-free",
      onProgress: barFeed(bar),
      pause: () => bar.pause(),
    });
    rewriteValue = rw.value;
    rewrite = { form: "label-free", ...mcJson(rw, false) };
  } else {
    // the labelled loss and its label-free rewrite (D̃'s densities and end rules; the closed form gives the
    // same formula) by the same method; all pairs compute both in one pass on shared nodes
    bar.stage("loss (labelled and label-free)", BAR_STEPS);
    const both = await mixupLossBothForms(ds, model, family, alpha, beta, { method, tol: o.tol, pairs, workers: o.workers, onProgress: barFeed(bar) });
    mix = both.labelled;
    const rw = both.labelFree;
    mixupJson = {
      value: mix.value,
      method: mix.method,
      errorEstimate: mix.errorEstimate,
      nodes: mix.nodes,
      meanAbsLoss: mix.meanAbsLoss,
    };
    rewriteValue = rw.value;
    rewrite = {
      form: "label-free",
      value: rw.value,
      method: rw.method,
      errorEstimate: rw.errorEstimate,
      nodes: rw.nodes,
      difference: rw.value - mix.value,
    };
  }
  bar.stage("loss (Taylor terms)");
  // on worker threads when the data are large (the same bytes as taylorTerms), so the line keeps moving
  const terms = await taylorTermsParallel(ds, model, family, alpha, beta, { workers: o.workers === 1 ? 1 : undefined });
  const taylor = taylorBlock(terms, mix, lstd, ds.n, pairs);
  // Section 3 at ε_mix; PGD (nets) draws from Rng(seed).fork(3)
  const advReason = adversarialUnavailable(model, family);
  if (advReason === null) bar.stage("loss (adversarial)");
  const adversarial =
    advReason === null ? adversarialJson(adversarialSummary(ds, model, family, alpha, beta, new Rng(o.seed).fork(3), terms)) : null;
  let gradient: Record<string, unknown> | null | undefined;
  let gradientReason: string | undefined;
  if (o.grad) {
    if (method === "mc") {
      gradient = null;
      gradientReason = "--method mc has no gradient: use an exact method (auto, pairs, convolution, closed-form)";
    } else {
      bar.stage("loss (gradient)");
      const g = await mixupGrad(ds, model, family, alpha, beta, { method, tol: o.tol, pairs, workers: o.workers });
      gradient = {
        method: g.method,
        value: g.value,
        errorEstimate: g.errorEstimate,
        grad: Array.from(g.grad),
        gradErrorEstimate: g.gradErrorEstimate,
        parameterOrder: parameterOrder(model),
      };
    }
  }
  const report = {
    version: packageVersion(),
    n: ds.n,
    d: ds.d,
    alpha,
    beta,
    loss: family.name,
    lossNote: family.note,
    model: model.kind === "linear" ? "linear" : `relu2 (${model.activation}, m = ${model.m})`,
    K: model.K,
    pairs,
    seed: o.seed,
    tol: o.tol,
    standardLoss: lstd,
    mixupLoss: mixupJson,
    rewriteLoss: rewriteValue,
    rewrite,
    taylor,
    adversarial,
    ...(advReason === null ? {} : { adversarialReason: advReason }),
    ...(gradient === undefined ? {} : { gradient }),
    ...(gradientReason === undefined ? {} : { gradientReason }),
    ...datasetJson(dataset, o.seed),
  };
  if (o.json) return stringifyStrict(report) + "\n";
  return lossTable(report, mixupJson, rewrite, taylor) + adversarialLines(adversarial, advReason ?? undefined).join("\n") + "\n" + gradientLines(gradient, gradientReason);
}

/**
 * A Monte Carlo result as JSON: value, method, ci95 (null with ci95Reason when not representable), samples,
 * and (for mixupLoss, not the rewrite) stdError (null with stdErrorReason likewise).
 */
function mcJson(r: MonteCarloResult, withStdError: boolean): Record<string, unknown> {
  const o: Record<string, unknown> = { value: r.value, method: r.method, ci95: r.ci95 };
  if (r.ci95 === null) o.ci95Reason = r.ci95Reason;
  o.samples = r.samples;
  if (withStdError) {
    o.stdError = r.stdError;
    if (r.stdError === null) o.stdErrorReason = r.stdErrorReason;
  }
  return o;
}

/** The flattened parameters' layout (getParams order), for reading `gradient.grad`. */
function parameterOrder(model: Model): string {
  if (model.kind === "linear") return `theta (${model.K}×${model.d} row-major)${model.bias ? `, bias (${model.K})` : ""}`;
  const parts = [`W (${model.m}×${model.d} row-major)`];
  if (model.b) parts.push(`b (${model.m})`);
  parts.push(`V (${model.K}×${model.m} row-major)`);
  if (model.c) parts.push(`c (${model.K})`);
  return parts.join(", ");
}

function gradientLines(g: Record<string, unknown> | null | undefined, reason: string | undefined): string {
  if (g === undefined) return "";
  if (g === null) return `  gradient: ${reason}\n`;
  const grad = g.grad as number[];
  const inf = grad.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  return `  ∇θ Mixup loss        max |∂L/∂θ| = ${fmt(inf, 8)}   ± ${fmt(g.gradErrorEstimate as number, 2)}  (${g.method}, ${grad.length} parameters: ${g.parameterOrder as string}; --json for the values)\n`;
}

const PAIRS_NOTE =
  "Lemma 3.1 expands the loss over all n² ordered pairs (i = j included): the remainder is taken from " +
  "mixupLossAllPairs = ((n−1)·L_distinct + L_std)/n, not from mixupLoss.value";

const MC_NOTE =
  "remainder = L_mix − approx with L_mix the Monte Carlo estimate: the Monte Carlo error is often larger than the " +
  "remainder, so read remainderCi95, not the digits (use the exact method for the remainder itself)";

/**
 * The `taylor` block of `loss --json`: Lemma 3.1's terms (docs/theory.md §3.1) and the remainder
 * L_mix − (L_std + R1 + R2 + R3), with L_mix over all n² ordered pairs (converted from `--pairs distinct`).
 */
function taylorBlock(
  terms: TaylorTerms,
  mix: { value: number; method: string; errorEstimate?: number; ci95?: [number, number] | null; ci95Reason?: string },
  lstd: number,
  n: number,
  pairs: "all" | "distinct",
): NullableFields {
  const toAll = (v: number) => (pairs === "all" ? v : allPairsFromDistinct(v, lstd, n));
  const allValue = toAll(mix.value);
  const extra: NullableFields = {};
  if (pairs === "distinct") {
    Object.assign(extra, finiteOrReason({ mixupLossAllPairs: allValue }, (f, x) => `${f} is ${String(x)}`));
    extra.pairsNote = PAIRS_NOTE;
  }
  if (mix.method !== "monte-carlo") {
    const scaleErr = pairs === "all" ? 1 : (n - 1) / n;
    const t = withRemainder(terms, { value: allValue, errorEstimate: (mix.errorEstimate ?? 0) * scaleErr });
    return { ...taylorFields(t), ...extra };
  }
  const remainder = allValue - terms.approx;
  const ci: [number, number] = mix.ci95 ? [toAll(mix.ci95[0]) - terms.approx, toAll(mix.ci95[1]) - terms.approx] : [NaN, NaN];
  const values = {
    m1: terms.m1,
    m2: terms.m2,
    R1: terms.R1,
    R2: terms.R2,
    R3: terms.R3,
    approx: terms.approx,
    remainder,
  };
  const reason = taylorReason({ ...values, mixupLoss: allValue, standardLoss: terms.standardLoss });
  const out: NullableFields & { remainderCi95?: [number, number] | null } = finiteOrReason(values, reason);
  if (Number.isFinite(ci[0]) && Number.isFinite(ci[1])) out.remainderCi95 = ci;
  else {
    out.remainderCi95 = null;
    out.remainderCi95Reason = mix.ci95 ? reason("remainderCi95", NaN) : `remainderCi95 = the Monte Carlo interval of L_mix shifted by −approx, and that interval is null (${mix.ci95Reason})`;
  }
  Object.assign(out, finiteOrReason({ remainderOverR2: terms.R2 === 0 ? null : remainder / terms.R2 }, reason));
  out.note = MC_NOTE;
  return Object.assign(out, extra);
}

/** "95% CI [lo, hi]", or "95% CI — (<reason>)" when the interval is not representable. */
function ciText(r: Record<string, unknown>): string {
  const ci = r.ci95 as number[] | null;
  return ci ? `95% CI [${fmt(ci[0], 8)}, ${fmt(ci[1], 8)}]` : `95% CI — (${r.ci95Reason as string})`;
}

function lossTable(
  r: { [k: string]: unknown },
  mix: Record<string, unknown>,
  rw: Record<string, unknown>,
  t: Record<string, unknown>,
): string {
  const lines: string[] = [];
  lines.push(`mixup-theory ${r.version} — loss (${r.loss}; ${r.lossNote})`);
  lines.push(`data n = ${r.n}, d = ${r.d}; model ${r.model}; Beta(${r.alpha}, ${r.beta}); pairs ${r.pairs}`);
  lines.push("");
  lines.push(`  standard loss        ${fmt(r.standardLoss as number, 12)}`);
  if (mix.method === "monte-carlo") {
    lines.push(`  Mixup loss           ${fmt(mix.value as number, 8)}   ${ciText(mix)}  (monte-carlo, ${mix.samples} samples)`);
    lines.push(`  label-free rewrite   ${fmt(rw.value as number, 8)}   ${ciText(rw)}`);
  } else {
    lines.push(`  Mixup loss           ${fmt(mix.value as number, 12)}   ± ${fmt(mix.errorEstimate as number, 2)}  (${mix.method}, ${mix.nodes} pair-nodes)`);
    lines.push(`  label-free rewrite   ${fmt(rw.value as number, 12)}   ± ${fmt(rw.errorEstimate as number, 2)}  (difference ${fmt(rw.difference as number, 2)})`);
  }
  const num = (k: string) => t[k] as number | null;
  lines.push("");
  lines.push(`  Lemma 3.1 (all n² pairs)   m1 = ${fmt(num("m1"))}, m2 = ${fmt(num("m2"))}`);
  lines.push(`  R1                   ${fmt(num("R1"), 12)}`);
  lines.push(`  R2                   ${fmt(num("R2"), 12)}`);
  lines.push(`  R3                   ${fmt(num("R3"), 12)}`);
  lines.push(`  approx               ${fmt(num("approx"), 12)}   (standard loss + R1 + R2 + R3)`);
  if (mix.method === "monte-carlo") {
    const ci = t.remainderCi95 as number[] | null;
    const ciText = ci ? `95% CI [${fmt(ci[0], 3)}, ${fmt(ci[1], 3)}]` : "95% CI —";
    lines.push(`  remainder            ${fmt(num("remainder"), 8)}   ${ciText}  (from the Monte Carlo estimate)`);
  } else {
    lines.push(`  remainder            ${fmt(num("remainder"), 8)}   ± ${fmt(num("remainderError"), 2)}  (remainder/R2 = ${fmt(num("remainderOverR2"), 4)})`);
  }
  for (const [k, v] of Object.entries(t)) if (k.endsWith("Reason")) lines.push(`  ${k.slice(0, -6)}: ${v as string}`);
  if (t.pairsNote) lines.push(`  note: the remainder refers to all n² ordered pairs (L_all = ${fmt(num("mixupLossAllPairs"), 12)})`);
  return lines.join("\n") + "\n";
}
