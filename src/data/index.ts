export { parseCsv, readCsvFile, writeCsv, type CsvOptions, type LabelSpec } from "./csv.js";
export {
  gaussianBlobs,
  twoMoons,
  linearTeacher,
  linspace,
  type BlobOptions,
  type MoonsOptions,
  type TeacherFamily,
  type TeacherOptions,
} from "./synthetic.js";
export { parseNumberToken, quoteValue, type NumberProblem } from "./number.js";
export {
  hasNpyMagic,
  isNpyFile,
  parseNpyHeader,
  readNpyDataset,
  readNpyFile,
  type NpyArray,
  type NpyHeader,
} from "./npy.js";
