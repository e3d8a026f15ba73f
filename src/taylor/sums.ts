import type { Dataset } from "../core/dataset.js";
import { gramUpperAcc, symmetrizeUpper } from "../core/gemm.js";
import { Neumaier } from "../core/sum.js";
import type { Family, ScalarFamily } from "../losses/types.js";
import { tanhPrime } from "../models/activation.js";
import { activationFns, firstLayerBias, firstLayerLinearPart, firstLayerWidth, headFromPreact, preactivations } from "../models/index.js";
import type { Model, TwoLayerModel } from "../models/types.js";
import { lossDerivatives } from "./lossDerivatives.js";

/**
 * Sums over rows of the ingredients of Lemma 3.1 (docs/theory.md §3.1), before the D̃ moments: with
 * g_i(a) = l(θ, x_i + a(r − x_i), y_i) and r uniform over the rows,
 *   S1 = Σ_i E_r g_i'(0)  = Σ_i (h'(f_i) − y_i)ᵀ ∇f_i (x̄ − x_i)
 *   S2 = Σ_i E_r[(r − x_i)ᵀ ∇f_iᵀ h''(f_i) ∇f_i (r − x_i)]          (the R2 part of E_r g_i''(0))
 *   S3 = Σ_i E_r[Σ_k (h'(f_i) − y_i)_k (r − x_i)ᵀ ∇²f_ik (r − x_i)]   (the R3 part)
 * so R1 = m1·S1/n, R2 = (m2/2)·S2/n, R3 = (m2/2)·S3/n.
 *
 * Everything is taken in first-layer space u = Ax + a (models/types.ts): ∇f = J A with J the head's
 * Jacobian in u, and the first two moments of A(r − x_i) over r are ū − u_i and G + (ū − u_i)(ū − u_i)ᵀ,
 * G the covariance of the pre-activations (preactStats.ts). Never a sum over pairs.
 *
 * Blocks. The rows are cut into fixed blocks of `TAYLOR_BLOCK_ROWS` (a function of n only), each block
 * is reduced to a few small partial sums (`taylorPass1`, `taylorPass2`), and the partials are merged in
 * block order (`mergeMoments`, `finishNetSums`, `finishRowSums`). The in-thread `taylorSums` and the
 * worker-thread `taylorSumsParallel` (parallel.ts) run the same block functions and the same merges, so
 * they return the same bytes with any number of workers.
 *  - Pass 1 (every model): the block's pre-activations (gemmABt), its own mean ū_b (two passes over
 *    the block, one correction pass) and centred second moment Σ_{i∈b}(u_i − ū_b)(u_i − ū_b)ᵀ, merged
 *    exactly (Chan, Golub & LeVeque): ū = ū_0 + Σ_b n_b(ū_b − ū_0)/n, nG = Σ_b [M2_b + n_b d_b d_bᵀ]
 *    with d_b = ū − ū_b.
 *  - Two-layer nets with one output and a scalar family need nothing else: pass 1 also forms
 *    M_b = Σ_{i∈b} h''_i c_i c_iᵀ (c_i = v ⊙ σ'(u_i)), S2's covariance part being tr(G Σ_b M_b), and the
 *    per-row parts against the block mean, τ_i = c_iᵀ(ū_b − u_i); with ū − u_i = d_b + (ū_b − u_i) the
 *    global terms are exact merges of small block sums (see `finishNetSums`). One pass over the data;
 *    d_b is the sampling spread of a block mean, so the corrections carry no cancellation.
 *  - Every other model (linear, K outputs): pass 2 recomputes the block's pre-activations (the same
 *    bytes) and sums the per-row terms against the merged ū and G, O(K·p²) per row.
 * Cost: O(n·p·d) for the pre-activations (twice for pass-2 models), O(n·p²) for the Gram matrices.
 */
export interface TaylorSums {
  S1: number;
  S2: number;
  S3: number;
  /** f(x_i), n×K */
  scores: Float64Array;
}

