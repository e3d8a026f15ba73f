import type { Command } from "commander";
import type { Dataset } from "../core/dataset.js";
import { InputError } from "../core/errors.js";
import { Rng } from "../core/rng.js";
import { toCsv } from "../figures/csv.js";
import { generalizationReport, reluFeatures, type GeneralizationReport } from "../generalization/index.js";
import { checkLabels, family as familyOf, isLossName } from "../losses/index.js";
import type { ScalarFamily } from "../losses/types.js";
import { checkModelData } from "../models/index.js";
import type { Model } from "../models/types.js";
import { asOption, checkWritableDir, parseNonNegativeInt, parseNumberList, parsePositive, parsePositiveInt, parseShape, withProgress, writeFileAtomic } from "./io/index.js";
import { fmt, packageVersion, stringifyStrict } from "./json.js";
import { addDataOptions, dataSource, datasetJson, loadData, readModelFile, type DataOptions } from "./load.js";
import { basename, dirname } from "node:path";

interface GeneralizationCliOptions extends DataOptions {
  model?: string;
  gamma: number;
  thetaBound: number;
  loss?: string;
  features?: string;
  samples: number;
  starts: number;
  alpha?: number;
  beta?: number;
  gammaGrid?: number[];
  nGrid?: number[];
  csv?: string;
  workers?: number;
  json?: boolean;
  quiet?: boolean;
}

const SCALAR_LOSSES = ["logistic", "squared", "poisson"] as const;

/** `mixup-theory generalization`: Section 4 on a data set (docs/cli.md; docs/theory.md §4). */
export function registerGeneralization(program: Command, out: (s: string) => void): void {
  const cmd = program
    .command("generalization")
    .description("Section 4: rank, ρ-retentiveness, Rademacher complexities (ellipsoid, ridge, W_γ), Theorem 4.1/4.2's bound, the regularizer forms");
  addDataOptions(cmd)
    .option("--seed <s>", "seed of ρ's starts (fork 1), the sign vectors (fork 2), the ReLU features (fork 3) and a --dataset (fork 12)", asOption("--seed", parseNonNegativeInt), 0)
    .option("--model <file>", "a linear model JSON: its loss, and (with --alpha) the regularizer forms at it")
    .requiredOption("--gamma <g>", "γ > 0 of the class W_γ(B) = {‖θ‖ ≤ B, E[A''(θᵀx)]·θᵀΣ̂θ ≤ γ}", asOption("--gamma", parsePositive))
    .requiredOption("--theta-bound <B>", "B > 0: the norm ball of W_γ(B) and of ρ(B)", asOption("--theta-bound", parsePositive))
    .option("--loss <name>", "logistic | squared | poisson (default logistic; with --model its loss)")
    .option("--features <spec>", "relu:m: Theorem 4.2, on fixed random features φ(x) = relu(Wx), W ~ N(0, 1/d), m × d")
    .option("--samples <N>", "sign vectors of the Monte Carlo", asOption("--samples", parsePositiveInt), 1000)
    .option("--starts <k>", "starts of the search for ρ", asOption("--starts", parsePositiveInt), 8)
    .option("--alpha <a>", "with --model: Beta(α, β) of the regularizer forms", asOption("--alpha", parseShape))
    .option("--beta <b>", "β > 0 (default: α)", asOption("--beta", parseShape))
    .option("--gamma-grid <list>", "sweep γ over these values (to --csv)", (v: string) => parseNumberList("--gamma-grid", v, "positive"))
    .option("--n-grid <list>", "sweep n over these values: the first n rows (to --csv)", (v: string) => parseNumberList("--n-grid", v, "positive"))
    .option("--csv <file>", "with --gamma-grid or --n-grid: the sweep's table")
    .option("--workers <w>", "worker threads for the exact L_mix of the regularizer forms", asOption("--workers", parsePositiveInt))
    .option("--json", "print one JSON object")
    .option("--quiet", "no progress line on stderr")
    .action(async (o: GeneralizationCliOptions) => {
      out(await generalizationCommand(o));
    });
}

