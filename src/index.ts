/** mixup-theory: the library's entry point (the folders' index modules). */
export * from "./core/dataset.js";
export * from "./core/errors.js";
export { Rng } from "./core/rng.js";
export * from "./core/special.js";
export * from "./core/sum.js";
/** Ends the kept worker threads of the one pool; closeExactWorkers and closeTaylorWorkers are aliases. */
export { closeWorkers } from "./core/workerPool.js";
export * from "./mixing/index.js";
export * from "./losses/index.js";
export * from "./models/index.js";
export * from "./mixup/index.js";
export * from "./data/index.js";
export * from "./taylor/index.js";
export * from "./core/fit.js";
export type { Check, CheckOutcome, CheckOptions, Tag } from "./verify/types.js";
export { runCheck } from "./verify/runner.js";
export * from "./robustness/index.js";
/** Figures (Vega-Lite specs as plain data, SVG/PNG rendering, CSV, captions) and the experiments that make them. */
export * from "./figures/index.js";
export * from "./experiments/index.js";
export * from "./train/index.js";
/** Section 4: Σ̂ and its rank, ρ-retentiveness, Rademacher complexities, the regularizer forms, Theorems 4.1–4.2. */
export * from "./generalization/index.js";