/** Rows per block: fixed, so the block structure (and the bytes of every result) depends on n only. */
export const TAYLOR_BLOCK_ROWS = 4096;

/** Rows per transposed tile inside a block (the Gram kernels run over k = TILE points held in cache). */
const TILE = 128;

export interface TaylorSumsOptions {
  /** rows per block (default TAYLOR_BLOCK_ROWS); changes the rounding, never the value. For tests. */
  blockRows?: number;
}

/** The fixed blocks [i0, i1) of n rows. */
export function blockPlan(n: number, blockRows = TAYLOR_BLOCK_ROWS): Array<[number, number]> {
  if (!(Number.isInteger(blockRows) && blockRows >= 1)) throw new RangeError(`blockRows must be a positive integer, got ${blockRows}`);
  const plan: Array<[number, number]> = [];
  for (let i = 0; i < n; i += blockRows) plan.push([i, Math.min(n, i + blockRows)]);
  return plan;
}

/** Two-layer net with one output and a scalar family: the one-pass case. */
export function isOnePassNet(model: Model, family: Family): model is TwoLayerModel {
  return model.kind === "relu2" && model.K === 1 && !family.vector;
}

/** Pass-1 partials of the net case (see `netPass1`). Vectors have length p; M is p×p, upper triangle. */
export interface NetBlock {
  M: Float64Array;
  /** Σ g_i c_i, g_i = h'(f_i) − y_i */
  B0: Float64Array;
  /** Σ g_i τ_i, τ_i = c_iᵀ(ū_b − u_i) */
  B1: number;
  /** Σ h''_i τ_i² */
  Q0: number;
  /** Σ h''_i τ_i c_i */
  Q1: Float64Array;
  /** Σ g_i e_i, e_i = v ⊙ σ''(u_i) */
  A0: Float64Array;
  /** Σ g_i e_i ⊙ (ū_b − u_i) */
  A1: Float64Array;
  /** Σ g_i Σ_r e_ir (ū_b − u_i)_r² */
  A2: number;
  /** f(x_i) for the block's rows */
  scores: Float64Array;
}

export interface Pass1Block {
  rows: number;
  /** ū_b */
  mean: Float64Array;
  /** Σ_{i∈b} (u_i − ū_b)(u_i − ū_b)ᵀ, p×p, upper triangle only */
  m2: Float64Array;
  net: NetBlock | null;
}

export interface Pass2Block {
  s1: number;
  s2: number;
  s3: number;
  /** f(x_i) for the block's rows, K per row */
  scores: Float64Array;
}

/** Mean of rows [i0, i1) of U (· × p): plain sum, then one correction pass Σ(u − ū)/n_b. */
function blockMean(U: ArrayLike<number>, i0: number, i1: number, p: number): Float64Array {
  const nb = i1 - i0;
  const mean = new Float64Array(p);
  for (let i = i0; i < i1; i++) for (let r = 0; r < p; r++) mean[r] += U[i * p + r];
  for (let r = 0; r < p; r++) mean[r] /= nb;
  // exact differences: a constant column gets its value back exactly (no spurious 1e-34 variance)
  const corr = new Float64Array(p);
  for (let i = i0; i < i1; i++) for (let r = 0; r < p; r++) corr[r] += U[i * p + r] - mean[r];
  for (let r = 0; r < p; r++) mean[r] += corr[r] / nb;
  return mean;
}

/** Mean and centred second moment (upper triangle) of rows [i0, i1) of U, in transposed tiles. */
export function blockMoments(U: ArrayLike<number>, i0: number, i1: number, p: number): Pass1Block {
  const mean = blockMean(U, i0, i1, p);
  const m2 = new Float64Array(p * p);
  const Yt = new Float64Array(p * Math.min(TILE, i1 - i0));
  for (let t0 = i0; t0 < i1; t0 += TILE) {
    const kt = Math.min(TILE, i1 - t0);
    for (let j = 0; j < kt; j++) {
      const o = (t0 + j) * p;
      for (let r = 0; r < p; r++) Yt[r * kt + j] = U[o + r] - mean[r];
    }
    gramUpperAcc(Yt, Yt, p, kt, m2);
  }
  return { rows: i1 - i0, mean, m2, net: null };
}

