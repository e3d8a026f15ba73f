import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import type { Dataset } from "../../src/core/dataset.js";
import { InputError } from "../../src/core/errors.js";
import { parseCsv, readCsvFile, type LabelSpec } from "../../src/data/index.js";
import { scanEnd, scanNumberBytes } from "../../src/data/number.js";
import { parseCsv as parseCsvReference } from "./reference/csvOld.js";

/** What a reader did: the data, or the InputError's message and where. */
type Outcome = { n: number; d: number; K: number; X: number[]; y: number[]; names: readonly string[] | undefined } | { error: string; where: string };

function outcome(f: () => Dataset): Outcome {
  try {
    const ds = f();
    return { n: ds.n, d: ds.d, K: ds.K, X: [...ds.X], y: [...ds.y], names: ds.names };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { error: e.message, where: e.where };
  }
}

/** Object.is on every number (so -0 and 0 differ), deep equality on the rest. */
function same(a: Outcome, b: Outcome): boolean {
  if ("error" in a || "error" in b) return JSON.stringify(a) === JSON.stringify(b);
  if (a.n !== b.n || a.d !== b.d || a.K !== b.K || JSON.stringify(a.names) !== JSON.stringify(b.names)) return false;
  if (a.X.length !== b.X.length || a.y.length !== b.y.length) return false;
  return a.X.every((v, i) => Object.is(v, b.X[i])) && a.y.every((v, i) => Object.is(v, b.y[i]));
}

