// Reference copy of the CSV reader before streaming (git show cfa1783:src/data/…), unchanged except the imports:
// csvStream.test.ts checks that the streaming reader gives the same data and the same messages.
import { readFileSync } from "node:fs";
import { InputError } from "../../../src/core/errors.js";
import { makeDataset, type Dataset } from "../../../src/core/dataset.js";
import { parseNumberToken, quoteValue, scanEnd, scanNumber } from "./numberOld.js";

/**
 * How the label columns are found.
 * - "scalar": the column "y" (binary, real or count labels; K = 1).
 * - { K }: K-class labels, either a column "y" of class indices 0..K−1 (made one-hot) or the
 *   K soft-label columns y0..y{K−1}.
 * - "auto": "y" if present (scalar), else y0..y{K−1} (K ≥ 2, soft labels).
 */
export type LabelSpec = "scalar" | { readonly K: number } | "auto";

export interface CsvOptions {
  readonly labels: LabelSpec;
}

/**
 * Parse CSV text with a header row into a Dataset.
 *
 * Rows in messages are 1-based data rows: the header is not a data row, so "row N" is physical
 * line N + 1. Every problem is an InputError with a one-line message naming `source`, the row
 * and/or the column. Fields are comma separated and trimmed of spaces and tabs; header names may
 * be double quoted ("" escapes a quote); data fields must be plain decimal numbers (see number.ts).
 * CRLF endings, a UTF-8 byte order mark and trailing blank lines are accepted; a blank line
 * anywhere else is an error. Duplicate column names are an error. Every non-label column is a
 * feature, in file order.
 */
export function parseCsv(text: string, source: string, opts: CsvOptions): Dataset {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let end = text.length;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  if (end === start) throw new InputError(source, `${source}: empty file (a header row is required)`);

  // header
  let headerEnd = text.indexOf("\n", start);
  if (headerEnd === -1 || headerEnd > end) headerEnd = end;
  const hEnd = headerEnd > start && text.charCodeAt(headerEnd - 1) === 13 ? headerEnd - 1 : headerEnd;
  const names = parseHeader(text, start, hEnd, source);
  const ncol = names.length;
  const layout = resolveLabels(names, opts.labels, source);
  const { d, K, role } = layout;

  // data rows; the capacity is guessed from the first line's length and grown when needed
  start = headerEnd + 1;
  if (start >= end) throw new InputError(source, `${source}: no data rows`);
  let firstLen = text.indexOf("\n", start);
  firstLen = (firstLen === -1 || firstLen > end ? end : firstLen) - start + 1;
  let cap = Math.max(16, Math.ceil(((end - start + 1) / firstLen) * 1.25));
  let X: Float64Array = new Float64Array(cap * d);
  let y: Float64Array = new Float64Array(cap * K);
  const last = ncol - 1;
  let n = 0;
  let p = start;
  while (p < end) {
    // p is the start of data line n; fields end at ',' (the last one at "\n", "\r\n" or the end)
    if (n === cap) {
      cap = Math.ceil(cap * 1.5) + 16;
      X = grow(X, cap * d);
      y = grow(y, cap * K);
    }
    const xo = n * d;
    const yo = n * K;
    let q = p;
    for (let j = 0; j < ncol; j++) {
      let c = 0;
      while (q < end && ((c = text.charCodeAt(q)) === 32 || c === 9)) q++;
      const v = scanNumber(text, q, end);
      let k = scanEnd;
      while (k < end && ((c = text.charCodeAt(k)) === 32 || c === 9)) k++;
      c = k < end ? text.charCodeAt(k) : 10;
      if (j < last) {
        if (c !== 44) throw rowError(text, p, end, n, names, source);
      } else {
        if (c === 13) c = ++k < end ? text.charCodeAt(k) : 10;
        if (c !== 10) throw rowError(text, p, end, n, names, source);
      }
      if (v - v !== 0) throw rowError(text, p, end, n, names, source); // NaN (bad syntax) or ±Infinity
      const ro = role[j];
      if (ro >= 0) X[xo + ro] = v;
      else if (ro === SCALAR) y[yo] = v;
      else if (ro === INDEX) {
        if (!(v >= 0 && v < K && Number.isInteger(v))) {
          const tok = text.slice(q, scanEnd);
          throw new InputError(
            `${source} row ${n + 1}`,
            `${source}: row ${n + 1}, column "${names[j]}": ${quoteValue(tok)} is not a class index (an integer 0..${K - 1})`,
          );
        }
        y[yo + v] = 1;
      } else y[yo + SOFT - ro] = v;
      q = k + 1;
    }
    p = q;
    n++;
  }
  if (n !== cap) {
    X = X.slice(0, n * d);
    y = y.slice(0, n * K);
  }
  return makeDataset(X, y, n, d, K, { names: layout.featureNames, source });
}