/** Pass 1 over rows [i0, i1): see the comment on TaylorSums. */
export function taylorPass1(ds: Dataset, model: Model, family: Family, i0: number, i1: number): Pass1Block {
  if (isOnePassNet(model, family)) return netPass1(ds, model, family as ScalarFamily, i0, i1);
  const p = firstLayerWidth(model);
  // the moments of Ax, not of Ax + a: the bias cancels from every difference u − ū (firstLayerLinearPart)
  const U0 = firstLayerLinearPart(model, ds.X.subarray(i0 * ds.d, i1 * ds.d), i1 - i0);
  return blockMoments(U0, 0, i1 - i0, p);
}

/**
 * The one-output net's block: pre-activations, ū_b, M2_b, and with c_i = v ⊙ σ'(u_i), e_i = v ⊙ σ''(u_i),
 * g_i = h'(f_i) − y_i, h_i = h''(f_i), τ_i = c_iᵀ(ū_b − u_i) the sums of NetBlock, M_b = Σ h_i c_i c_iᵀ.
 * σ, σ', σ'' share their transcendental evaluations (tanh: one tanh and one exp per unit); the values are
 * those of activationFns (tanh'' = (−2·tanh)·tanh', as tanhSecond), and f_i is summed as twoLayerHead does.
 */
function netPass1(ds: Dataset, model: TwoLayerModel, family: ScalarFamily, i0: number, i1: number): Pass1Block {
  const { d } = ds;
  const { m: p, V } = model;
  const nb = i1 - i0;
  const X = ds.X.subarray(i0 * d, i1 * d);
  const U = preactivations(model, X, nb);
  // activations from U = Wx + b; the mean and the differences ū_b − u_i from Wx (the bias cancels)
  const U0 = firstLayerBias(model) === null ? U : firstLayerLinearPart(model, X, nb);
  const mean = blockMean(U0, 0, nb, p);
  const m2 = new Float64Array(p * p);
  const M = new Float64Array(p * p);
  const B0 = new Float64Array(p);
  const Q1 = new Float64Array(p);
  const A0 = new Float64Array(p);
  const A1 = new Float64Array(p);
  const scores = new Float64Array(nb);
  const tl = Math.min(TILE, nb);
  const Yt = new Float64Array(p * tl);
  const Ct = new Float64Array(p * tl);
  const CHt = new Float64Array(p * tl);
  const s1 = new Float64Array(p); // σ'(u_r)
  const s2 = new Float64Array(p); // σ''(u_r)
  const b1 = new Neumaier();
  const q0 = new Neumaier();
  const a2 = new Neumaier();
  const act = model.activation;
  const fns = activationFns(act);
  const smooth = act !== "relu";
  const c0 = model.c === null ? 0 : model.c[0];
  for (let t0 = 0; t0 < nb; t0 += TILE) {
    const kt = Math.min(TILE, nb - t0);
    for (let j = 0; j < kt; j++) {
      const o = (t0 + j) * p;
      let f = c0;
      for (let r = 0; r < p; r++) {
        const u = U[o + r];
        let a: number;
        if (act === "relu") {
          a = u > 0 ? u : 0;
          s1[r] = u > 0 ? 1 : 0;
        } else if (act === "tanh") {
          a = Math.tanh(u);
          const g = tanhPrime(u);
          s1[r] = g;
          s2[r] = -2 * a * g;
        } else {
          a = fns.f(u);
          s1[r] = fns.d1(u);
          s2[r] = fns.d2(u);
        }
        if (a !== 0) f += V[r] * a; // inactive unit adds nothing (and skips 0·∞), as twoLayerHead
      }
      scores[t0 + j] = f;
      const gf = family.dloss(f, ds.y[i0 + t0 + j]);
      const hf = family.h2(f);
      let tau = 0;
      let r3 = 0;
      for (let r = 0; r < p; r++) {
        const db = mean[r] - U0[o + r];
        const c = V[r] * s1[r];
        Yt[r * kt + j] = db; // −(u − ū_b): the products are the same
        Ct[r * kt + j] = c;
        CHt[r * kt + j] = c * hf;
        tau += c * db;
        B0[r] += gf * c;
        if (smooth) {
          const e = V[r] * s2[r];
          A0[r] += gf * e;
          A1[r] += gf * e * db;
          r3 += e * db * db;
        }
      }
      // zero weights contribute exactly 0 (see taylorPass2), even where tau overflows
      if (gf !== 0) b1.add(gf * tau);
      if (hf !== 0) q0.add(hf * tau * tau);
      const ht = hf * tau;
      for (let r = 0; r < p; r++) Q1[r] += ht * Ct[r * kt + j];
      if (smooth) a2.add(gf * r3);
    }
    gramUpperAcc(Yt, Yt, p, kt, m2);
    gramUpperAcc(Ct, CHt, p, kt, M);
  }
  return {
    rows: nb,
    mean,
    m2,
    net: { M, B0, B1: b1.value, Q0: q0.value, Q1, A0, A1, A2: a2.value, scores },
  };
}

