/** Lemma 3.1 (docs/theory.md §3.1): Mixup = standard loss + R1 + R2 + R3 + remainder. */
export { taylorTerms, taylorTermsWithMoments, approximateMixupLoss, R1, R2, R3, type TaylorTerms } from "./terms.js";
export { taylorTermsParallel, taylorSumsParallel, type TaylorParallelOptions } from "./parallel.js";
/** The one pool's closeWorkers (core/workerPool.ts) under its older name: it ends the loss's and gradient's workers too. */
export { closeWorkers as closeTaylorWorkers } from "../core/workerPool.js";
export { taylorSums, blockPlan, TAYLOR_BLOCK_ROWS, type TaylorSums, type TaylorSumsOptions } from "./sums.js";
export { lossDerivatives } from "./lossDerivatives.js";
export { preactStats, type PreactStats } from "./preactStats.js";
export { taylorTermsPairwise, type PairwiseTaylor } from "./pairwise.js";
export { directRemainder, type DirectRemainder, type DirectRemainderOptions } from "./directRemainder.js";
export { withRemainder, allPairsFromDistinct, type TaylorWithRemainder } from "./remainder.js";
export { scaleStudy, alphaStudy, scaleData, fitSlope, type StudyRow, type StudyResult, type StudyOptions } from "./study.js";
