import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { makeDataset, type Dataset } from "../core/dataset.js";
import { InputError } from "../core/errors.js";
import { sharedFloat64Array } from "../core/shared.js";
import type { LabelSpec } from "./csv.js";
import { cannotRead, openForReading } from "./file.js";

/**
 * numpy's .npy format (format spec versions 1.0, 2.0 and 3.0): the magic "\x93NUMPY", two version
 * bytes, the header length (uint16 LE in 1.0, uint32 LE in 2.0 and 3.0), a Python dict literal
 * {'descr': '<f8', 'fortran_order': False, 'shape': (n, d), } (ASCII; UTF-8 in 3.0), then the data.
 *
 * Features (--data): float64 or float32, either byte order ('<f8', '>f8', '<f4', '>f4'; '=' is this
 * machine's order), C order, 2-D n×d. Labels (--labels) also take integer and bool dtypes (class
 * indices from np.int64 arrays), 1-D (n) or 2-D (n×1 or n×K). Every problem is an InputError naming
 * the file: a wrong dtype, Fortran order, a wrong number of dimensions, a file shorter or longer than
 * its header says, a value that is not finite (with its row).
 */

export interface NpyHeader {
  /** numpy's dtype string, e.g. "<f8" */
  readonly descr: string;
  readonly fortranOrder: boolean;
  readonly shape: readonly number[];
  /** where the data begins */
  readonly dataOffset: number;
  readonly version: string;
}

/** An array read from a .npy file, converted to float64 (C order). */
export interface NpyArray {
  readonly header: NpyHeader;
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** True when the bytes start with the .npy magic string. */
export function hasNpyMagic(bytes: Uint8Array): boolean {
  if (bytes.length < MAGIC.length) return false;
  for (let k = 0; k < MAGIC.length; k++) if (bytes[k] !== MAGIC[k]) return false;
  return true;
}

/** True when the file at `path` starts with the .npy magic string (false if it cannot be read). */
export function isNpyFile(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return false;
  }
  try {
    const b = Buffer.alloc(MAGIC.length);
    return readSync(fd, b, 0, b.length, 0) === b.length && hasNpyMagic(b);
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

/**
 * Parse the preamble of a .npy file from its first bytes. Returns `{ need }` when more bytes are
 * needed (`need` says how many in all).
 */
export function parseNpyHeader(bytes: Uint8Array, source: string): NpyHeader | { need: number } {
  const bad = (msg: string) => new InputError(source, `${source}: ${msg}`);
  const m = Math.min(bytes.length, MAGIC.length);
  for (let k = 0; k < m; k++) {
    if (bytes[k] !== MAGIC[k]) throw bad("not a .npy file (it does not start with \\x93NUMPY)");
  }
  if (bytes.length < 10) return { need: 10 };
  const major = bytes[6];
  const minor = bytes[7];
  const version = `${major}.${minor}`;
  let hlen: number;
  let start: number;
  if (major === 1) {
    hlen = bytes[8] | (bytes[9] << 8);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) return { need: 12 };
    hlen = (bytes[8] | (bytes[9] << 8) | (bytes[10] << 16)) + bytes[11] * 0x1000000;
    start = 12;
  } else {
    throw bad(`.npy format version ${version} is not supported (1.0, 2.0 and 3.0 are)`);
  }
  if (bytes.length < start + hlen) return { need: start + hlen };
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + start, hlen).toString(major === 3 ? "utf8" : "latin1");
  const dict = parseDict(text.replace(/[\s\0]+$/, ""), source);
  const keys = Object.keys(dict).sort().join(",");
  if (keys !== "descr,fortran_order,shape") {
    throw bad(`the .npy header must have exactly the keys descr, fortran_order and shape, found ${Object.keys(dict).join(", ") || "none"}`);
  }
  const { descr, fortran_order: fortranOrder, shape } = dict;
  if (typeof descr !== "string") throw bad("structured dtypes (a list in descr) are not supported: save a plain numeric array");
  if (typeof fortranOrder !== "boolean") throw bad("fortran_order in the .npy header is not True or False");
  if (!Array.isArray(shape)) throw bad("shape in the .npy header is not a tuple");
  return { descr, fortranOrder, shape: shape as number[], dataOffset: start + hlen, version };
}