const dir = mkdtempSync(join(tmpdir(), "mixup-csvstream-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;

function viaFile(text: string, labels: LabelSpec, chunkBytes: number): Outcome {
  const p = join(dir, `f${fileCount++}.csv`);
  writeFileSync(p, text);
  const o = outcome(() => readCsvFile(p, { labels, chunkBytes }));
  // messages name the path: compare them under the name the string readers were given
  if ("error" in o) return { error: o.error.split(p).join("data.csv"), where: o.where.split(p).join("data.csv") };
  return o;
}

const HEADERS = ["x,y", "x1,x2,y", "x,y0,y1", "y1,x,y0", '"x 1", y', "y,x", "x", "1,2", "", " ", "\t\r", "x,y\r", 'x,"y', "x,,y", "x,y,y0,y1", "é,y"];
const FIELDS = ["0", "1", "2", "-0.5", "1e-3", "abc", "", "NaN", "1e999", " 3 ", "\t4", "0.30000000000000004", "-1.2345678901234567e-5", "2.0", "1.5", "-0", "١", "0.25", "\r", "1\r2"];
const ENDS = ["\n", "\n", "\n", "\r\n", "\r", "", " \n", "\r \n"];
const TAILS = ["", "", "\n", "\n\n", " \r\n", "\r ", "\r\n\r\n", "\f", "\t", "\n \n\t"];

const csvText = fc
  .tuple(
    fc.boolean(),
    fc.constantFrom(...HEADERS),
    fc.array(
      fc.oneof(
        { weight: 8, arbitrary: fc.tuple(fc.array(fc.constantFrom(...FIELDS), { minLength: 1, maxLength: 4 }), fc.constantFrom(...ENDS)).map(([f, e]) => f.join(",") + e) },
        { weight: 1, arbitrary: fc.constantFrom("\n", " \n", "\r\n", "\t\n") },
      ),
      { maxLength: 8 },
    ),
    fc.constantFrom(...TAILS),
    fc.constantFrom(...ENDS),
  )
  .map(([bom, head, rows, tail, headEnd]) => (bom ? "\ufeff" : "") + head + headEnd + rows.join("") + tail);

const labelSpec = fc.constantFrom<LabelSpec>("auto", "scalar", { K: 2 }, { K: 3 });

describe("the streaming CSV reader against the reader it replaced", () => {
  it("same data or the same message on random CSV-like texts, whole and in chunks of 1..64 bytes", () => {
    fc.assert(
      fc.property(csvText, labelSpec, fc.constantFrom(1, 2, 3, 5, 8, 64), (text, labels, chunk) => {
        const want = outcome(() => parseCsvReference(text, "data.csv", { labels }));
        const got = outcome(() => parseCsv(text, "data.csv", { labels }));
        if (!same(got, want)) throw new Error(`parseCsv ${JSON.stringify(text)} ${JSON.stringify(labels)}: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`);
        const file = viaFile(text, labels, chunk);
        if (!same(file, want)) throw new Error(`readCsvFile/${chunk} ${JSON.stringify(text)}: ${JSON.stringify(file)} vs ${JSON.stringify(want)}`);
        return true;
      }),
      { numRuns: 1500 },
    );
  });

  it("lines longer than the read buffer, a BOM split from nothing, CRLF across reads", () => {
    const row = Array.from({ length: 200 }, (_, k) => String(k / 3)).join(",");
    const head = Array.from({ length: 200 }, (_, k) => `f${k}`).join(",");
    const text = `\ufeff${head},y\r\n${row},1\r\n${row},0\r\n\r\n`;
    const want = outcome(() => parseCsvReference(text, "data.csv", { labels: "scalar" }));
    expect("error" in want).toBe(false);
    for (const chunk of [1, 7, 100, 4096]) expect(same(viaFile(text, "scalar", chunk), want)).toBe(true);
  });

  it("many rows across many reads, with class indices (one-hot rows)", () => {
    const rows = ["x1,x2,y"];
    for (let i = 0; i < 5000; i++) rows.push(`${(i * 0.37).toFixed(3)},${String(Math.sin(i))},${i % 3}`);
    const text = rows.join("\n") + "\n";
    const want = outcome(() => parseCsvReference(text, "data.csv", { labels: { K: 3 } }));
    for (const chunk of [13, 1000, 1 << 16]) expect(same(viaFile(text, { K: 3 }, chunk), want)).toBe(true);
  });

  it("the last row may carry trailing spaces, tabs and CRs; a row after it may not", () => {
    expect(outcome(() => parseCsv("x,y\n1,0\r \n", "data.csv", { labels: "auto" }))).toMatchObject({ n: 1, X: [1], y: [0] });
    expect(outcome(() => parseCsv("x,y\n1,0\r \n2,1\n", "data.csv", { labels: "auto" }))).toEqual({
      error: 'data.csv: row 1, column "y": "0\\r" is not a number',
      where: 'data.csv row 1, column "y"',
    });
    expect(outcome(() => parseCsv("x,y\n1,\r \n", "data.csv", { labels: "auto" }))).toEqual({
      error: 'data.csv: row 1, column "y": "" is not a number',
      where: 'data.csv row 1, column "y"',
    });
  });
});

describe("scanNumberBytes", () => {
  const scan = (t: string) => {
    const b = Buffer.from(t, "latin1");
    const v = scanNumberBytes(b, 0, b.length);
    return scanEnd === b.length ? v : NaN;
  };

  it("String(x) of any double reads back as x (the 16–19 digit double-double path)", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => Object.is(scan(String(x)), x) || (Object.is(x, -0) && Object.is(scan("-0"), -0))),
      { numRuns: 20000 },
    );
  });

  it("agrees with Number() on 16–19 significant digits at every decimal exponent in ±40", () => {
    const digits = fc.array(fc.constantFrom(..."0123456789"), { minLength: 16, maxLength: 19 }).map((a) => a.join(""));
    fc.assert(
      fc.property(digits, fc.nat(19), fc.integer({ min: -40, max: 40 }), fc.boolean(), (ds, at, e, neg) => {
        const k = Math.min(at, ds.length);
        const t = `${neg ? "-" : ""}${ds.slice(0, k)}.${ds.slice(k)}e${e}`;
        return Object.is(scan(t), Number(t));
      }),
      { numRuns: 20000 },
    );
  });

  it("halfway cases and neighbours of binade edges", () => {
    for (const t of [
      "9007199254740993", // 2^53 + 1: a tie, to even
      "9007199254740995",
      "18014398509481986",
      "4503599627370496.5",
      "4503599627370497.5",
      "1.7976931348623157e308",
      "9999999999999999999",
      "1000000000000000000",
      "9007199254740993e-5",
      "0.30000000000000004",
      "2.2250738585072014e-308",
      "1.00000000000000011102230246251565404236316680908203125",
    ]) {
      expect(Object.is(scan(t), Number(t)), t).toBe(true);
    }
  });
});
