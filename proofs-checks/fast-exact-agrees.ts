/**
 * fast-exact-agrees (beyond; issue 6, docs/numerics.md "The O(n) paths for linear GLMs"): the O(n) exact
 * paths of a linear GLM compute the same numbers as the all-pairs sums.
 *  - Per λ node, the convolution pair sum T(λ) = (1/n²) Σ_{i,j} l(λz_i + (1−λ)z_j, ỹ_ij) (grid step and order
 *    of a 1e-12 request) against the all-pairs sum with Neumaier compensation, to 1e-12 relative, on
 *    logistic (|z| ~ 3, large margins |z| ~ 100s, two clusters with separated classes), Poisson and squared
 *    scores; n up to 2,000 in --quick and 20,000 in the full run (one node there: 4·10⁸ pairs).
 *  - The squared loss's closed form against the all-pairs quadrature, within their error estimates.
 * Negative control: a grid 6× too coarse, and order p = 4 instead of 12: both must miss 1e-12.
 */
import { makeDataset } from "../src/core/dataset.js";
import type { Rng } from "../src/core/rng.js";
import { family } from "../src/losses/index.js";
import { gaussJacobi } from "../src/mixing/jacobi.js";
import { linearModel } from "../src/models/index.js";
import { closedFormMixupLoss, exactMixupLoss } from "../src/mixup/index.js";
import { addPairRows, chooseDelta, ConvolutionPairSums, pairSumValue, type LabelMode, type ScalarName } from "../src/mixup/convolution/index.js";
import type { Check, CheckOptions } from "../src/verify/types.js";
import { outcome, r6, step } from "./util.js";

const REL = 1e-12;

interface Scores {
  name: string;
  loss: ScalarName;
  z: Float64Array;
  y: Float64Array;
}

/** Scores and labels of one instance kind (all draws from rng). */
function scores(rng: Rng, kind: "logistic" | "margin" | "clustered" | "poisson" | "squared", n: number): Scores {
  const z = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (kind === "logistic") {
      z[i] = 3 * rng.normal();
      y[i] = rng.uniform() < 1 / (1 + Math.exp(-z[i])) ? 1 : 0;
    } else if (kind === "margin") {
      y[i] = rng.int(2);
      z[i] = (2 * y[i] - 1) * (20 + 200 * rng.uniform());
    } else if (kind === "clustered") {
      y[i] = i % 2;
      z[i] = (2 * y[i] - 1) * 40 + 0.01 * rng.normal();
    } else if (kind === "poisson") {
      z[i] = 0.8 * rng.normal();
      y[i] = rng.int(5);
    } else {
      z[i] = 4 * rng.normal();
      y[i] = z[i] + rng.normal();
    }
  }
  const loss: ScalarName = kind === "poisson" ? "poisson" : kind === "squared" ? "squared" : "logistic";
  return { name: kind, loss, z, y };
}

interface Plan {
  kind: "logistic" | "margin" | "clustered" | "poisson" | "squared";
  n: number;
  nodes: number;
}

function plans(quick: boolean): Plan[] {
  if (quick) {
    return [
      { kind: "logistic", n: 2000, nodes: 2 },
      { kind: "margin", n: 1000, nodes: 2 },
      { kind: "clustered", n: 1000, nodes: 2 },
      { kind: "poisson", n: 1000, nodes: 2 },
      { kind: "squared", n: 1000, nodes: 1 },
    ];
  }
  return [
    { kind: "logistic", n: 20000, nodes: 1 },
    { kind: "logistic", n: 3000, nodes: 4 },
    { kind: "margin", n: 3000, nodes: 2 },
    { kind: "clustered", n: 3000, nodes: 2 },
    { kind: "poisson", n: 3000, nodes: 2 },
    { kind: "squared", n: 3000, nodes: 2 },
  ];
}

/**
 * The nodes: the first is λ = 1/2 (the densest pair sums), then nodes of the 8-point Beta(0.2, 0.2) and
 * Beta(2, 0.5) rules, including the one next to 0 (a grid squeezed to a few bins).
 */
function lambdas(k: number): Array<[number, number]> {
  const a = gaussJacobi(8, 0.2, 0.2);
  const b = gaussJacobi(8, 2, 0.5);
  const all: Array<[number, number]> = [[0.5, 0.5], [a.x[0], a.y[0]], [b.x[5], b.y[5]], [a.x[2], a.y[2]]];
  return all.slice(0, k);
}

/** Pair terms per progress step of the O(n²) reference sum (about 0.1 s of work). */
const PAIRS_PER_STEP = 2_000_000;

/**
 * allPairsNodeSum (the compensated all-pairs sum) cut into blocks of rows, with a progress step between
 * blocks: the same terms in the same order, so the same bytes; at n = 20,000 one node is 4·10⁸ terms.
 */
