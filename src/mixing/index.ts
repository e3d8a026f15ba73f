/**
 * mixing/: the laws of the Mixup weight λ (docs/theory.md §2.4–§2.6) and quadrature rules that carry them.
 * Beta(a, b) moments and sampling, the label-free law D̃ and its moments m1, m2, Gauss–Jacobi rules
 * (Golub–Welsch, relatively accurate nodes and weights), and piece rules for split integrals.
 */
export type { Rule, JacobiRule, BetaComponent, BetaMixture } from "./rule.js";
export { gaussJacobi, gaussLegendre, golubWelsch, jacobiRecurrence } from "./jacobi.js";
export {
  betaMean,
  betaVariance,
  betaMoment,
  betaOneMinusMoment,
  risingRatio,
  betaPdf,
  betaCdf,
  sampleLogGamma,
  sampleGamma,
  sampleBeta,
  sampleBetaInto,
} from "./beta.js";
export {
  dTildeMoment,
  m1,
  m2,
  dTildeComponents,
  betaComponents,
  dTildePdf,
  sampleDTilde,
  sampleDTildeInto,
  mixtureRule,
} from "./dtilde.js";
export { PieceRule, MixturePieceRule } from "./piece.js";
export { logBetaAccurate, stirlingDelta } from "./lbeta.js";
export { tanhSinh } from "./tanhSinh.js";
