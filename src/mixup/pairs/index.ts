/** The exact all-pairs path of the Mixup loss and its gradient (docs/numerics.md, "The exact Mixup loss"). */
export { exactMixupLoss, exactMixupLossParallel, reduceChunks, runChunks, type ExactResult, type ParallelOptions, type ProgressCallback } from "./exact.js";
export { exactMixupGrad, exactMixupGradParallel, GradReducer, type GradOptions, type GradParallelOptions, type MixupGradResult } from "./exactGrad.js";
export { chunkPlan, PAIRS_PER_CHUNK, type ChunkResult } from "./rows.js";
export { LossIntegrator } from "./loss.js";
export { GradIntegrator, type GradChunk } from "./grad.js";
export { makePairProblem, makeExactProblem, pairMode, type PairProblem, type PairProblemOptions, type PairsMode, type PairMode } from "./problem.js";
