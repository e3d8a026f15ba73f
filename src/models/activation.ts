import { sigmoid, sigmoidPrime, softplus, softplusDiff } from "../core/special.js";
import type { Activation } from "./types.js";

/**
 * Hidden-layer activations σ of the two-layer nets (docs/theory.md §2.3: ReLU nets, and smooth softplus / tanh
 * nets), with σ' and σ''. Hot loops fetch the three functions once (`activationFns`) and call them per
 * unit, instead of dispatching on the name per element.
 */
export interface ActivationFns {
  /** σ(u) */
  readonly f: (u: number) => number;
  /** σ'(u) */
  readonly d1: (u: number) => number;
  /** σ''(u) */
  readonly d2: (u: number) => number;
  /** σ(u + δ) − σ(u), relatively accurate however small δ is (for Lemma 3.1's remainder) */
  readonly diff: (u: number, delta: number) => number;
}

/** relu(u) = max(u, 0). */
export function relu(u: number): number {
  return u > 0 ? u : 0;
}

/**
 * relu'(u) = 1 for u > 0, else 0. The convention σ'(0) := 0 (as in PyTorch) makes ∇ₓf at a kink the
 * one-sided derivative from the inactive side; it only matters on a null set.
 */
export function reluPrime(u: number): number {
  return u > 0 ? 1 : 0;
}

/** relu'' = 0 wherever it exists: ReLU nets are piecewise linear (docs/theory.md §2.3). */
export function reluSecond(_u: number): number {
  return 0;
}

/** relu(u + δ) − relu(u): δ on the active side, 0 on the inactive side, the plain difference across the kink. */
export function reluDiff(u: number, delta: number): number {
  const v = u + delta;
  if (u > 0 && v > 0) return delta;
  if (u <= 0 && v <= 0) return 0;
  return relu(v) - relu(u);
}

/**
 * tanh(u + δ) − tanh(u) = sinh(δ)/(cosh(u)·cosh(u + δ)): a product of relatively accurate factors, where
 * tanh(u + δ) − tanh(u) would lose all digits for small δ (and 1 − tanh·tanh for large |u|).
 */
export function tanhDiff(u: number, delta: number): number {
  const den = Math.cosh(u) * Math.cosh(u + delta);
  if (!Number.isFinite(den)) return Math.tanh(u + delta) - Math.tanh(u); // |u| ≳ 355: both saturated
  return Math.sinh(delta) / den;
}

/** tanh'(u) = sech²(u) = 4e/(1 + e)², e = e^{−2|u|}: 1 − tanh² would round to 0 for |u| > ~19. */
export function tanhPrime(u: number): number {
  const e = Math.exp(-2 * Math.abs(u));
  const d = 1 + e;
  return (4 * e) / (d * d);
}

/** tanh''(u) = −2 tanh(u) sech²(u). */
export function tanhSecond(u: number): number {
  return -2 * Math.tanh(u) * tanhPrime(u);
}

/** softplus''(u) = σ(u)(1 − σ(u)), via the tail-accurate sigmoidPrime. */
export function softplusSecond(u: number): number {
  return sigmoidPrime(u);
}

const FNS: Readonly<Record<Activation, ActivationFns>> = {
  relu: { f: relu, d1: reluPrime, d2: reluSecond, diff: reluDiff },
  softplus: { f: softplus, d1: sigmoid, d2: softplusSecond, diff: softplusDiff },
  tanh: { f: Math.tanh, d1: tanhPrime, d2: tanhSecond, diff: tanhDiff },
};

/** Every activation name. */
export const ACTIVATIONS: readonly Activation[] = ["relu", "softplus", "tanh"];

/** True when `name` is an activation name (for parsing user input). */
export function isActivation(name: unknown): name is Activation {
  return typeof name === "string" && Object.prototype.hasOwnProperty.call(FNS, name);
}

/** σ, σ', σ'' for an activation. */
export function activationFns(a: Activation): ActivationFns {
  return FNS[a];
}

/** σ(u) for activation a. */
export function activate(a: Activation, u: number): number {
  return FNS[a].f(u);
}

/** σ'(u) for activation a. */
export function activatePrime(a: Activation, u: number): number {
  return FNS[a].d1(u);
}

/** σ''(u) for activation a. */
export function activateSecond(a: Activation, u: number): number {
  return FNS[a].d2(u);
}
