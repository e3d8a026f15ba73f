import { sigmoid, sigmoidPrime, softplus } from "../core/special.js";
import type { Activation } from "./types.js";

/**
 * Hidden-layer activations σ of the two-layer nets (paper.md §1: ReLU nets, and smooth softplus / tanh
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

/** relu'' = 0 wherever it exists: ReLU nets are piecewise linear (paper.md §1). */
export function reluSecond(_u: number): number {
  return 0;
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
  relu: { f: relu, d1: reluPrime, d2: reluSecond },
  softplus: { f: softplus, d1: sigmoid, d2: softplusSecond },
  tanh: { f: Math.tanh, d1: tanhPrime, d2: tanhSecond },
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