/** `relu:m` → m. */
export function parseFeatures(spec: string): number {
  const m = /^relu:(\d+)$/.exec(spec);
  const width = m ? Number(m[1]) : NaN;
  if (!(Number.isSafeInteger(width) && width >= 1 && width <= 100_000)) {
    throw new InputError("--features", `--features: "${spec}" is not relu:m with m an integer in [1, 100000] (e.g. relu:64)`);
  }
  return width;
}

/** The first n rows of ds. */
function head(ds: Dataset, n: number): Dataset {
  return { ...ds, n, X: ds.X.subarray(0, n * ds.d), y: ds.y.subarray(0, n * ds.K) };
}

export async function generalizationCommand(o: GeneralizationCliOptions): Promise<string> {
  const sweep = o.gammaGrid !== undefined || o.nGrid !== undefined;
  if (sweep && o.csv === undefined) throw new InputError("--csv", "--csv: required with --gamma-grid or --n-grid (the sweep's table)");
  if (!sweep && o.csv !== undefined) throw new InputError("--csv", "--csv: only with --gamma-grid or --n-grid");
  if (o.alpha !== undefined && o.model === undefined) throw new InputError("--alpha", "--alpha: only with --model (the regularizer forms are at a model)");
  if (o.beta !== undefined && o.alpha === undefined) throw new InputError("--beta", "--beta: only with --alpha");
  let model: Model | undefined;
  let lossName = o.loss ?? "logistic";
  if (o.model !== undefined) {
    model = readModelFile(o.model);
    // the model's JSON names its loss; --loss may repeat it, never contradict it
    if (o.loss !== undefined && o.loss !== model.loss) {
      throw new InputError("--loss", `--loss: ${o.loss} disagrees with the loss of ${o.model} (${model.loss}); give one or the other`);
    }
    if (model.kind !== "linear" || model.K !== 1) throw new InputError(o.model, `${o.model}: Section 4 is about linear GLMs: the model must be linear with one output`);
    lossName = model.loss;
  }
  if (!isLossName(lossName) || !(SCALAR_LOSSES as readonly string[]).includes(lossName)) {
    throw new InputError(o.model ?? "--loss", `${o.model ?? "--loss"}: "${lossName}" is not one of ${SCALAR_LOSSES.join(", ")} (Section 4's GLMs)`);
  }
  const family = familyOf(lossName) as ScalarFamily;
  const m = o.features !== undefined ? parseFeatures(o.features) : null;
  if (m !== null && model !== undefined) throw new InputError("--features", "--features: not with --model (the model's θ lives on the raw features)");
  if (o.nGrid) for (const n of o.nGrid) if (!Number.isSafeInteger(n)) throw new InputError("--n-grid", `--n-grid: ${n} is not an integer`);
  if (o.csv !== undefined) checkWritableDir(dirname(o.csv), [basename(o.csv)], "--csv");
  const loaded = loadData(o, "scalar");
  let ds = loaded.train;
  if (model !== undefined) {
    checkModelData(model, ds.d, o.model!);
    checkLabels(family, ds.y, ds.n, ds.K, loaded.labelSource);
  }
  const rng = new Rng(o.seed ?? 0);
  if (m !== null) ds = reluFeatures(ds, m, rng.fork(3)).data;
  if (o.nGrid) for (const n of o.nGrid) if (n > ds.n) throw new InputError("--n-grid", `--n-grid: ${n} exceeds the ${ds.n} rows of ${dataSource(o)}`);
  const theorem = m === null ? ("4.1" as const) : ("4.2" as const);
  const base = { family, thetaBound: o.thetaBound, samples: o.samples, starts: o.starts, theorem, workers: o.workers };
  return withProgress("generalization", { quiet: o.quiet === true }, async (bar) => {
    bar.stage("generalization (rank, ρ, Rademacher)");
    const report = await generalizationReport(ds, { ...base, gamma: o.gamma, rng, model, alpha: o.alpha, beta: o.beta });
    let sweepRows: Array<Record<string, number | null>> | null = null;
    if (sweep) {
      sweepRows = [];
      const ns = o.nGrid ?? [ds.n];
      const gs = o.gammaGrid ?? [o.gamma];
      bar.stage("generalization (sweep)", ns.length * gs.length);
      for (const n of ns) {
        for (const g of gs) {
          const r = await generalizationReport(head(ds, n), { ...base, gamma: g, rng });
          sweepRows.push(sweepRow(r));
          bar.tick(sweepRows.length);
          await bar.pause();
        }
      }
      writeFileAtomic(o.csv!, toCsv(SWEEP_COLUMNS, sweepRows));
    }
    const extra = {
      ...(m !== null ? { features: { kind: "relu", m, seed: o.seed ?? 0, stream: 3 } } : {}),
      ...(sweep ? { sweep: { file: o.csv, rows: sweepRows!.length } } : {}),
      ...datasetJson(loaded.dataset, o.seed),
    };
    if (o.json) return stringifyStrict({ version: packageVersion(), loss: family.name, ...report, ...extra }) + "\n";
    return table(report, family.name, o, m);
  });
}

