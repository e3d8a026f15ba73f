import type { TaylorTerms } from "./terms.js";
import { EPS } from "../core/constants.js";


/** Lemma 3.1's terms with the remainder E_D̃[(1−λ)²φ(1−λ)] = L_mix − (L_std + R1 + R2 + R3). */
export interface TaylorWithRemainder extends TaylorTerms {
  /** the exact all-pairs L_mix the remainder is taken from */
  mixupLoss: number;
  /** L_mix − approx */
  remainder: number;
  /** absolute error bound of the remainder: the exact loss's error estimate plus the rounding of the sum */
  remainderError: number;
  /** remainder / R2, null when R2 = 0 (e.g. a constant model) */
  remainderOverR2: number | null;
}

/**
 * The remainder from an exact Mixup loss `mix` (value and absolute error estimate; all n² ordered pairs,
 * i = j included, which is what Lemma 3.1 expands). The error adds a rounding allowance of a few ulps of
 * each summand of approx, since the remainder is a difference of O(1) numbers.
 */
export function withRemainder(terms: TaylorTerms, mix: { value: number; errorEstimate: number }): TaylorWithRemainder {
  const remainder = mix.value - terms.approx;
  const rounding =
    4 * EPS * (Math.abs(mix.value) + Math.abs(terms.standardLoss) + Math.abs(terms.R1) + Math.abs(terms.R2) + Math.abs(terms.R3));
  return {
    ...terms,
    mixupLoss: mix.value,
    remainder,
    remainderError: mix.errorEstimate + rounding,
    remainderOverR2: terms.R2 === 0 ? null : remainder / terms.R2,
  };
}

/**
 * The all-pairs L_mix from the distinct-pairs one: the n diagonal pairs (i, i) mix a point with itself
 * and contribute l_i exactly, so n²·L_all = n(n−1)·L_distinct + n·L_std.
 */
export function allPairsFromDistinct(distinct: number, standardLoss: number, n: number): number {
  return ((n - 1) * distinct + standardLoss) / n;
}
