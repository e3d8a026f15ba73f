import { closeSync, fstatSync, readSync } from "node:fs";
import { InputError } from "../core/errors.js";
import { makeDataset, type Dataset } from "../core/dataset.js";
import { sharedFloat64Array, sharedPrefix } from "../core/shared.js";
import { cannotRead, openForReading } from "./file.js";
import { parseNumberToken, quoteValue, scanEnd, scanNumberBytes } from "./number.js";

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
  /** bytes per read in `readCsvFile` (default 4 MiB); tiny values split lines across reads (tests) */
  readonly chunkBytes?: number;
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
 *
 * The text is parsed as its UTF-8 bytes by the same reader as `readCsvFile`.
 */
export function parseCsv(text: string, source: string, opts: CsvOptions): Dataset {
  const bytes = Buffer.from(text, "utf8");
  const reader = new CsvReader(source, opts, bytes.length);
  reader.feed(bytes, 0, bytes.length);
  return reader.finish();
}

/** Bytes read per system call by `readCsvFile`. */
const CHUNK = 1 << 22;

/**
 * Read and parse a CSV file; an unreadable path (missing, a directory, no permission) is an InputError.
 * The file is streamed: read in 4 MiB chunks and parsed as bytes straight into the typed arrays (no
 * string of the whole file, no per-row objects), with the same rules and messages as `parseCsv`.
 */
export function readCsvFile(path: string, opts: CsvOptions): Dataset {
  const fd = openForReading(path);
  try {
    let size = 0;
    try {
      size = fstatSync(fd).size;
    } catch {
      // a size is only a capacity hint
    }
    const reader = new CsvReader(path, opts, size);
    let buf = Buffer.allocUnsafe(opts.chunkBytes ?? Math.min(CHUNK, Math.max(size, 1 << 16)));
    let have = 0; // bytes of an unfinished line kept at the front of buf
    for (;;) {
      if (have === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2); // a line longer than the buffer
        buf.copy(bigger, 0, 0, have);
        buf = bigger;
      }
      let got: number;
      try {
        got = readSync(fd, buf, have, buf.length - have, null);
      } catch (e) {
        throw cannotRead(path, e);
      }
      if (got === 0) break;
      const end = have + got;
      const nl = buf.lastIndexOf(10, end - 1);
      if (nl < have) {
        have = end; // no line end yet (the kept bytes hold none)
        continue;
      }
      reader.feed(buf, 0, nl + 1);
      buf.copy(buf, 0, nl + 1, end);
      have = end - nl - 1;
    }
    reader.feed(buf, 0, have);
    return reader.finish();
  } finally {
    closeSync(fd);
  }
}


/** A row of a file that parsed only without its trailing spaces, tabs and CRs: fine if it is the last one. */
interface Deferred {
  /** thrown if a non-blank line follows */
  readonly ifMore: InputError;
  /** thrown at the end of the file; null: the trimmed row was taken */
  readonly ifLast: InputError | null;
}

/**
 * The streaming reader: `feed` it whole lines (each region ends with "\n", except the file's last),
 * then `finish`. Line ends are found in bytes; numbers are scanned from bytes into X and y; only the
 * header and a failing line are decoded to strings.
 */
class CsvReader {
  private started = false;
  private names: string[] | null = null;
  /** a blank first line: an error if anything but blank lines follows, else an empty file */
  private blankHeader: string | null = null;
  private layout: Layout | null = null;
  private X: Float64Array = new Float64Array(0);
  private y: Float64Array = new Float64Array(0);
  private cap = 0;
  private n = 0;
  /** absolute offset of the next byte fed */
  private pos = 0;
  /** 1-based row of the first blank line after the last row (0: none); an error if a row follows */
  private blank = 0;
  private deferred: Deferred | null = null;
  /** the header's outcome if it is the file's last non-blank line (undefined: the same either way) */
  private headerIfLast: InputError | null | undefined = undefined;
  /** the header's error if more lines follow, when it would be fine as the last line */
  private headerIfMore: InputError | null = null;

  constructor(
    private readonly source: string,
    private readonly opts: CsvOptions,
    private readonly sizeHint: number,
  ) {}