type PyValue = string | boolean | number[] | PyValue[] | null;

/** A tiny parser for the Python dict literal of a .npy header (strings, True/False/None, ints, tuples, lists). */
function parseDict(text: string, source: string): Record<string, PyValue> {
  let i = 0;
  const fail = (): never => {
    throw new InputError(source, `${source}: the .npy header is not a Python dict literal: ${JSON.stringify(text.length > 80 ? text.slice(0, 80) + "…" : text)}`);
  };
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const value = (): PyValue => {
    ws();
    const c = text[i];
    if (c === "'" || c === '"') {
      const j = text.indexOf(c, i + 1);
      if (j < 0) fail();
      const s = text.slice(i + 1, j);
      i = j + 1;
      return s;
    }
    if (c === "(" || c === "[") {
      const close = c === "(" ? ")" : "]";
      i++;
      const items: PyValue[] = [];
      for (;;) {
        ws();
        if (text[i] === close) {
          i++;
          break;
        }
        items.push(value());
        ws();
        if (text[i] === ",") i++;
        else if (text[i] !== close) fail();
      }
      return items as PyValue;
    }
    const m = /^(True|False|None|-?\d+L?)/.exec(text.slice(i, i + 32));
    if (!m) return fail();
    i += m[0].length;
    if (m[0] === "True") return true;
    if (m[0] === "False") return false;
    if (m[0] === "None") return null;
    return [Number(m[0].replace(/L$/, ""))] as unknown as PyValue; // boxed: an int
  };
  ws();
  if (text[i] !== "{") fail();
  i++;
  const out: Record<string, PyValue> = {};
  for (;;) {
    ws();
    if (text[i] === "}") {
      i++;
      break;
    }
    const k = value();
    if (typeof k !== "string") fail();
    ws();
    if (text[i] !== ":") fail();
    i++;
    out[k as string] = value();
    ws();
    if (text[i] === ",") i++;
    else if (text[i] !== "}") fail();
  }
  ws();
  if (i !== text.length) fail();
  // unbox ints; shape must be a tuple of non-negative ints
  const shape = out.shape;
  if (Array.isArray(shape)) {
    const dims: number[] = [];
    for (const s of shape as PyValue[]) {
      if (!Array.isArray(s) || s.length !== 1 || typeof s[0] !== "number" || !Number.isSafeInteger(s[0]) || s[0] < 0) {
        throw new InputError(source, `${source}: shape in the .npy header is not a tuple of non-negative integers`);
      }
      dims.push(s[0]);
    }
    out.shape = dims;
  }
  return out;
}

/** What a dtype string means, or null when unsupported. */
interface Dtype {
  readonly kind: "f" | "i" | "u" | "b";
  readonly size: number;
  readonly little: boolean;
}

const HOST_LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function dtypeOf(descr: string): Dtype | null {
  const m = /^([<>|=])([fiub])(\d+)$/.exec(descr);
  if (!m) return null;
  const [, order, kind, sizeText] = m;
  const size = Number(sizeText);
  const little = order === "<" || (order === "=" && HOST_LITTLE) || (order === "|" && size === 1);
  if (order === "|" && size !== 1) return null;
  if (kind === "f" && size !== 4 && size !== 8) return null;
  if ((kind === "i" || kind === "u") && ![1, 2, 4, 8].includes(size)) return null;
  if (kind === "b" && size !== 1) return null;
  return { kind: kind as Dtype["kind"], size, little };
}

const FLOAT_NOTE = "float64 ('<f8') or float32 ('<f4'), either byte order";
const LABEL_NOTE = "float64, float32, integer or bool";

/**
 * Read a .npy file into float64. `role` decides the accepted dtypes: "features" float only, "labels"
 * also integers and bool. Checks the format, the dtype, C order and that the file holds exactly the
 * bytes the header announces.
 */
