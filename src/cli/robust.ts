import type { Command } from "commander";
import { InputError } from "../core/errors.js";
import { Rng } from "../core/rng.js";
import {
  ATTACKS,
  NORMS,
  PGD_DEFAULTS,
  adversarialRadius,
  isAttackName,
  isNorm,
  robustCurve,
  type AttackName,
  type Norm,
  type RobustRow,
} from "../robustness/index.js";
import { asOption, parseNonNegativeInt, parseNumberList, parsePositive, parsePositiveInt, progress } from "./io/index.js";
import { fmt, packageVersion, stringifyStrict } from "./json.js";
import { addDataOptions, datasetJson, loadProblemFrom, type DataOptions } from "./load.js";

interface RobustOptions extends DataOptions {
  model: string;
  eps: number[];
  attack: string;
  norm: string;
  steps?: number;
  stepSize?: number;
  restarts?: number;
  seed: number;
  json?: boolean;
  quiet?: boolean;
}

/** The stream of the PGD starts below `--seed`: Rng(seed).fork(ROBUST_STREAM).fork(epsStreamId(ε)).fork(row). */
export const ROBUST_STREAM = 1;

const RADIUS_RULE: Record<Norm, string> = {
  inf: "ℓ∞ ball of radius ε",
  "2": "ℓ2 ball of radius ε√d (it contains the ℓ∞ ball of radius ε)",
};

const FGSM_NOTE: Record<Norm, string> = {
  inf: "FGSM: x + ε·sign(∇ₓl), one step",
  "2": "FGSM with --norm 2 is the normalized-gradient step x + ε√d·∇ₓl/‖∇ₓl‖₂ (fast gradient method), one step",
};

/** `mixup-theory robust`: robust loss and accuracy under FGSM / PGD over a grid of ε, with exact and certified values. */
export function registerRobust(program: Command, out: (s: string) => void): void {
  const cmd = program
    .command("robust")
    .description("robust loss and accuracy under FGSM / PGD over a grid of ε (paper §3), with the exact and certified worst case");
  addDataOptions(cmd)
    .requiredOption("--model <file>", "model JSON (kind linear or relu2)")
    .requiredOption(
      "--eps <list>",
      "comma-separated ε ≥ 0, the paper's ε (ℓ∞ radius ε, ℓ2 radius ε√d), e.g. 0,0.01,0.05,0.1",
      asOption("--eps", (n, v) => parseNumberList(n, v, "nonNegative")),
    )
    .option("--attack <a>", "fgsm | pgd", "pgd")
    .option("--norm <n>", "inf (radius ε) | 2 (radius ε√d)", "inf")
    .option("--steps <N>", `PGD steps per restart (default ${PGD_DEFAULTS.steps})`, asOption("--steps", parsePositiveInt))
    .option("--step-size <s>", "PGD step length (default 2.5·radius/steps at each ε)", asOption("--step-size", parsePositive))
    .option("--restarts <R>", `PGD random starts (default ${PGD_DEFAULTS.restarts})`, asOption("--restarts", parsePositiveInt))
    .option("--seed <s>", "seed of the PGD random starts", asOption("--seed", parseNonNegativeInt), 0)
    .option("--json", "print one JSON object")
    .option("--quiet", "no progress line on stderr")
    .addHelpText(
      "after",
      "\nε is the paper's ε: the ℓ∞ radius is ε and the ℓ2 radius ε√d; every row states its radius.\n" +
        "robustLoss is a lower bound on the worst-case loss, certifiedUpper an upper bound; exactLoss is the\n" +
        "worst case itself where a closed form exists (linear models with a scalar loss).",
    )
    .action(async (o: RobustOptions) => {
      out(await robustCommand(o));
    });
}

function checkOptions(o: RobustOptions): { attack: AttackName; norm: Norm } {
  if (!isAttackName(o.attack)) throw new InputError("--attack", `--attack: "${o.attack}" is not one of ${ATTACKS.join(", ")}`);
  if (!isNorm(o.norm)) throw new InputError("--norm", `--norm: "${o.norm}" is not one of ${NORMS.join(", ")}`);
  if (o.attack === "fgsm") {
    for (const [flag, v] of [["--steps", o.steps], ["--step-size", o.stepSize], ["--restarts", o.restarts]] as const) {
      if (v !== undefined) throw new InputError(flag, `${flag}: not used with --attack fgsm (one step of length the radius)`);
    }
  }
  return { attack: o.attack, norm: o.norm };
}