const SWEEP_COLUMNS = ["n", "gamma", "rank", "rho", "ellipsoid", "ellipsoidLo", "ellipsoidHi", "ridge", "wGamma", "bound", "ridgeBound"];

function sweepRow(r: GeneralizationReport): Record<string, number | null> {
  return {
    n: r.n,
    gamma: r.gamma,
    rank: r.rank,
    rho: r.rho.value,
    ellipsoid: r.rademacher.ellipsoid.value,
    ellipsoidLo: r.rademacher.ellipsoid.ci95[0],
    ellipsoidHi: r.rademacher.ellipsoid.ci95[1],
    ridge: r.rademacher.ridge.value,
    wGamma: r.rademacher.wGamma.value,
    bound: r.bound.value,
    ridgeBound: r.ridgeBound,
  };
}

function table(r: GeneralizationReport, loss: string, o: GeneralizationCliOptions, m: number | null): string {
  const ci = (x: { value: number | null; ci95?: [number, number] }) => (x.value === null ? "—" : `${fmt(x.value)}  [${fmt(x.ci95![0])}, ${fmt(x.ci95![1])}]`);
  const lines = [
    `mixup-theory ${packageVersion()} — generalization (Section 4, ${loss}; Theorem ${r.bound.theorem}${m !== null ? `, relu features m = ${m}` : ""})`,
    `data n = ${r.n}, d = ${r.d}, rank ${r.rank} (numpy's rule); γ = ${r.gamma}, B = ${r.thetaBound}`,
    "",
    `  ρ(B) ≈ ${fmt(r.rho.value)}${r.rho.capped ? " (capped at ½)" : ""}   (${r.rho.note})`,
    `  Rademacher (Monte Carlo, 95% interval):`,
    `    ellipsoid θᵀΣ̂θ ≤ s* = ${fmt(r.bound.s)}   ${ci(r.rademacher.ellipsoid)}`,
    `    ridge ‖θ‖² ≤ γ                ${ci(r.rademacher.ridge)}`,
    `    W_γ(B), lower estimate        ${r.rademacher.wGamma.value === null ? `— (${(r.rademacher.wGamma as { reason: string }).reason})` : ci(r.rademacher.wGamma)}`,
    `  Theorem ${r.bound.theorem} bound max{(γ/ρ)^¼, (γ/ρ)^½}·√(rank/n) = ${fmt(r.bound.value)}`,
    `  ridge bound √(γ·tr Σ̂/n) = ${fmt(r.ridgeBound)}`,
  ];
  if (r.regularizer) {
    const g = r.regularizer;
    lines.push(`  regularizer forms at ${o.model} (α = ${o.alpha}, β = ${o.beta ?? o.alpha}):`);
    lines.push(`    L_mix − L_std (exact) ${fmt(g.exactGap)}   R2 ${fmt(g.R2)}   simplified ${g.simplified === null ? `— (${g.factorReason})` : fmt(g.simplified)}`);
  }
  if (o.csv) lines.push("", `  wrote ${o.csv}`);
  return lines.join("\n") + "\n";
}
