/**
 * The label-free Mixup law D̃ (docs/theory.md §2.5):
 *   D̃ = α/(α+β)·Beta(α+1, β) + β/(α+β)·Beta(β+1, α),   p_D̃(λ) = λ·(p_{Beta(α,β)}(λ) + p_{Beta(β,α)}(λ)),
 *   E_D̃[g] = E_{Beta(α,β)}[λ g(λ) + (1−λ) g(1−λ)].
 * Its moments m1 = E_D̃[1−λ], m2 = E_D̃[(1−λ)²] weight the regularisers of Lemma 3.1 (docs/theory.md §3.1).
 */
import type { Rng } from "../core/rng.js";
import { InputError } from "../core/errors.js";
import { betaPdf, checkShapes, risingRatio, sampleBeta } from "./beta.js";
import { gaussJacobi } from "./jacobi.js";
import type { BetaMixture, JacobiRule } from "./rule.js";

/**
 * E_D̃[(1−λ)^k] = [α(β)_k + β(α)_k] / [(α+β)(α+β+1)_k]  (docs/theory.md §2.6), integer k ≥ 0.
 * Formed as α/(α+β)·(β)_k/(α+β+1)_k + β/(α+β)·(α)_k/(α+β+1)_k, each a product of ratios ≤ 1, so it
 * neither overflows nor cancels (both terms positive) for k = 50 and α, β = 1e3.
 */
export function dTildeMoment(alpha: number, beta: number, k: number): number {
  checkShapes("dTildeMoment", alpha, beta);
  if (!Number.isInteger(k) || k < 0) throw new InputError("dTildeMoment", `dTildeMoment: k = ${k} must be an integer ≥ 0`);
  const s = alpha + beta;
  return (alpha / s) * risingRatio(beta, s + 1, k) + (beta / s) * risingRatio(alpha, s + 1, k);
}

/** m1 = E_D̃[1−λ] = 2αβ/((α+β)(α+β+1)) (docs/theory.md §2.6); always < 1/2. */
export function m1(alpha: number, beta: number): number {
  checkShapes("m1", alpha, beta);
  const s = alpha + beta;
  return (2 * (alpha / s) * beta) / (s + 1);
}

/** m2 = E_D̃[(1−λ)²] = αβ/((α+β)(α+β+1)) = m1/2 (docs/theory.md §2.6). */
export function m2(alpha: number, beta: number): number {
  checkShapes("m2", alpha, beta);
  const s = alpha + beta;
  return ((alpha / s) * beta) / (s + 1);
}

/** D̃ as a Beta mixture: [{c: α/(α+β), a: α+1, b: β}, {c: β/(α+β), a: β+1, b: α}]. */
export function dTildeComponents(alpha: number, beta: number): BetaMixture {
  checkShapes("dTildeComponents", alpha, beta);
  const s = alpha + beta;
  return {
    components: [
      { c: alpha / s, a: alpha + 1, b: beta },
      { c: beta / s, a: beta + 1, b: alpha },
    ],
  };
}

/** Beta(α, β) itself as a one-component mixture (the Mixup law D_λ with labels mixed). */
export function betaComponents(alpha: number, beta: number): BetaMixture {
  checkShapes("betaComponents", alpha, beta);
  return { components: [{ c: 1, a: alpha, b: beta }] };
}

/** p_D̃(x) = x·(p_{Beta(α,β)}(x) + p_{Beta(β,α)}(x)); via jstat (~1e-7): display and plots only. */
export function dTildePdf(x: number, alpha: number, beta: number): number {
  checkShapes("dTildePdf", alpha, beta);
  if (x < 0 || x > 1) return 0;
  return x * (betaPdf(x, alpha, beta) + betaPdf(x, beta, alpha));
}

/** One λ ~ D̃: pick the component (probability α/(α+β) for Beta(α+1, β)), then sample it. */
export function sampleDTilde(rng: Rng, alpha: number, beta: number): number {
  checkShapes("sampleDTilde", alpha, beta);
  return rng.uniform() * (alpha + beta) < alpha ? sampleBeta(rng, alpha + 1, beta) : sampleBeta(rng, beta + 1, alpha);
}

/** Fill `out` with independent D̃ draws (same stream as repeated sampleDTilde calls). */
export function sampleDTildeInto(rng: Rng, alpha: number, beta: number, out: Float64Array): Float64Array {
  for (let i = 0; i < out.length; i++) out[i] = sampleDTilde(rng, alpha, beta);
  return out;
}

/**
 * Quadrature for a Beta mixture: the N-node Gauss–Jacobi rules of the components, concatenated in
 * component order (so nodes are ascending within each block, not overall), weights scaled by c.
 * Exact for polynomials of degree ≤ 2N−1; Σw = Σc = 1. Fresh arrays (the caller owns them).
 */
export function mixtureRule(mix: BetaMixture, N: number): JacobiRule {
  const comps = mix.components;
  if (comps.length === 0) throw new InputError("mixtureRule", "mixtureRule: the mixture has no components");
  const x = new Float64Array(N * comps.length);
  const y = new Float64Array(N * comps.length);
  const w = new Float64Array(N * comps.length);
  comps.forEach((comp, i) => {
    if (!(comp.c >= 0) || !Number.isFinite(comp.c)) {
      throw new InputError("mixtureRule", `mixtureRule: component ${i} has weight c = ${comp.c}`);
    }
    const r = gaussJacobi(N, comp.a, comp.b);
    x.set(r.x, i * N);
    y.set(r.y, i * N);
    for (let k = 0; k < N; k++) w[i * N + k] = comp.c * r.w[k];
  });
  return { x, w, y };
}
