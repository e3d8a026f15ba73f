/**
 * The θ-gradient of the exact all-pairs Mixup loss (docs/numerics.md): chunks of grad.ts folded in chunk
 * order, in this thread (exactMixupGrad) or on the kept worker threads (exactMixupGradParallel), the same
 * bytes either way.
 */
import { EPS } from "../../core/constants.js";
import type { Dataset } from "../../core/dataset.js";
import { Neumaier } from "../../core/sum.js";
import type { Family } from "../../losses/types.js";
import { paramCount } from "../../models/params.js";
import type { Model } from "../../models/types.js";
import type { MixupForm } from "../components.js";
import { checkPairMagnitudes } from "../magnitude.js";
import { runChunkPlan } from "../pairJobs.js";
import { GradIntegrator, type GradChunk } from "./grad.js";
import { makeExactProblem, type PairProblem, type PairProblemOptions, type PairsMode } from "./problem.js";
import { chunkPlan } from "./rows.js";

/** The exact all-pairs Mixup loss and its θ-gradient, with error bounds. */
export interface MixupGradResult {
  /** L_mix: the same quantity as exactMixupLoss (integrated on this path's own nodes) */
  value: number;
  /** ∇_θ L_mix in getParams order, length paramCount(model) */
  grad: Float64Array;
  /** absolute error bound of value: Σ over pieces of |Q_hi − Q_lo| plus rounding (as exactMixupLoss) */
  errorEstimate: number;
  /**
   * Bound on max_k |grad_k error|. Per parameter: the |Q_hi − Q_lo| estimates (plus rounding allowances)
   * of the moments it is a linear combination of, propagated with absolute coefficients (|V|, |u|, |x|),
   * plus the rounding of the final Σ_i D_i x_iᵀ; the max over parameters.
   */
  gradErrorEstimate: number;
  method: "exact-pairs";
  nodes: number;
  /** pieces that reached the bisection limit without meeting the tolerance */
  unresolved: number;
  pairs: PairsMode;
  form: MixupForm;
  tol: number;
}

export type GradOptions = PairProblemOptions;

/**
 * Folds chunk results in chunk order (compensated per entry), so the bytes do not depend on which thread
 * computed which chunk or in which order they arrived. Chunks may be offered in any order; each is folded
 * as soon as all earlier ones are (memory stays at a few pending chunks).
 */
export class GradReducer {
  private readonly P: PairProblem;
  private readonly D: Float64Array;
  private readonly Dc: Float64Array;
  private readonly Derr: Float64Array;
  private readonly H: Float64Array;
  private readonly Hc: Float64Array;
  private readonly Herr: Float64Array;
  private readonly v = new Neumaier();
  private err = 0;
  private abs = 0;
  private nodes = 0;
  private unresolved = 0;
  private next = 0;
  private readonly pending = new Map<number, GradChunk>();
  readonly count: number;

  constructor(P: PairProblem, count: number) {
    this.P = P;
    this.count = count;
    const np = P.n * P.p;
    this.D = new Float64Array(np);
    this.Dc = new Float64Array(np);
    this.Derr = new Float64Array(np);
    const hl = P.model.kind === "linear" ? 0 : P.K * P.p + P.K;
    this.H = new Float64Array(hl);
    this.Hc = new Float64Array(hl);
    this.Herr = new Float64Array(hl);
  }

  get done(): boolean {
    return this.next === this.count;
  }

  offer(id: number, r: GradChunk): void {
    this.pending.set(id, r);
    while (this.pending.has(this.next)) {
      const c = this.pending.get(this.next)!;
      this.pending.delete(this.next);
      this.fold(c);
      this.next++;
    }
  }

  private fold(r: GradChunk): void {
    this.v.add(r.value);
    this.err += r.err;
    this.abs += r.abs;
    this.nodes += r.evals;
    this.unresolved += r.unresolved;
    const o = r.i0 * this.P.p;
    addComp(this.D, this.Dc, r.D, o);
    for (let q = 0; q < r.Derr.length; q++) this.Derr[o + q] += r.Derr[q];
    addComp(this.H, this.Hc, r.H, 0);
    for (let q = 0; q < r.Herr.length; q++) this.Herr[q] += r.Herr[q];
  }