export function readNpyFile(path: string, role: "features" | "labels" = "features"): NpyArray {
  const fd = openForReading(path);
  try {
    const read = (buf: Uint8Array, off: number, len: number, pos: number): number => {
      let got = 0;
      try {
        while (got < len) {
          const r = readSync(fd, buf, off + got, len - got, pos + got);
          if (r === 0) break;
          got += r;
        }
      } catch (e) {
        throw cannotRead(path, e);
      }
      return got;
    };
    let size: number;
    try {
      size = fstatSync(fd).size;
    } catch (e) {
      throw cannotRead(path, e);
    }
    let head = Buffer.alloc(Math.min(Math.max(size, 0), 4096));
    let have = read(head, 0, head.length, 0);
    let header: NpyHeader | { need: number };
    for (;;) {
      header = parseNpyHeader(head.subarray(0, have), path);
      if (!("need" in header)) break;
      if (header.need > size) {
        throw new InputError(path, `${path}: truncated .npy file: ${size} bytes, the header alone needs ${header.need}`);
      }
      const bigger = Buffer.alloc(header.need);
      head.copy(bigger, 0, 0, have);
      have += read(bigger, have, header.need - have, have);
      head = bigger;
    }
    const h = header;
    const dt = dtypeOf(h.descr);
    const okKinds = role === "features" ? ["f"] : ["f", "i", "u", "b"];
    if (dt === null || !okKinds.includes(dt.kind)) {
      const want = role === "features" ? FLOAT_NOTE : LABEL_NOTE;
      throw new InputError(path, `${path}: dtype '${h.descr}' is not supported (${role === "features" ? "features" : "labels"}: ${want})`);
    }
    const st = shapeText(h.shape);
    if (h.fortranOrder && h.shape.filter((s) => s > 1).length > 1) {
      throw new InputError(path, `${path}: Fortran-ordered array (shape ${st}) is not supported: save np.ascontiguousarray(a)`);
    }
    let count = 1;
    for (const s of h.shape) count *= s;
    const bytes = count * dt.size;
    const avail = size - h.dataOffset;
    if (avail < bytes) {
      throw new InputError(
        path,
        `${path}: truncated .npy file: shape ${st} of '${h.descr}' needs ${bytes} bytes of data, the file has ${Math.max(avail, 0)}`,
      );
    }
    if (avail > bytes) {
      throw new InputError(path, `${path}: ${avail - bytes} bytes after the data that shape ${st} of '${h.descr}' announces`);
    }
    // on shared memory: the worker pool sends it to its workers without a copy
    const data = sharedFloat64Array(count);
    if (dt.kind === "f" && dt.size === 8 && dt.little === HOST_LITTLE) {
      // the fast path: the file's bytes straight into the result
      if (read(new Uint8Array(data.buffer), 0, bytes, h.dataOffset) !== bytes) throw truncated(path);
    } else {
      const raw = Buffer.alloc(bytes);
      if (read(raw, 0, bytes, h.dataOffset) !== bytes) throw truncated(path);
      convert(raw, dt, data, path);
    }
    return { header: h, shape: h.shape, data };
  } finally {
    closeSync(fd);
  }
}

function truncated(path: string): InputError {
  return new InputError(path, `${path}: truncated .npy file (the file got shorter while it was read)`);
}


function convert(raw: Buffer, dt: Dtype, out: Float64Array, path: string): void {
  const v = new DataView(raw.buffer, raw.byteOffset, raw.length);
  const n = out.length;
  const le = dt.little;
  if (dt.kind === "f") {
    if (dt.size === 8) for (let i = 0; i < n; i++) out[i] = v.getFloat64(8 * i, le);
    else for (let i = 0; i < n; i++) out[i] = v.getFloat32(4 * i, le);
    return;
  }
  if (dt.kind === "b") {
    for (let i = 0; i < n; i++) out[i] = raw[i] === 0 ? 0 : 1;
    return;
  }
  const signed = dt.kind === "i";
  switch (dt.size) {
    case 1:
      for (let i = 0; i < n; i++) out[i] = signed ? v.getInt8(i) : v.getUint8(i);
      return;
    case 2:
      for (let i = 0; i < n; i++) out[i] = signed ? v.getInt16(2 * i, le) : v.getUint16(2 * i, le);
      return;
    case 4:
      for (let i = 0; i < n; i++) out[i] = signed ? v.getInt32(4 * i, le) : v.getUint32(4 * i, le);
      return;
    default:
      for (let i = 0; i < n; i++) {
        const b = signed ? v.getBigInt64(8 * i, le) : v.getBigUint64(8 * i, le);
        if (b > 9007199254740991n || b < -9007199254740991n) {
          throw new InputError(`${path} row ${i + 1}`, `${path}: element ${i + 1}: ${b} is beyond 2^53 and not exactly a float64`);
        }
        out[i] = Number(b);
      }
  }
}

