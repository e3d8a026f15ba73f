import type { Dataset } from "../core/dataset.js";
import { checkTol } from "../core/constants.js";
import { InputError } from "../core/errors.js";
import { Neumaier } from "../core/sum.js";
import type { Family } from "../losses/types.js";
import { dTildeComponents, mixtureRule } from "../mixing/dtilde.js";
import { activationFns, firstLayerWidth, headFromPreact, preactivations } from "../models/index.js";
import type { Model } from "../models/types.js";
import { lossDerivatives } from "./lossDerivatives.js";
import { EPS } from "../core/constants.js";


/** The remainder of Lemma 3.1 integrated directly, with its error bound. */
export interface DirectRemainder {
  value: number;
  /** |Q_N − Q_2N| plus a rounding bound: 8 ulps of every summand of the integrand */
  errorEstimate: number;
  /** nodes per D̃ component of the accepted rule */
  nodes: number;
}

export interface DirectRemainderOptions {
  /** relative accuracy target (default 1e-6: the remainder is a quantity of study, not a loss) */
  tol?: number;
  /** largest rule tried, per D̃ component (default 512) */
  maxNodes?: number;
}

/**
 * The remainder E_D̃[(1−λ)²φ(1−λ)] of Lemma 3.1 (docs/theory.md §3.1) as one integral, without forming
 * L_mix − (L_std + R1 + R2 + R3): with a = 1 − λ ~ D̃ (label-free form) and r = x_j,
 *   remainder = (1/n²) Σ_{i,j} E_a[ g_ij(a) − g_ij(0) − a·g_ij'(0) − (a²/2)·g_ij''(0) ],
 * where g_ij(a) − g_ij(0) = [h(f_i + φ) − h(f_i)] − y_iᵀφ and φ = f(x_i + a(x_j − x_i)) − f(x_i) are formed
 * as relatively accurate differences (activation `diff`, family `hDiff`), so the integrand's rounding is
 * a few ulps of O(a·s) terms, not of O(1) losses: the remainder is resolved at data scales s where the
 * subtraction from L_mix has lost every digit (lemma-3.1-order runs it down to s = 2^-12).
 *
 * Quadrature: the N-node Gauss–Jacobi rules of D̃'s two Beta components, N = 16, 32, … until
 * |Q_N − Q_2N| ≤ max(tol·|Q_2N|, rounding bound) (or maxNodes). The integrand is smooth in a for linear models and smooth
 * nets; ReLU nets have kinks in a, where fixed rules converge slowly, so they are refused (use
 * L_mix − approx from the exact loss there).
 */
export function directRemainder(
  ds: Dataset,
  model: Model,
  family: Family,
  alpha: number,
  beta: number,
  opts: DirectRemainderOptions = {},
): DirectRemainder {
  if (model.kind === "relu2" && model.activation === "relu") {
    throw new InputError("directRemainder", "directRemainder: ReLU nets are not smooth along a pair; use the exact loss");
  }
  const tol = opts.tol === undefined ? 1e-6 : checkTol(opts.tol);
  const maxNodes = opts.maxNodes ?? 512;
  const mix = dTildeComponents(alpha, beta);
  const ctx = new Integrand(ds, model, family);
  let N = 16;
  let prev = ctx.integrate(mixtureRule(mix, N).y, mixtureRule(mix, N).w);
  for (;;) {
    const rule = mixtureRule(mix, 2 * N);
    const next = ctx.integrate(rule.y, rule.w);
    const qerr = Math.abs(next.value - prev.value);
    N *= 2;
    // converged, or the two rules differ by no more than rounding (a zero remainder, or the deepest scales)
    if (qerr <= tol * Math.abs(next.value) || qerr <= next.rounding || 2 * N > maxNodes) {
      return { value: next.value, errorEstimate: qerr + next.rounding, nodes: N };
    }
    prev = next;
  }
}