/** Read and parse a CSV file; an unreadable path (missing, a directory, no permission) is an InputError. */
export function readCsvFile(path: string, opts: CsvOptions): Dataset {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? oneLine(String((e as Error).message ?? e));
    throw new InputError(path, `${path}: cannot read file (${code})`);
  }
  return parseCsv(text, path, opts);
}

/**
 * Format a dataset as CSV: header = feature names (or x1..xd), then "y" (K = 1) or y0..y{K−1};
 * values with `String(x)` (shortest round-tripping form; -0 written "-0"), "\n" line ends and a
 * trailing newline. `parseCsv(writeCsv(ds), src, { labels: "auto" })` gives back the same numbers
 * (K = 1, or K ≥ 2 soft labels).
 */
export function writeCsv(ds: Dataset): string {
  const { n, d, K, X, y } = ds;
  const where = ds.source ?? "data";
  const names = ds.names ?? Array.from({ length: d }, (_, k) => `x${k + 1}`);
  if (names.length !== d) throw new InputError(where, `${where}: ${names.length} feature names for ${d} features`);
  const seen = new Set<string>();
  const head: string[] = [];
  for (const name of names) {
    if (LABEL_NAME.test(name)) {
      throw new InputError(where, `${where}: feature name "${name}" would be read back as a label column`);
    }
    if (seen.has(name)) throw new InputError(where, `${where}: duplicate feature name ${quoteValue(name)}`);
    seen.add(name);
    head.push(csvName(name, where));
  }
  if (K === 1) head.push("y");
  else for (let k = 0; k < K; k++) head.push(`y${k}`);
  const lines: string[] = [head.join(",")];
  const w = d + K;
  const parts: string[] = new Array(w);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) parts[k] = fmt(X[i * d + k]);
    for (let k = 0; k < K; k++) parts[d + k] = fmt(y[i * K + k]);
    lines.push(parts.join(","));
  }
  lines.push("");
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------

const SCALAR = -1;
const INDEX = -2;
/** soft label k has role SOFT − k */
const SOFT = -10;

const LABEL_NAME = /^y(0|[1-9][0-9]*)?$/;
const SOFT_NAME = /^y(0|[1-9][0-9]*)$/;

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, " ");
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) throw new RangeError(`writeCsv: value ${v} is not finite`);
  return Object.is(v, -0) ? "-0" : String(v);
}