/** The merged first-layer statistics, and d_b = ū − ū_b per block. */
export interface MergedMoments {
  mean: Float64Array;
  /** G, p×p, both triangles, divided by n */
  cov: Float64Array;
  /** ū − ū_b, one vector per block */
  shift: Float64Array[];
}

/**
 * Exact merge of block means and centred second moments, in block order (Chan, Golub & LeVeque):
 * ū = ū_0 + Σ_b n_b(ū_b − ū_0)/n (one block: ū_0 itself), nG = Σ_b [M2_b + n_b d_b d_bᵀ], d_b = ū − ū_b.
 */
export function mergeMoments(blocks: readonly Pass1Block[], p: number): MergedMoments {
  let n = 0;
  for (const b of blocks) n += b.rows;
  const m0 = blocks[0].mean;
  const acc = new Float64Array(p);
  for (const b of blocks) for (let r = 0; r < p; r++) acc[r] += b.rows * (b.mean[r] - m0[r]);
  const mean = new Float64Array(p);
  for (let r = 0; r < p; r++) mean[r] = m0[r] + acc[r] / n;
  const cov = new Float64Array(p * p);
  const shift: Float64Array[] = [];
  for (const b of blocks) {
    const dv = new Float64Array(p);
    for (let r = 0; r < p; r++) dv[r] = mean[r] - b.mean[r];
    shift.push(dv);
    for (let r = 0; r < p; r++) {
      const nd = b.rows * dv[r];
      for (let s = r; s < p; s++) cov[r * p + s] += b.m2[r * p + s] + nd * dv[s];
    }
  }
  for (let k = 0; k < p * p; k++) cov[k] /= n;
  symmetrizeUpper(cov, p);
  return { mean, cov, shift };
}

/**
 * S1, S2, S3 of the one-output net from its pass-1 blocks, with t_i = c_iᵀ(ū − u_i) = c_iᵀd_b + τ_i:
 *   S1 = Σ_b [B1 + d_bᵀB0],  S2 = tr(G Σ_b M_b) + Σ_b [Q0 + 2 d_bᵀQ1 + d_bᵀ M_b d_b],
 *   S3 = Σ_r G_rr Σ_b A0_r + Σ_b [A2 + 2 d_bᵀA1 + Σ_r A0_r d_br²].
 * With one block d_b = 0 exactly and these are the plain per-row sums.
 */
