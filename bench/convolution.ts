/**
 * `npm run bench` (after run.js and taylor.js): the O(n) exact Mixup loss of linear GLMs (issue 6;
 * docs/numerics.md, "The O(n) paths for linear GLMs"). n = 10⁶ rows, d = 10, (α, β) = (1, 1), (0.2, 0.2),
 * (2, 0.5), tol 1e-10: the library call `mixupLoss(…, { method: "auto" })` timed (best of 3 after a warm-up
 * run), for the logistic (convolution), Poisson (convolution) and squared (closed form) losses. Baseline:
 * the all-pairs quadrature on an n_s = 1500-row subsample, its pair throughput extrapolated to the n² pairs
 * of the full data. Also the loss with its θ-gradient (convolutionMixupGrad, closedFormMixupGrad) and its
 * ratio to the loss alone. Never run by the tests; numbers are for reading.
 */
import { makeDataset, type Dataset } from "../src/core/dataset.js";
import { Rng } from "../src/core/rng.js";
import { family as familyOf } from "../src/losses/index.js";
import type { LossName } from "../src/losses/types.js";
import { linearModel } from "../src/models/index.js";
import type { Model } from "../src/models/types.js";
import { exactMixupLossParallel, mixupLoss } from "../src/mixup/index.js";
import { closedFormMixupGrad, convolutionMixupGrad } from "../src/mixup/convolution/grad.js";

const N = 1_000_000;
const D = 10;
const SUB = 1500;
const TOL = 1e-10;
const SHAPES: Array<[number, number]> = [
  [1, 1],
  [0.2, 0.2],
  [2, 0.5],
];

/** x ~ N(0, I_d); θ ~ N(0, s²I) (z = θᵀx has sd ≈ s·√d); labels from the model's own law. */
function problem(loss: Exclude<LossName, "softmax">, n: number, s: number): { ds: Dataset; model: Model } {
  const rng = new Rng(6);
  const theta = Float64Array.from({ length: D }, () => s * rng.normal());
  const X = new Float64Array(n * D);
  for (let i = 0; i < n * D; i++) X[i] = rng.normal();
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = 0.1;
    for (let k = 0; k < D; k++) z += theta[k] * X[i * D + k];
    if (loss === "logistic") y[i] = rng.uniform() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    else if (loss === "poisson") {
      // Poisson(e^z) by inversion (rates here are below ~50)
      const mu = Math.exp(z);
      let k = 0, p = Math.exp(-mu), c = p;
      const u = rng.uniform();
      while (u > c && k < 1000) {
        k++;
        p *= mu / k;
        c += p;
      }
      y[i] = k;
    } else y[i] = z + rng.normal();
  }
  return { ds: makeDataset(X, y, n, D), model: linearModel({ theta, bias: [0.1], loss }) };
}

function subsample(ds: Dataset, m: number): Dataset {
  return makeDataset(ds.X.slice(0, m * ds.d), ds.y.slice(0, m), m, ds.d);
}

async function main(): Promise<void> {
  console.log(`exact Mixup loss of linear GLMs at n = ${N}, d = ${D}, tol ${TOL} (library call mixupLoss, method auto; best of 3)`);
  const cases: Array<[Exclude<LossName, "softmax">, number]> = [
    ["logistic", 1],
    ["poisson", 0.25],
    ["squared", 1],
  ];
  for (const [loss, s] of cases) {
    const { ds, model } = problem(loss, N, s);
    const fam = familyOf(loss);
    for (const [a, b] of SHAPES) {
      await mixupLoss(ds, model, fam, a, b, { method: "auto", tol: TOL });
      let best = Infinity;
      let r: Awaited<ReturnType<typeof mixupLoss>> | undefined;
      for (let rep = 0; rep < 3; rep++) {
        const t0 = performance.now();
        r = await mixupLoss(ds, model, fam, a, b, { method: "auto", tol: TOL });
        best = Math.min(best, (performance.now() - t0) / 1000);
      }
      if (r === undefined || r.method === "monte-carlo") throw new Error("expected an exact method");
      // baseline: all pairs on the subsample, pair throughput → n² pairs
      const sub = subsample(ds, SUB);
      const t1 = performance.now();
      await exactMixupLossParallel(sub, model, fam, a, b, { tol: TOL });
      const ts = (performance.now() - t1) / 1000;
      const perPair = ts / ((SUB * (SUB + 1)) / 2);
      const extrapolated = perPair * ((N * (N + 1)) / 2);
      const extra = "grid" in r && r.grid ? `, Δ = ${r.grid.delta.toPrecision(3)}, p = ${r.grid.p}, ${r.grid.bins} bins` : "";
      // the θ-gradient with the loss (convolutionMixupGrad / closedFormMixupGrad), best of 3 after a warm-up
      const gradFn = loss === "squared" ? closedFormMixupGrad : convolutionMixupGrad;
      gradFn(ds, model, fam, a, b, { tol: TOL });
      let bestGrad = Infinity;
      let g: ReturnType<typeof gradFn> | undefined;
      for (let rep = 0; rep < 3; rep++) {
        const t0 = performance.now();
        g = gradFn(ds, model, fam, a, b, { tol: TOL });
        bestGrad = Math.min(bestGrad, (performance.now() - t0) / 1000);
      }
      console.log(
        `  ${loss.padEnd(8)} (α, β) = (${a}, ${b}): loss + ∇θ ${bestGrad.toFixed(3)} s (${(bestGrad / best).toFixed(2)}× the loss), gradErrorEstimate ${g!.gradErrorEstimate.toExponential(1)} of max|∇| ${Math.max(...Array.from(g!.grad, Math.abs)).toExponential(2)}`,
      );
      console.log(
        `  ${loss.padEnd(8)} (α, β) = (${a}, ${b}): ${best.toFixed(3)} s  ${r.method}, value ${r.value.toPrecision(14)} ± ${r.errorEstimate.toExponential(1)}` +
          ` (${r.nodes} λ-nodes${extra}); all pairs ≈ ${(extrapolated / 3600).toExponential(2)} h extrapolated (${(1 / perPair).toExponential(2)} pairs/s on ${SUB} rows)`,
      );
    }
  }
}

await main();