function csvName(name: string, where: string): string {
  if (name === "" || /[\r\n]/.test(name)) {
    throw new InputError(where, `${where}: feature name ${quoteValue(name)} cannot be written in a CSV header`);
  }
  if (/[",]/.test(name) || name.trim() !== name) return `"${name.replace(/"/g, '""')}"`;
  return name;
}

/** Split the header line [a, b) into trimmed names; double-quoted names keep their inner text. */
function parseHeader(text: string, a: number, b: number, source: string): string[] {
  const names: string[] = [];
  let i = a;
  for (;;) {
    while (i < b && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    const col = names.length + 1;
    let name: string;
    if (i < b && text.charCodeAt(i) === 34) {
      let s = "";
      let j = i + 1;
      for (;;) {
        const qi = text.indexOf('"', j);
        if (qi === -1 || qi >= b) {
          throw new InputError(source, `${source}: header, column ${col}: unterminated quoted name`);
        }
        s += text.slice(j, qi);
        if (qi + 1 < b && text.charCodeAt(qi + 1) === 34) {
          s += '"';
          j = qi + 2;
        } else {
          j = qi + 1;
          break;
        }
      }
      while (j < b && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
      if (j < b && text.charCodeAt(j) !== 44) {
        throw new InputError(source, `${source}: header, column ${col}: unexpected text after the quoted name ${quoteValue(s)}`);
      }
      name = s;
      i = j;
    } else {
      let j = text.indexOf(",", i);
      if (j === -1 || j > b) j = b;
      name = text.slice(i, j).trim();
      if (name.includes('"')) {
        throw new InputError(source, `${source}: header, column ${col}: stray quote in name ${quoteValue(name)}`);
      }
      i = j;
    }
    if (/[\r]/.test(name)) {
      throw new InputError(source, `${source}: the header contains a carriage return; use LF or CRLF line endings`);
    }
    if (name === "") throw new InputError(source, `${source}: header, column ${col} has an empty name`);
    names.push(name);
    if (i >= b) break;
    i++; // the comma
    if (i >= b) {
      throw new InputError(source, `${source}: header, column ${col + 1} has an empty name`);
    }
  }
  const first = new Map<string, number>();
  names.forEach((nm, j) => {
    const f = first.get(nm);
    if (f !== undefined) {
      throw new InputError(source, `${source}: duplicate column name ${quoteValue(nm)} (columns ${f + 1} and ${j + 1})`);
    }
    first.set(nm, j);
  });
  if (names.every((nm) => parseNumberToken(nm).problem === null)) {
    throw new InputError(
      source,
      `${source}: the first line ${quoteValue(text.slice(a, b))} looks like data; a header row is required (e.g. x1,x2,y)`,
    );
  }
  return names;
}

interface Layout {
  readonly d: number;
  readonly K: number;
  /** per column: feature index ≥ 0, SCALAR, INDEX or SOFT − k */
  readonly role: Int32Array;
  readonly featureNames: string[];
}

function listColumns(names: readonly string[]): string {
  const max = 20;
  const shown = names.slice(0, max).join(", ");
  return names.length > max ? `${shown}, … (${names.length} columns)` : shown;
}

function resolveLabels(names: readonly string[], spec: LabelSpec, source: string): Layout {
  const yCol = names.indexOf("y");
  const soft = new Map<number, number>(); // class k → column
  names.forEach((nm, j) => {
    if (SOFT_NAME.test(nm)) soft.set(Number(nm.slice(1)), j);
  });
  let Kc = 0;
  while (soft.has(Kc)) Kc++;
  const cols = `(columns: ${listColumns(names)})`;
  const role = new Int32Array(names.length).fill(0x7fffffff);

  const softLabels = (K: number | null): number => {
    // y0..y{Kc−1} present; reject gaps and a wrong count
    const beyond = [...soft.keys()].filter((k) => k >= Kc).sort((u, v) => u - v);
    if (beyond.length > 0) {
      throw new InputError(
        source,
        `${source}: label column "y${beyond[0]}" but no "y${Kc}" (soft labels need y0..y{K-1} without gaps) ${cols}`,
      );
    }
    if (K !== null && Kc !== K) {
      const found = Kc === 1 ? `only the label column "y0"` : `label columns y0..y${Kc - 1}`;
      throw new InputError(source, `${source}: ${found} found, expected y0..y${K - 1} for K = ${K}`);
    }
    if (Kc < 2) {
      throw new InputError(source, `${source}: soft labels need at least the columns y0 and y1, found only "y0" ${cols}`);
    }
    for (let k = 0; k < Kc; k++) role[soft.get(k)!] = SOFT - k;
    return Kc;
  };
  const ambiguous = () => {
    if (yCol >= 0 && soft.size > 0) {
      const other = names.find((nm) => SOFT_NAME.test(nm))!;
      throw new InputError(source, `${source}: both "y" and "${other}" columns: ambiguous labels ${cols}`);
    }
  };

  let K: number;
  if (spec === "scalar") {
    if (yCol < 0) throw new InputError(source, `${source}: no column named "y" ${cols}`);
    role[yCol] = SCALAR;
    K = 1;
  } else if (spec === "auto") {
    ambiguous();
    if (yCol >= 0) {
      role[yCol] = SCALAR;
      K = 1;
    } else if (soft.size > 0) {
      K = softLabels(null);
    } else {
      throw new InputError(source, `${source}: no label column "y" or "y0", "y1", … ${cols}`);
    }
  } else {
    const Kw = spec.K;
    if (!(Number.isInteger(Kw) && Kw >= 2)) {
      throw new InputError(source, `${source}: the number of classes must be an integer ≥ 2, got ${Kw}`);
    }
    ambiguous();
    if (yCol >= 0) role[yCol] = INDEX;
    else if (soft.size > 0) softLabels(Kw);
    else throw new InputError(source, `${source}: no column named "y" or "y0".."y${Kw - 1}" ${cols}`);
    K = Kw;
  }

  const featureNames: string[] = [];
  names.forEach((nm, j) => {
    if (role[j] === 0x7fffffff) {
      role[j] = featureNames.length;
      featureNames.push(nm);
    }
  });
  if (featureNames.length === 0) throw new InputError(source, `${source}: no feature columns ${cols}`);
  return { d: featureNames.length, K, role, featureNames };
}

function grow(a: Float64Array, size: number): Float64Array {
  const b = new Float64Array(size);
  b.set(a);
  return b;
}

/** Slow path: explain why data row r (0-based), the line starting at a (text ends at end), did not parse. */
function rowError(text: string, a: number, end: number, r: number, names: readonly string[], source: string): InputError {
  const row = r + 1;
  const where = `${source} row ${row}`;
  let b = text.indexOf("\n", a);
  if (b === -1 || b > end) b = end;
  if (b > a && text.charCodeAt(b - 1) === 13) b--;
  const line = text.slice(a, b);
  if (line.trim() === "") return new InputError(where, `${source}: row ${row} is empty`);
  const fields = line.split(",");
  if (fields.length !== names.length) {
    return new InputError(where, `${source}: row ${row} has ${fields.length} fields, the header has ${names.length}`);
  }
  for (let j = 0; j < fields.length; j++) {
    const tok = fields[j].replace(/^[ \t]+|[ \t]+$/g, "");
    const { problem } = parseNumberToken(tok);
    if (problem !== null) {
      return new InputError(`${where}, column "${names[j]}"`, `${source}: row ${row}, column "${names[j]}": ${quoteValue(tok)} ${problem}`);
    }
  }
  return new InputError(where, `${source}: row ${row} cannot be parsed`); // not reached
}