export function finishNetSums(blocks: readonly Pass1Block[], mm: MergedMoments, p: number, n: number): TaylorSums {
  const { cov: G, shift } = mm;
  const M = new Float64Array(p * p);
  const a0 = new Float64Array(p);
  const s1 = new Neumaier();
  const q2 = new Neumaier();
  const s3 = new Neumaier();
  const scores = new Float64Array(n);
  let at = 0;
  for (let k = 0; k < blocks.length; k++) {
    const b = blocks[k].net!;
    const dv = shift[k];
    scores.set(b.scores, at);
    at += b.scores.length;
    for (let q = 0; q < p * p; q++) M[q] += b.M[q];
    for (let r = 0; r < p; r++) a0[r] += b.A0[r];
    let dB0 = 0;
    let dQ1 = 0;
    let dA1 = 0;
    let dA0d = 0;
    let dMd = 0;
    for (let r = 0; r < p; r++) {
      const x = dv[r];
      dB0 += x * b.B0[r];
      dQ1 += x * b.Q1[r];
      dA1 += x * b.A1[r];
      dA0d += b.A0[r] * x * x;
      let row = 0;
      for (let s = r + 1; s < p; s++) row += b.M[r * p + s] * dv[s];
      dMd += x * (b.M[r * p + r] * x + 2 * row);
    }
    s1.add(b.B1);
    s1.add(dB0);
    q2.add(b.Q0);
    q2.add(2 * dQ1);
    q2.add(dMd);
    s3.add(b.A2);
    s3.add(2 * dA1);
    s3.add(dA0d);
  }
  symmetrizeUpper(M, p);
  const tr = new Neumaier();
  for (let q = 0; q < p * p; q++) if (M[q] !== 0) tr.add(G[q] * M[q]);
  for (let r = 0; r < p; r++) if (a0[r] !== 0) s3.add(G[r * p + r] * a0[r]);
  return { S1: s1.value, S2: tr.value + q2.value, S3: s3.value, scores };
}

/**
 * Pass 2 over rows [i0, i1) for every model but the one-output net: the block's pre-activations again
 * (same bytes as pass 1), its scores, and the per-row terms against the merged ū and G:
 * C_i = J_i G J_iᵀ (K×K) restricted to the active units.
 */