export async function robustCommand(o: RobustOptions): Promise<string> {
  const { attack, norm } = checkOptions(o);
  const { ds, model, family, dataset } = loadProblemFrom(o, o.model);
  for (const eps of o.eps) {
    const r = adversarialRadius(eps, ds.d, norm);
    if (!Number.isFinite(2.5 * r + Math.abs(eps))) {
      throw new InputError("--eps", `--eps: ε = ${eps} gives a radius ${r} that overflows float64 (d = ${ds.d})`);
    }
  }
  const steps = o.steps ?? PGD_DEFAULTS.steps;
  const restarts = o.restarts ?? PGD_DEFAULTS.restarts;
  // one ε at a time, for the progress line: a row depends only on (seed, ε), so this is robustCurve(…, o.eps, …)
  const rows: RobustRow[] = [];
  // one bar per ε, over the data rows the attack has reached: "robust 2/5 (ε = 0.1) [####----] 40%"
  const bar = progress("robust", { quiet: o.quiet, percent: true });
  try {
    for (const [k, eps] of o.eps.entries()) {
      bar.stage(`robust ${k + 1}/${o.eps.length} (ε = ${eps})`, ds.n);
      rows.push(
        ...robustCurve(ds, model, family, [eps], {
          attack,
          norm,
          steps,
          stepSize: o.stepSize,
          restarts,
          rng: new Rng(o.seed).fork(ROBUST_STREAM),
          onRow: (i) => bar.tick(i),
        }),
      );
      bar.tick(ds.n);
      await bar.pause();
    }
  } finally {
    bar.end();
  }
  const attackFields: Record<string, unknown> =
    attack === "pgd"
      ? {
          steps,
          restarts,
          ...(o.stepSize !== undefined
            ? { stepSize: o.stepSize }
            : { stepSize: null, stepSizeReason: `default 2.5·radius/steps, so it varies by row: rows[k].stepSize` }),
        }
      : { attackNote: FGSM_NOTE[norm] };
  const report = {
    version: packageVersion(),
    n: ds.n,
    d: ds.d,
    loss: family.name,
    lossNote: family.note,
    model: model.kind === "linear" ? "linear" : `relu2 (${model.activation}, m = ${model.m})`,
    K: model.K,
    attack,
    norm,
    radiusRule: RADIUS_RULE[norm],
    seed: o.seed,
    ...attackFields,
    rows,
    ...datasetJson(dataset, o.seed),
  };
  if (o.json) return stringifyStrict(report) + "\n";
  return robustTable(report, rows);
}

function robustTable(r: Record<string, unknown>, rows: RobustRow[]): string {
  const lines: string[] = [];
  const attackText =
    r.attack === "pgd"
      ? `pgd (${r.steps} steps, step ${r.stepSize === null ? "2.5·radius/steps" : String(r.stepSize)}, ${r.restarts} restart${r.restarts === 1 ? "" : "s"}, seed ${r.seed})`
      : String(r.attackNote);
  lines.push(`mixup-theory ${r.version} — robust (${r.loss}; ${r.lossNote})`);
  lines.push(`data n = ${r.n}, d = ${r.d}; model ${r.model}; ${r.radiusRule}`);
  lines.push(`attack ${attackText}`);
  lines.push("");
  const w = [12, 12, 12, 16, 16, 18];
  const head = ["eps", "radius", "robust acc", "robust loss", "exact loss", "certified upper"];
  lines.push(head.map((h, k) => h.padStart(w[k])).join(""));
  const reasons = new Map<string, string>();
  for (const row of rows) {
    const cells = [fmt(row.eps), fmt(row.radius), fmt(row.robustAccuracy), fmt(row.robustLoss, 10), fmt(row.exactLoss, 10), fmt(row.certifiedUpper, 10)];
    lines.push(cells.map((c, k) => c.padStart(w[k])).join(""));
    for (const key of ["robustAccuracy", "robustLoss", "exactLoss", "certifiedUpper"] as const) {
      const why = row[`${key}Reason`];
      if (why !== undefined && !reasons.has(key)) reasons.set(key, why);
    }
  }
  lines.push("");
  lines.push("  robust loss ≤ worst case ≤ certified upper; exact loss is the worst case where a closed form exists");
  const names: Record<string, string> = {
    robustAccuracy: "robust acc",
    robustLoss: "robust loss",
    exactLoss: "exact loss",
    certifiedUpper: "certified upper",
  };
  for (const [k, why] of reasons) lines.push(`  ${names[k]} —: ${why}`);
  return lines.join("\n") + "\n";
}
