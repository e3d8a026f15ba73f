/**
 * The measures a pair (i < j) is integrated against, with the label each component carries.
 *
 * Labelled form (paper eq. (1)): pair (j,i) at λ is pair (i,j) at 1−λ, so
 *   L_ij + L_ji = ∫ l(f(x̃_ij(λ)), λy_i + (1−λ)y_j) d[Beta(α,β) + Beta(β,α)](λ)
 * (one component of mass 2 when α = β).
 *
 * Label-free form (docs/theory.md §2.5): L_ij = ∫ l(f(x̃_ij(λ)), y_i) dD̃(λ), and L_ji is the same integral
 * along the segment from x_i's side with y_j, against D̃ reflected (Beta(a,b) ↦ Beta(b,a)). Its
 * components are Beta(α+1,β), Beta(β+1,α) and their reflections: nodes disjoint from the first form's.
 */
import { checkAlphaBeta } from "../core/constants.js";

export interface PairComponent {
  /** Beta(a, b) */
  readonly a: number;
  readonly b: number;
  /** mass of the component */
  readonly c: number;
  /** label at λ is λ·y[labelA] + (1−λ)·y[labelB], where 0 means row i and 1 means row j */
  readonly labelA: 0 | 1;
  readonly labelB: 0 | 1;
  /** which value it adds to when both forms are integrated at once (form "both": 0 labelled, 1 label-free) */
  readonly slot?: 0 | 1;
}

export type MixupForm = "labelled" | "label-free";

/**
 * The pair integrator's forms: either form, or both at once on the same pieces and nodes (the score and the
 * softplus at a node serve both; each value meets its own tolerance). Internal: `loss` reports both.
 */
export type PairForm = MixupForm | "both";

export function pairComponents(alpha: number, beta: number, form: PairForm): PairComponent[] {
  checkAlphaBeta(alpha, beta);
  if (form === "both") {
    const labelFree = pairComponents(alpha, beta, "label-free").map((c) => ({ ...c, slot: 1 as const }));
    return [...pairComponents(alpha, beta, "labelled"), ...labelFree];
  }
  if (form === "labelled") {
    if (alpha === beta) return [{ a: alpha, b: beta, c: 2, labelA: 0, labelB: 1 }];
    return [
      { a: alpha, b: beta, c: 1, labelA: 0, labelB: 1 },
      { a: beta, b: alpha, c: 1, labelA: 0, labelB: 1 },
    ];
  }
  const c1 = alpha / (alpha + beta);
  const c2 = beta / (alpha + beta);
  // at α = β the two components of each end coincide: one of mass 1 (as the labelled form's one of mass 2)
  if (alpha === beta) {
    return [
      { a: alpha + 1, b: beta, c: 1, labelA: 0, labelB: 0 },
      { a: beta, b: alpha + 1, c: 1, labelA: 1, labelB: 1 },
    ];
  }
  return [
    { a: alpha + 1, b: beta, c: c1, labelA: 0, labelB: 0 },
    { a: beta + 1, b: alpha, c: c2, labelA: 0, labelB: 0 },
    { a: beta, b: alpha + 1, c: c1, labelA: 1, labelB: 1 },
    { a: alpha, b: beta + 1, c: c2, labelA: 1, labelB: 1 },
  ];
}