/** Per-row data of the expansion point x_i, and the integrand over all pairs for a rule in a = 1 − λ. */
class Integrand {
  private readonly n: number;
  private readonly K: number;
  private readonly p: number;
  private readonly U: Float64Array;
  private readonly F: Float64Array;
  private readonly G: Float64Array; // h'(f_i) − y_i, n×K
  private readonly H: Float64Array; // h''(f_i), n×K×K
  private readonly S1: Float64Array; // σ'(u_i), n×p (two-layer)
  private readonly S2: Float64Array; // σ''(u_i), n×p (two-layer)
  constructor(
    private readonly ds: Dataset,
    private readonly model: Model,
    private readonly family: Family,
  ) {
    const { n, K } = ds;
    const p = firstLayerWidth(model);
    this.n = n;
    this.K = K;
    this.p = p;
    this.U = preactivations(model, ds.X, n);
    this.F = new Float64Array(n * K);
    for (let i = 0; i < n; i++) headFromPreact(model, this.U, i * p, this.F, i * K);
    this.G = new Float64Array(n * K);
    this.H = new Float64Array(n * K * K);
    const gf = new Float64Array(K);
    const Hf = new Float64Array(K * K);
    for (let i = 0; i < n; i++) {
      lossDerivatives(family, this.F, i * K, ds.y, i * K, K, gf, Hf);
      this.G.set(gf, i * K);
      this.H.set(Hf, i * K * K);
    }
    this.S1 = new Float64Array(model.kind === "relu2" ? n * p : 0);
    this.S2 = new Float64Array(model.kind === "relu2" ? n * p : 0);
    if (model.kind === "relu2") {
      const fns = activationFns(model.activation);
      for (let k = 0; k < n * p; k++) {
        this.S1[k] = fns.d1(this.U[k]);
        this.S2[k] = fns.d2(this.U[k]);
      }
    }
  }

  integrate(a: Float64Array, w: Float64Array): { value: number; rounding: number } {
    const { n, K, p, U, F, G, H, S1, S2, model, family } = this;
    const y = this.ds.y;
    const two = model.kind === "relu2" ? model : null;
    const diff = two ? activationFns(two.activation).diff : null;
    const delta = new Float64Array(p); // u_j − u_i
    const t = new Float64Array(K); // J_i δ: first-order change of f per unit a
    const phi = new Float64Array(K); // f(mixed) − f_i
    const acc = new Neumaier();
    let round = 0;
    const nodes = a.length;
    for (let i = 0; i < n; i++) {
      const uo = i * p;
      const ko = i * K;
      for (let j = 0; j < n; j++) {
        if (j === i) continue; // δ = 0: the integrand vanishes
        for (let r = 0; r < p; r++) delta[r] = U[j * p + r] - U[uo + r];
        // g'(0) = (h' − y)ᵀ J δ,  g''(0) = (Jδ)ᵀ h'' (Jδ) + Σ_r ω_r σ''(u_ir) δ_r²
        let quadCurv = 0;
        if (two === null) {
          for (let k = 0; k < K; k++) t[k] = delta[k];
        } else {
          const { m, V } = two;
          for (let k = 0; k < K; k++) {
            let s = 0;
            for (let r = 0; r < m; r++) s += V[k * m + r] * S1[uo + r] * delta[r];
            t[k] = s;
          }
          for (let r = 0; r < m; r++) {
            if (S2[uo + r] === 0) continue;
            let om = 0;
            for (let k = 0; k < K; k++) om += G[ko + k] * V[k * m + r];
            quadCurv += om * S2[uo + r] * delta[r] * delta[r];
          }
        }
        let g1 = 0;
        let g2 = quadCurv;
        for (let k = 0; k < K; k++) {
          g1 += G[ko + k] * t[k];
          for (let l = 0; l < K; l++) g2 += t[k] * H[ko * K + k * K + l] * t[l];
        }
        let pairSum = 0;
        let pairAbs = 0;
        for (let q = 0; q < nodes; q++) {
          const aq = a[q];
          if (two === null) {
            for (let k = 0; k < K; k++) phi[k] = aq * delta[k];
          } else {
            const { m, V } = two;
            for (let k = 0; k < K; k++) phi[k] = 0;
            for (let r = 0; r < m; r++) {
              const dv = diff!(U[uo + r], aq * delta[r]);
              if (dv === 0) continue;
              for (let k = 0; k < K; k++) phi[k] += V[k * m + r] * dv;
            }
          }
          let hd: number;
          let yphi = 0;
          if (family.vector) {
            hd = family.hDiff(F, ko, K, phi, 0);
            for (let k = 0; k < K; k++) yphi += y[ko + k] * phi[k];
          } else {
            hd = family.hDiff(F[ko], phi[0]);
            yphi = y[ko] * phi[0];
          }
          const lin = aq * g1;
          const quad = 0.5 * aq * aq * g2;
          const v = hd - yphi - lin - quad;
          pairSum += w[q] * v;
          pairAbs += w[q] * (Math.abs(hd) + Math.abs(yphi) + Math.abs(lin) + Math.abs(quad));
        }
        acc.add(pairSum);
        round += pairAbs;
      }
    }
    const pairs = n * n;
    // each summand is good to a few ulps (relatively accurate differences); 8 ulps of their absolute sum
    // bounds the rounding of the integrand and of the weighted node sum (≤ 2N terms per pair)
    return { value: acc.value / pairs, rounding: ((8 + nodes) * EPS * round) / pairs };
  }
}