  feed(buf: Buffer, a: number, b: number): void {
    const base = this.pos - a;
    this.pos += b - a;
    let p = a;
    if (!this.started) {
      this.started = true;
      if (b - p >= 3 && buf[p] === 0xef && buf[p + 1] === 0xbb && buf[p + 2] === 0xbf) p += 3;
    }
    while (p < b && this.layout === null) p = this.headerLine(buf, p, b);
    while (p < b) {
      p = this.rows(buf, p, b, base);
      if (p < b) p = this.failedLine(buf, p, b);
    }
  }

  finish(): Dataset {
    const { source } = this;
    if (this.layout === null && this.headerIfMore === null) {
      throw new InputError(source, `${source}: empty file (a header row is required)`);
    }
    if (this.n === 0 && this.headerIfLast) throw this.headerIfLast;
    if (this.deferred?.ifLast) throw this.deferred.ifLast;
    const { n, layout } = this;
    if (n === 0 || layout === null) throw new InputError(source, `${source}: no data rows`);
    const { d, K } = layout;
    let { X, y } = this;
    // on shared memory from the start: the worker pool then sends them to its workers without a copy
    if (n * d !== X.length) X = sharedPrefix(X, n * d);
    if (n * K !== y.length) y = sharedPrefix(y, n * K);
    return makeDataset(X, y, n, d, K, { names: layout.featureNames, source });
  }

  /** The header (or a blank line before it); returns the start of the next line. */
  private headerLine(buf: Buffer, p: number, b: number): number {
    const { e, next } = lineAt(buf, p, b);
    const line = buf.toString("utf8", p, e);
    if (isBlank(line)) {
      if (this.blankHeader === null && this.headerIfMore === null) this.blankHeader = line;
      return next;
    }
    if (this.headerIfMore !== null) throw this.headerIfMore;
    // a blank first line followed by text: the header is that blank line (its first name is empty)
    if (this.blankHeader !== null) parseHeader(this.blankHeader, 0, this.blankHeader.length, this.source);
    // the file's last line is read without its trailing spaces, tabs and CRs: if that changes the
    // outcome, the header's fate waits for the end of the file (or the next non-blank line)
    const trimmed = line.replace(/[ \t\r]+$/, "");
    if (trimmed !== line) {
      try {
        resolveLabels(parseHeader(trimmed, 0, trimmed.length, this.source), this.opts.labels, this.source);
        this.headerIfLast = null;
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        this.headerIfLast = err;
      }
    }
    try {
      const names = parseHeader(line, 0, line.length, this.source);
      this.layout = resolveLabels(names, this.opts.labels, this.source);
      this.names = names;
    } catch (err) {
      if (!(err instanceof InputError) || trimmed === line) throw err;
      this.headerIfMore = err;
    }
    return next;
  }

