/** The θ-gradient of the exact all-pairs Mixup loss (issue 6). */
export { exactMixupGrad, GradReducer, type GradOptions, type MixupGradResult } from "./exactGrad.js";
export { exactMixupGradParallel, type GradParallelOptions } from "./parallel.js";
export { GradIntegrator, type GradChunk } from "./gradIntegrator.js";
