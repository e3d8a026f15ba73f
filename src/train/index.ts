/** Training with and without Mixup (docs/api.md, "Training"; docs/theory.md §2.4). */
export { train, trainRun, OBJECTIVES, type Objective, type TrainOptions, type TrainResult, type TrainRun } from "./train.js";
export { initModel, seededInit, parseInitSpec, initSpecText, INIT_SCHEME, MAX_HIDDEN, type InitSpec, type InitRecord } from "./init.js";
export {
  gdStep,
  adamStep,
  adamState,
  makeOptimizer,
  isOptimizerName,
  ADAM_DEFAULTS,
  OPTIMIZER_NAMES,
  type AdamConfig,
  type AdamState,
  type Optimizer,
  type OptimizerName,
} from "./optimizers.js";
export {
  sampledMixupGrad,
  mixBatch,
  gatherBatch,
  randomPermutation,
  batchScratch,
  LAMBDA_MODES,
  type LambdaMode,
  type BatchScratch,
} from "./sampled.js";
export { BatchSampler } from "./batches.js";
export { checkpointRow, trainLogCsv, trainingLoss, accuracy, LOG_COLUMNS, type TrainLogRow, type CheckpointContext } from "./log.js";