export function taylorPass2(
  ds: Dataset,
  model: Model,
  family: Family,
  i0: number,
  i1: number,
  mean: Float64Array,
  G: Float64Array,
): Pass2Block {
  const { K } = ds;
  const nb = i1 - i0;
  const p = firstLayerWidth(model);
  const X = ds.X.subarray(i0 * ds.d, i1 * ds.d);
  const U = preactivations(model, X, nb);
  // ū and G (from pass 1) are moments of Ax; ū − u_i is formed against Ax too, so a bias cancels exactly
  const U0 = firstLayerBias(model) === null ? U : firstLayerLinearPart(model, X, nb);
  const scores = new Float64Array(nb * K);
  for (let i = 0; i < nb; i++) headFromPreact(model, U, i * p, scores, i * K);
  const s1 = new Neumaier();
  const s2 = new Neumaier();
  const s3 = new Neumaier();
  const gf = new Float64Array(K); // h'(f) − y
  const Hf = new Float64Array(K * K); // h''(f)
  const dbar = new Float64Array(p); // ū − u_i
  const t = new Float64Array(K); // J (ū − u_i)
  const C = new Float64Array(K * K); // J G Jᵀ
  const two = model.kind === "relu2" ? model : null;
  const J = new Float64Array(K * p); // head Jacobian restricted to the active units (two-layer)
  const act = new Int32Array(p);
  const q = new Float64Array(p);
  const fns = two ? activationFns(two.activation) : null;
  const smooth = two !== null && two.activation !== "relu";
  for (let i = 0; i < nb; i++) {
    const uo = i * p;
    lossDerivatives(family, scores, i * K, ds.y, (i0 + i) * K, K, gf, Hf);
    for (let r = 0; r < p; r++) dbar[r] = mean[r] - U0[uo + r];
    if (two === null) {
      // linear: J = I, p = K
      for (let k = 0; k < K; k++) t[k] = dbar[k];
      C.set(G);
    } else {
      const { m, V } = two;
      let na = 0;
      for (let r = 0; r < m; r++) {
        const s = fns!.d1(U[uo + r]);
        if (s === 0) continue;
        act[na] = r;
        for (let k = 0; k < K; k++) J[k * p + na] = V[k * m + r] * s;
        na++;
      }
      for (let k = 0; k < K; k++) {
        let s = 0;
        for (let a = 0; a < na; a++) s += J[k * p + a] * dbar[act[a]];
        t[k] = s;
      }
      for (let k = 0; k < K; k++) {
        // q = G J_kᵀ on the active set, then C_kl = J_l · q
        for (let a = 0; a < na; a++) {
          const row = act[a] * p;
          let s = 0;
          for (let b = 0; b < na; b++) s += G[row + act[b]] * J[k * p + b];
          q[a] = s;
        }
        for (let l = k; l < K; l++) {
          let s = 0;
          for (let a = 0; a < na; a++) s += J[l * p + a] * q[a];
          C[k * K + l] = s;
          C[l * K + k] = s;
        }
      }
    }
    let a1 = 0;
    let a2 = 0;
    // a zero weight (h'' = 0 or h' − y = 0 far out on a sigmoid) contributes exactly 0, even where the
    // moments of rows of 1e160 overflow: skipping it keeps 0·∞ from turning the sum into NaN
    for (let k = 0; k < K; k++) {
      if (gf[k] !== 0) a1 += gf[k] * t[k];
      for (let l = 0; l < K; l++) if (Hf[k * K + l] !== 0) a2 += Hf[k * K + l] * (C[l * K + k] + t[k] * t[l]);
    }
    s1.add(a1);
    s2.add(a2);
    if (smooth) {
      const { m, V } = two!;
      let a3 = 0;
      for (let r = 0; r < m; r++) {
        let om = 0;
        for (let k = 0; k < K; k++) om += gf[k] * V[k * m + r];
        a3 += om * fns!.d2(U[uo + r]) * (G[r * p + r] + dbar[r] * dbar[r]);
      }
      s3.add(a3);
    }
  }
  return { s1: s1.value, s2: s2.value, s3: s3.value, scores };
}

/** S1, S2, S3 from the pass-2 blocks, summed in block order. */
export function finishRowSums(blocks: readonly Pass2Block[], n: number, K: number): TaylorSums {
  const s1 = new Neumaier();
  const s2 = new Neumaier();
  const s3 = new Neumaier();
  const scores = new Float64Array(n * K);
  let at = 0;
  for (const b of blocks) {
    s1.add(b.s1);
    s2.add(b.s2);
    s3.add(b.s3);
    scores.set(b.scores, at);
    at += b.scores.length;
  }
  return { S1: s1.value, S2: s2.value, S3: s3.value, scores };
}

/** S1, S2, S3 and the scores, in this thread (same bytes as taylorSumsParallel). */
export function taylorSums(ds: Dataset, model: Model, family: Family, opts: TaylorSumsOptions = {}): TaylorSums {
  const p = firstLayerWidth(model);
  const plan = blockPlan(ds.n, opts.blockRows);
  const pass1 = plan.map(([i0, i1]) => taylorPass1(ds, model, family, i0, i1));
  const mm = mergeMoments(pass1, p);
  if (isOnePassNet(model, family)) return finishNetSums(pass1, mm, p, ds.n);
  const pass2 = plan.map(([i0, i1]) => taylorPass2(ds, model, family, i0, i1, mm.mean, mm.cov));
  return finishRowSums(pass2, ds.n, ds.K);
}