function shapeText(shape: readonly number[]): string {
  return `(${shape.join(", ")}${shape.length === 1 ? "," : ""})`;
}

/**
 * A Dataset from a features .npy (n×d) and a labels .npy: 1-D (n) or n×1 scalar labels / class
 * indices, or n×K soft labels. `labels` is the CSV reader's spec: "scalar" (K = 1), { K } (class
 * indices 0..K−1 made one-hot, or n×K soft labels), "auto" (1-D or n×1: scalar; n×K, K ≥ 2: soft).
 * Feature names are x0..x{d−1}. Non-finite values are errors naming the file and the row.
 */
export function readNpyDataset(dataPath: string, labelsPath: string, labels: LabelSpec): Dataset {
  const X = readNpyFile(dataPath, "features");
  if (X.shape.length !== 2) {
    throw new InputError(dataPath, `${dataPath}: shape ${shapeText(X.shape)} is not 2-D: features must be an n×d array`);
  }
  const [n, d] = X.shape;
  if (n === 0) throw new InputError(dataPath, `${dataPath}: no data rows (shape ${shapeText(X.shape)})`);
  if (d === 0) throw new InputError(dataPath, `${dataPath}: no feature columns (shape ${shapeText(X.shape)})`);
  for (let i = 0; i < X.data.length; i++) {
    if (!Number.isFinite(X.data[i])) {
      const r = Math.floor(i / d);
      throw new InputError(`${dataPath} row ${r + 1}`, `${dataPath}: row ${r + 1}, column ${(i % d) + 1}: value ${X.data[i]} is not finite`);
    }
  }
  const L = readNpyFile(labelsPath, "labels");
  const ls = L.shape;
  if (ls.length !== 1 && ls.length !== 2) {
    throw new InputError(labelsPath, `${labelsPath}: shape ${shapeText(ls)}: labels must be 1-D (n) or 2-D (n×K)`);
  }
  if (ls[0] !== n) {
    throw new InputError(
      labelsPath,
      `${labelsPath}: ${ls[0]} rows of labels (shape ${shapeText(ls)}), ${dataPath} has n = ${n} rows (shape ${shapeText(X.shape)})`,
    );
  }
  const cols = ls.length === 1 ? 1 : ls[1];
  for (let i = 0; i < L.data.length; i++) {
    if (!Number.isFinite(L.data[i])) {
      const r = Math.floor(i / cols);
      throw new InputError(`${labelsPath} row ${r + 1}`, `${labelsPath}: row ${r + 1}: label ${L.data[i]} is not finite`);
    }
  }
  let K: number;
  let y: Float64Array;
  if (labels === "scalar" || (labels === "auto" && cols === 1)) {
    if (cols !== 1) {
      throw new InputError(labelsPath, `${labelsPath}: shape ${shapeText(ls)}: this loss takes one label per row (shape (n,) or (n, 1))`);
    }
    K = 1;
    y = L.data;
  } else if (labels === "auto") {
    K = cols;
    y = L.data;
  } else {
    K = labels.K;
    if (!(Number.isInteger(K) && K >= 2)) {
      throw new InputError(labelsPath, `${labelsPath}: the number of classes must be an integer ≥ 2, got ${K}`);
    }
    if (cols === 1) {
      y = sharedFloat64Array(n * K);
      for (let i = 0; i < n; i++) {
        const v = L.data[i];
        if (!(v >= 0 && v < K && Number.isInteger(v))) {
          throw new InputError(`${labelsPath} row ${i + 1}`, `${labelsPath}: row ${i + 1}: ${v} is not a class index (an integer 0..${K - 1})`);
        }
        y[i * K + v] = 1;
      }
    } else if (cols === K) {
      y = L.data;
    } else {
      throw new InputError(
        labelsPath,
        `${labelsPath}: shape ${shapeText(ls)}: ${cols} label columns, the model has K = ${K} outputs (give n class indices or an n×${K} array)`,
      );
    }
  }
  const names = Array.from({ length: d }, (_, k) => `x${k}`);
  return makeDataset(X.data, y, n, d, K, { names, source: dataPath });
}