  /** The result, once every chunk is folded: ∇W = (1/#pairs) Σ_i D_i x_iᵀ, ∇b = (1/#pairs) Σ_i D_i. */
  finish(ds: Dataset): MixupGradResult {
    if (!this.done) throw new Error("GradReducer.finish: chunks missing");
    const P = this.P;
    const { n, p, K } = P;
    const d = ds.d;
    const X = ds.X;
    const model = P.model;
    const norm = P.pairs === "all" ? n * n : n * (n - 1);
    const inv = 1 / norm;
    const D = this.D;
    for (let q = 0; q < D.length; q++) D[q] += this.Dc[q];
    const grad = new Float64Array(paramCount(model));
    // first layer (θ or W): p×d, compensated over the rows; error: Σ_i Derr_ir |x_il| + rounding 4ε Σ|D||x|
    const S = new Float64Array(p * d);
    const C = new Float64Array(p * d);
    const E = new Float64Array(p * d);
    const bS = new Float64Array(p);
    const bC = new Float64Array(p);
    const bE = new Float64Array(p);
    for (let i = 0; i < n; i++) {
      const xo = i * d;
      for (let r = 0; r < p; r++) {
        const dr = D[i * p + r];
        const er = this.Derr[i * p + r];
        const ad = Math.abs(dr);
        const o = r * d;
        for (let l = 0; l < d; l++) {
          const xl = X[xo + l];
          const x = dr * xl;
          const s = S[o + l];
          const t = s + x;
          C[o + l] += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
          S[o + l] = t;
          E[o + l] += (er + 4 * EPS * ad) * Math.abs(xl);
        }
        const s = bS[r];
        const t = s + dr;
        bC[r] += Math.abs(s) >= Math.abs(dr) ? s - t + dr : dr - t + s;
        bS[r] = t;
        bE[r] += er + 4 * EPS * ad;
      }
    }
    let gerr = 0;
    for (let q = 0; q < p * d; q++) {
      grad[q] = (S[q] + C[q]) * inv;
      gerr = Math.max(gerr, E[q] * inv);
    }
    let off = p * d;
    const hasB = model.kind === "linear" ? model.bias !== null : model.b !== null;
    if (hasB) {
      for (let r = 0; r < p; r++) {
        grad[off + r] = (bS[r] + bC[r]) * inv;
        gerr = Math.max(gerr, bE[r] * inv);
      }
      off += p;
    }
    if (model.kind !== "linear") {
      const H = this.H;
      for (let q = 0; q < K * p; q++) {
        grad[off + q] = (H[q] + this.Hc[q]) * inv;
        gerr = Math.max(gerr, this.Herr[q] * inv);
      }
      off += K * p;
      if (model.c !== null) {
        for (let k = 0; k < K; k++) {
          grad[off + k] = (H[K * p + k] + this.Hc[K * p + k]) * inv;
          gerr = Math.max(gerr, this.Herr[K * p + k] * inv);
        }
      }
    }
    return {
      value: this.v.value * inv,
      grad,
      errorEstimate: (this.err + 4 * EPS * this.abs) * inv,
      gradErrorEstimate: gerr,
      method: "exact-pairs",
      nodes: this.nodes,
      unresolved: this.unresolved,
      pairs: P.pairs,
      form: P.form as MixupForm,
      tol: P.tol,
    };
  }
}

function addComp(S: Float64Array, C: Float64Array, x: Float64Array, off: number): void {
  for (let q = 0; q < x.length; q++) {
    const s = S[off + q];
    const v = x[q];
    const t = s + v;
    C[off + q] += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    S[off + q] = t;
  }
}

/**
 * The exact Mixup loss (paper eq. (1), or its label-free forms) and its gradient in the parameters, by
 * adaptive quadrature over all pairs, in this thread. Accuracy: the loss as exactMixupLoss (tol relative to
 * the pairs' ∫|l|), every gradient moment to tol relative to its own ∫|·| per pair.
 */
export function exactMixupGrad(
  ds: Dataset,
  model: Model,
  family: Family,
  alpha: number,
  beta: number,
  opts: GradOptions = {},
): MixupGradResult {
  // the dispatch checks this too, but these are also called directly
  checkPairMagnitudes(ds, model, family, "gradient");
  const P = makeExactProblem(ds, model, family, alpha, beta, opts);
  const plan = chunkPlan(P.n);
  const red = new GradReducer(P, plan.length);
  const integ = new GradIntegrator(P);
  plan.forEach(([i0, i1], id) => red.offer(id, integ.integrateRows(i0, i1)));
  return red.finish(ds);
}

export interface GradParallelOptions extends GradOptions {
  /** threads, counting this one; default: the machine's parallelism; 1 = this thread only */
  workers?: number;
}

/**
 * exactMixupGrad on worker threads: the fixed chunks of chunkPlan(n), handed out on demand (the kept pool
 * of workerPool.ts, shared with exactMixupLossParallel; `closeExactWorkers` ends it), folded in chunk order
 * (compensated), so any number of workers gives the same bytes as exactMixupGrad. From TS sources (no
 * compiled worker) or, without an explicit `workers`, below 200,000 pairs, it runs in this thread.
 */
export async function exactMixupGradParallel(
  ds: Dataset,
  model: Model,
  family: Family,
  alpha: number,
  beta: number,
  opts: GradParallelOptions = {},
): Promise<MixupGradResult> {
  // the dispatch checks this too, but these are also called directly
  checkPairMagnitudes(ds, model, family, "gradient");
  const P = makeExactProblem(ds, model, family, alpha, beta, opts);
  const plan = chunkPlan(P.n);
  const red = new GradReducer(P, plan.length);
  await runChunkPlan(P, "grad", plan, opts.workers, new GradIntegrator(P), (id, r) => red.offer(id, r));
  return red.finish(ds);
}
