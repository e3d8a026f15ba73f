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
export { gaussianMixture, mixtureMeans, type MixtureOptions } from "./mixture.js";
export { lowRankGaussian, type LowRankOptions } from "./lowRank.js";
export { mnistDataset, mnistDigit, largestRemainder, MNIST_PIXELS, type MnistOptions } from "./mnist.js";
export {
  preprocess,
  applyPreprocessing,
  type PreprocessOptions,
  type PreprocessingRecord,
  type PreprocessStats,
} from "./preprocess.js";
export { npyFloat64 } from "./npyWrite.js";
export { DATASET_NAMES, namedDataset, type DatasetMeta, type DatasetName, type DatasetParams } from "./registry.js";
export { fromArrays, modelFromJson } from "./fromArrays.js";
