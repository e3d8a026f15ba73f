import { InputError } from "../core/errors.js";
import { isLossName, LOSS_NAMES } from "../losses/index.js";
import type { LossName } from "../losses/types.js";
import { ACTIVATIONS, isActivation } from "./activation.js";
import type { Activation, LinearModel, Model, TwoLayerModel } from "./types.js";

/**
 * The CLI's model JSON, read with validation and written back (docs/theory.md §2.3):
 *
 *   {"kind": "linear", "theta": [..] (d) or [[..], ..] (K×d), "bias": number | [..] (optional),
 *    "loss": "logistic" | "squared" | "poisson" | "softmax" (default "logistic")}
 *   {"kind": "relu2", "W": [[..], ..] (m×d), "b": [..] (optional), "v": [..] (K = 1) or "V": [[..], ..] (K×m),
 *    "c": number | [..] (optional), "activation": "relu" | "softplus" | "tanh" (default "relu"), "loss": ..}
 *
 * Every problem is an InputError(where, one line naming the field). Unknown top-level fields are rejected
 * by name: a typo such as "bais" would otherwise silently drop the bias. An optional "training" object is
 * the record `mixup-theory train` writes (how the model was trained); it is read past, never used.
 */

const LINEAR_FIELDS = ["kind", "theta", "bias", "loss", "training"] as const;
const RELU2_FIELDS = ["kind", "W", "b", "v", "V", "c", "activation", "loss", "training"] as const;

/** Parse and validate a model description (already JSON.parse'd). `where` names the source in messages. */
export function parseModel(json: unknown, where: string): Model {
  const fail = (msg: string): never => {
    throw new InputError(where, `${where}: ${msg}`);
  };
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return fail(`the model must be a JSON object, got ${describe(json)}`);
  }
  const obj = json as Record<string, unknown>;
  const kind = obj.kind;
  if (kind === undefined) return fail(`missing "kind" (expected "linear" or "relu2")`);
  if (kind !== "linear" && kind !== "relu2") return fail(`unknown kind ${describe(kind)} (expected "linear" or "relu2")`);
  const allowed: readonly string[] = kind === "linear" ? LINEAR_FIELDS : RELU2_FIELDS;
  const unknown = Object.keys(obj).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    const names = unknown.map((key) => JSON.stringify(key)).join(", ");
    fail(`unknown field${unknown.length > 1 ? "s" : ""} ${names} for kind "${kind}" (allowed: ${allowed.join(", ")})`);
  }
  if (obj.training !== undefined && (typeof obj.training !== "object" || obj.training === null || Array.isArray(obj.training))) {
    fail(`"training" must be an object (the record \`mixup-theory train\` writes), got ${describe(obj.training)}`);
  }
  let loss: LossName = "logistic";
  if (obj.loss !== undefined) {
    if (!isLossName(obj.loss)) fail(`unknown loss ${describe(obj.loss)} (expected one of ${LOSS_NAMES.join(", ")})`);
    loss = obj.loss as LossName;
  }
  return kind === "linear" ? parseLinear(obj, loss, fail) : parseTwoLayer(obj, loss, fail);
}

type Fail = (msg: string) => never;

function parseLinear(obj: Record<string, unknown>, loss: LossName, fail: Fail): LinearModel {
  if (obj.theta === undefined) fail(`missing "theta" (d weights, or K×d for K outputs)`);
  const isMatrix = Array.isArray(obj.theta) && obj.theta.length > 0 && Array.isArray(obj.theta[0]);
  const t = isMatrix ? readMatrix(obj.theta, "theta", fail) : { rows: 1, cols: 0, data: readVector(obj.theta, "theta", fail) };
  const K = t.rows;
  const d = isMatrix ? t.cols : t.data.length;
  checkOutputs(loss, K, `"theta" has ${K} row${K === 1 ? "" : "s"}`, fail);
  const bias = obj.bias === undefined ? null : readBiasLike(obj.bias, "bias", K, `one per row of "theta"`, fail);
  return { kind: "linear", loss, d, K, theta: t.data, bias };
}

function parseTwoLayer(obj: Record<string, unknown>, loss: LossName, fail: Fail): TwoLayerModel {
  if (obj.W === undefined) fail(`missing "W" (m×d first-layer weights)`);
  const Wm = readMatrix(obj.W, "W", fail);
  const m = Wm.rows;
  const d = Wm.cols;
  const b = obj.b === undefined ? null : readVector(obj.b, "b", fail);
  if (b !== null && b.length !== m) fail(`"b" has ${b.length} values, expected m = ${m} (one per row of "W")`);
  if (obj.v !== undefined && obj.V !== undefined) fail(`give "v" (K = 1) or "V" (K×m), not both`);
  if (obj.v === undefined && obj.V === undefined) fail(`missing "v" (m output weights; or "V", K×m)`);
  let V: Float64Array;
  let K: number;
  if (obj.v !== undefined) {
    V = readVector(obj.v, "v", fail);
    if (V.length !== m) fail(`"v" has ${V.length} values, expected m = ${m} (one per row of "W")`);
    K = 1;
  } else {
    const Vm = readMatrix(obj.V, "V", fail);
    if (Vm.cols !== m) fail(`"V" rows have ${Vm.cols} values, expected m = ${m} (one per row of "W")`);
    V = Vm.data;
    K = Vm.rows;
  }
  checkOutputs(loss, K, obj.v !== undefined ? `"v" gives 1 output` : `"V" has ${K} row${K === 1 ? "" : "s"}`, fail);
  const c = obj.c === undefined ? null : readBiasLike(obj.c, "c", K, `one per output`, fail);
  let activation: Activation = "relu";
  if (obj.activation !== undefined) {
    if (!isActivation(obj.activation)) {
      fail(`unknown activation ${describe(obj.activation)} (expected one of ${ACTIVATIONS.join(", ")})`);
    }
    activation = obj.activation as Activation;
  }
  return { kind: "relu2", loss, activation, d, m, K, W: Wm.data, b, V, c };
}

