export { writeFileAtomic, writeFilesAtomic, checkWritableDir } from "./atomic.js";
export {
  runCli,
  runMain,
  describeError,
  configureCommander,
  oneLine,
  PROGRAM,
  type CliProcess,
  parseFinite,
  parsePositive,
  parseNonNegative,
  parseNonNegativeInt,
  parsePositiveInt,
  parseNumberList,
  parseTol,
  parseShape,
  asOption,
  type ListItemKind,
} from "./errors.js";
export { namingOverflow } from "./naming.js";
export { BAR_STEPS, barFeed, progress, progressText, withProgress, type Progress, type ProgressOptions, type ProgressStream } from "./progress.js";