async function allPairsReference(opts: CheckOptions, what: string, s: Scores, lam: number, om: number, mode: LabelMode): Promise<number> {
  const n = s.z.length;
  const rows = Math.max(1, Math.floor(PAIRS_PER_STEP / n));
  const acc = { s: 0, c: 0 };
  for (let i0 = 0; i0 < n; i0 += rows) {
    await step(opts, what, i0, n);
    addPairRows(s.z, s.y, s.loss, lam, om, mode, i0, Math.min(n, i0 + rows), acc);
  }
  return pairSumValue(acc, n);
}

async function nodeSums(rng: Rng, opts: CheckOptions, wrong?: { deltaFactor?: number; p?: number }) {
  const margins: number[] = [];
  const rows: unknown[] = [];
  for (const plan of plans(opts.quick)) {
    // the control needs no large n to fail
    const n = wrong ? Math.min(plan.n, 400) : plan.n;
    const s = scores(rng.fork(rows.length + 1), plan.kind, n);
    let lo = Infinity, hi = -Infinity;
    for (const v of s.z) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const p = wrong?.p ?? 12;
    const delta = chooseDelta(s.loss, 12, REL / 32, hi - lo) * (wrong?.deltaFactor ?? 1);
    const S = new ConvolutionPairSums(s.z, s.y, s.loss, { delta, p });
    for (const [lam, om] of lambdas(plan.nodes)) {
      for (const mode of (plan.kind === "logistic" || plan.kind === "squared" ? ["labelled"] : ["labelled", "label-i"]) as LabelMode[]) {
        const c = S.at(lam, om, mode);
        const ref = await allPairsReference(opts, `all-pairs sums, ${s.name}, n = ${n}`, s, lam, om, mode);
        const diff = Math.abs(c.value - ref);
        const allowed = REL * Math.max(c.abs, Math.abs(ref));
        margins.push((allowed - diff) / allowed);
        rows.push({ instance: s.name, n, lambda: r6(lam), mode, delta: r6(delta), p, convolution: c.value, allPairs: ref, relDiff: r6(diff / Math.max(c.abs, Math.abs(ref))), errEstimate: r6(c.err) });
      }
    }
  }
  return { margins, rows };
}

async function closedForm(rng: Rng, opts: CheckOptions) {
  const margins: number[] = [];
  const rows: unknown[] = [];
  const n = opts.quick ? 40 : 120;
  for (const [a, b] of [[1, 1], [0.2, 0.2], [2, 0.5], [0.05, 50]] as Array<[number, number]>) {
    const r = rng.fork(rows.length + 100);
    const d = 3;
    const X = Float64Array.from({ length: n * d }, () => r.normal());
    const theta = Float64Array.from({ length: d }, () => 2 * r.normal());
    const y = Float64Array.from({ length: n }, () => r.normal() * 3);
    const ds = makeDataset(X, y, n, d);
    const model = linearModel({ theta, bias: [0.5], loss: "squared" });
    for (const pairs of ["all", "distinct"] as const) {
      await step(opts, "squared closed form", rows.length, 8);
      const cf = closedFormMixupLoss(ds, model, family("squared"), a, b, { pairs });
      const ex = exactMixupLoss(ds, model, family("squared"), a, b, { tol: 1e-12, pairs });
      const diff = Math.abs(cf.value - ex.value);
      const allowed = cf.errorEstimate + ex.errorEstimate;
      margins.push((allowed - diff) / allowed);
      rows.push({ instance: "squared closed form", n, alpha: a, beta: b, pairs, closedForm: cf.value, allPairs: ex.value, diff, allowed });
    }
  }
  return { margins, rows };
}

export const fastExactAgrees: Check = {
  id: "fast-exact-agrees",
  tag: "beyond",
  statement:
    "For a linear model with a scalar loss, the convolution pair sum at each λ node equals the compensated all-pairs sum to 1e-12 relative (logistic incl. large margins and separated clusters, Poisson, squared; n to 20,000), and the squared loss's closed form equals the all-pairs quadrature within their error estimates.",
  control: "a grid 6× too coarse, and spreading order p = 4 instead of 12: each must miss 1e-12",
  async run(rng, opts) {
    const a = await nodeSums(rng.fork(1), opts);
    const b = await closedForm(rng.fork(2), opts);
    const worstRel = Math.max(...a.rows.map((r) => (r as { relDiff: number }).relDiff));
    return outcome([...a.margins, ...b.margins], { nodeSums: a.rows, closedForm: b.rows, summary: `largest relative node difference ${r6(worstRel)} (allowed ${REL})` });
  },
  async negativeControl(rng, opts) {
    const coarse = await nodeSums(rng.fork(1), opts, { deltaFactor: 6 });
    const low = await nodeSums(rng.fork(1), opts, { p: 4 });
    // the control "passes" (the check could not fail) if either wrong variant still meets 1e-12 everywhere
    const c = outcome(coarse.margins, { coarse: coarse.rows });
    const l = outcome(low.margins, { lowOrder: low.rows });
    return { instances: c.instances + l.instances, worstMargin: Math.max(c.worstMargin, l.worstMargin), passed: c.passed || l.passed, details: { coarse: c.details, lowOrder: l.details } };
  },
};