/** Softmax needs K ≥ 2 outputs; the scalar losses exactly one. */
function checkOutputs(loss: LossName, K: number, what: string, fail: Fail): void {
  if (loss === "softmax" && K < 2) fail(`the softmax loss needs K ≥ 2 outputs, ${what}`);
  if (loss !== "softmax" && K !== 1) {
    fail(`the ${loss} loss needs one output, ${what} (use "loss": "softmax" for K classes)`);
  }
}

/** A bias: a number (K = 1 only) or an array of K numbers. */
function readBiasLike(v: unknown, field: string, K: number, hint: string, fail: Fail): Float64Array {
  if (typeof v === "number") {
    if (!Number.isFinite(v)) fail(`"${field}" is not a finite number`);
    if (K !== 1) fail(`"${field}" is a single number, expected ${K} values (${hint})`);
    return Float64Array.of(v);
  }
  const a = readVector(v, field, fail);
  if (a.length !== K) fail(`"${field}" has ${a.length} value${a.length === 1 ? "" : "s"}, expected K = ${K} (${hint})`);
  return a;
}

/** A non-empty array of finite numbers. */
function readVector(v: unknown, field: string, fail: Fail): Float64Array {
  if (!Array.isArray(v)) return fail(`"${field}" must be an array of numbers, got ${describe(v)}`);
  if (v.length === 0) fail(`"${field}" is empty`);
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== "number" || !Number.isFinite(x)) {
      fail(`"${field}" entry ${i + 1} is not a finite number (got ${describe(x)})`);
    }
    out[i] = x as number;
  }
  return out;
}

/** A non-empty array of equally long, non-empty arrays of finite numbers, flattened row-major. */
function readMatrix(v: unknown, field: string, fail: Fail): { rows: number; cols: number; data: Float64Array } {
  if (!Array.isArray(v) || v.length === 0 || !v.every(Array.isArray)) {
    return fail(`"${field}" must be a non-empty array of rows (arrays of numbers), got ${describe(v)}`);
  }
  const rows = v.length;
  const cols = (v[0] as unknown[]).length;
  if (cols === 0) fail(`"${field}" row 1 is empty`);
  const data = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const row = v[r] as unknown[];
    if (row.length !== cols) fail(`"${field}" row ${r + 1} has ${row.length} values, row 1 has ${cols} (ragged rows)`);
    for (let j = 0; j < cols; j++) {
      const x = row[j];
      if (typeof x !== "number" || !Number.isFinite(x)) {
        fail(`"${field}" row ${r + 1}, entry ${j + 1} is not a finite number (got ${describe(x)})`);
      }
      data[r * cols + j] = x as number;
    }
  }
  return { rows, cols, data };
}

/** A short description of a JSON value for messages. */
function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === "object") return "an object";
  return String(v);
}

/** The JSON form of a model (parseModel(modelToJSON(m)) reproduces m). K = 1 uses the vector forms. */
export function modelToJSON(model: Model): Record<string, unknown> {
  if (model.kind === "linear") {
    const { d, K } = model;
    const out: Record<string, unknown> = { kind: "linear", theta: K === 1 ? Array.from(model.theta) : rows(model.theta, K, d) };
    if (model.bias !== null) out.bias = K === 1 ? model.bias[0] : Array.from(model.bias);
    out.loss = model.loss;
    return out;
  }
  const { d, m, K } = model;
  const out: Record<string, unknown> = { kind: "relu2", activation: model.activation, W: rows(model.W, m, d) };
  if (model.b !== null) out.b = Array.from(model.b);
  if (K === 1) out.v = Array.from(model.V);
  else out.V = rows(model.V, K, m);
  if (model.c !== null) out.c = K === 1 ? model.c[0] : Array.from(model.c);
  out.loss = model.loss;
  return out;
}

function rows(a: Float64Array, r: number, c: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < r; i++) out.push(Array.from(a.subarray(i * c, (i + 1) * c)));
  return out;
}

/** InputError when the model's input dimension differs from the data's number of features. */
export function checkModelData(model: Model, d: number, where: string): void {
  if (model.d !== d) {
    throw new InputError(where, `${where}: model expects d = ${model.d} feature${model.d === 1 ? "" : "s"}, data has ${d}`);
  }
}
