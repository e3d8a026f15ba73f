/** Section 4: the data-adaptive regularizer, ρ-retentiveness, Rademacher complexities, Theorems 4.1–4.2 (docs/theory.md §4). */
export { scores, quadForm, meanCurvature, gammaOf, inWGamma, traceSecondMoment, maxRowNorm } from "./moments.js";
export { signVector, monteCarlo, ellipsoidSup, ridgeSup, wGammaSupLower, rademacher, type MonteCarlo } from "./rademacher.js";
export { rhoRetentive, h3, type RhoResult } from "./rho.js";
export { reluFeatures } from "./features.js";
export { dTildeInverseRatioMoment, inverseRatioQuadrature, simplifiedRegularizer, regularizerForms, type RegularizerForms } from "./regularizer.js";
export { theorem41Bound, ridgeBound, generalizationGapBound, unionBoundDelta, logisticLossConstants } from "./bounds.js";
export { dataSvd, type DataSvd } from "../linalg/dataSvd.js";
export { generalizationReport, WGAMMA_MAX_D, WGAMMA_MAX_SAMPLES, type GeneralizationOptions, type GeneralizationReport } from "./report.js";