  /**
   * Parse data rows from p until the region ends (returns b) or a line does not parse (returns its
   * start, for `failedLine`). Errors that need no second look (class indices) are thrown here.
   */
  private rows(buf: Buffer, p: number, b: number, base: number): number {
    const { d, K, role } = this.layout!;
    const ncol = role.length;
    const last = ncol - 1;
    if (this.cap === 0) {
      // the capacity is guessed from the first line's length and the size, and grown when needed
      let firstLen = buf.indexOf(10, p);
      firstLen = (firstLen === -1 || firstLen >= b ? b : firstLen) - p + 1;
      const rest = Math.max(this.sizeHint - (base + p), b - p) + 1;
      this.cap = Math.max(16, Math.ceil((rest / firstLen) * 1.25));
      this.X = sharedFloat64Array(this.cap * d);
      this.y = sharedFloat64Array(this.cap * K);
    }
    const blocked = this.blank !== 0 || this.deferred !== null;
    let { X, y, cap, n } = this;
    let failed = false;
    lines: while (p < b) {
      // p is the start of a data line; fields end at ',' (the last one at "\n", "\r\n" or the end)
      if (n === cap) {
        cap = Math.ceil(cap * 1.5) + 16;
        X = grow(X, cap * d);
        y = grow(y, cap * K);
        this.X = X;
        this.y = y;
        this.cap = cap;
      }
      const xo = n * d;
      const yo = n * K;
      let q = p;
      for (let j = 0; j < ncol; j++) {
        let c = 0;
        while (q < b && ((c = buf[q]) === 32 || c === 9)) q++;
        const v = scanNumberBytes(buf, q, b);
        let k = scanEnd;
        while (k < b && ((c = buf[k]) === 32 || c === 9)) k++;
        c = k < b ? buf[k] : 10;
        if (j < last) {
          if (c !== 44) {
            failed = true;
            break lines;
          }
        } else {
          if (c === 13) c = ++k < b ? buf[k] : 10;
          if (c !== 10) {
            failed = true;
            break lines;
          }
        }
        if (v - v !== 0) {
          failed = true; // NaN (bad syntax) or ±Infinity
          break lines;
        }
        const ro = role[j];
        if (ro >= 0) X[xo + ro] = v;
        else if (ro === SCALAR) y[yo] = v;
        else if (ro === INDEX) {
          if (!(v >= 0 && v < K && Number.isInteger(v))) {
            if (blocked) this.throwBlocked();
            const tok = buf.toString("latin1", q, scanEnd);
            const name = this.names![j];
            throw new InputError(
              `${this.source} row ${n + 1}`,
              `${this.source}: row ${n + 1}, column "${name}": ${quoteValue(tok)} is not a class index (an integer 0..${K - 1})`,
            );
          }
          y[yo + v] = 1;
        } else y[yo + SOFT - ro] = v;
        q = k + 1;
      }
      if (blocked) this.throwBlocked();
      p = q;
      n++;
    }
    // a failing row leaves n unchanged; clear the one-hot entry it may have set
    if (failed && K > 1) y.fill(0, n * K, (n + 1) * K);
    this.n = n;
    return p;
  }

  /** A row that is blocked by an earlier blank line or a deferred row. */
  private throwBlocked(): never {
    if (this.deferred !== null) throw this.deferred.ifMore;
    const row = this.blank;
    throw new InputError(`${this.source} row ${row}`, `${this.source}: row ${row} is empty`);
  }

  /** The slow path for a line that did not parse at p: a blank line, a deferred last row, or the error. */
  private failedLine(buf: Buffer, p: number, b: number): number {
    const { e, next } = lineAt(buf, p, b);
    const line = buf.toString("utf8", p, e);
    if (isBlank(line)) {
      if (this.blank === 0 && this.deferred === null) this.blank = this.n + 1;
      return next;
    }
    if (this.blank !== 0 || this.deferred !== null) this.throwBlocked();
    const err = rowError(line, this.n, this.names!, this.source);
    const trimmed = line.replace(/[ \t\r]+$/, "");
    if (trimmed === line) throw err;
    // the file's last line is read without its trailing spaces, tabs and CRs
    let ifLast: InputError | null = null;
    const bytes = Buffer.from(trimmed, "utf8");
    try {
      if (this.rows(bytes, 0, bytes.length, 0) < bytes.length) ifLast = rowError(trimmed, this.n, this.names!, this.source);
    } catch (e2) {
      if (!(e2 instanceof InputError)) throw e2;
      ifLast = e2;
    }
    this.deferred = { ifMore: err, ifLast };
    return next;
  }
}

/** The line starting at p within [p, b): e is its end without a final "\r", next the start of the next line. */
function lineAt(buf: Buffer, p: number, b: number): { e: number; next: number } {
  let e = buf.indexOf(10, p);
  if (e === -1 || e >= b) e = b;
  const next = e + 1;
  if (e > p && buf[e - 1] === 13) e--;
  return { e, next: Math.min(next, b) };
}

/** Only spaces, tabs and CRs: a blank line (accepted at the end of a file). */
function isBlank(line: string): boolean {
  return /^[ \t\r]*$/.test(line);
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
  const b = sharedFloat64Array(size);
  b.set(a);
  return b;
}

/** Slow path: explain why data row r (0-based), `line` (without its line end), did not parse. */
function rowError(line: string, r: number, names: readonly string[], source: string): InputError {
  const row = r + 1;
  const where = `${source} row ${row}`;
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
