import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { InputError } from "../../src/core/errors.js";
import { makeDataset } from "../../src/core/dataset.js";
import { parseCsv, readCsvFile, writeCsv, type LabelSpec } from "../../src/data/index.js";
import { parseNumberToken } from "../../src/data/number.js";
import { inputError } from "../helpers/errors.js";

const AUTO = { labels: "auto" } as const;
const SCALAR = { labels: "scalar" } as const;


function msg(text: string, labels: LabelSpec = "auto", source = "data.csv"): string {
  return inputError(() => parseCsv(text, source, { labels })).message;
}

describe("parseCsv: well-formed input", () => {
  it("parses features and a scalar label, row-major", () => {
    const ds = parseCsv("x1,x2,y\n1,2,0\n3,4,1\n", "data.csv", AUTO);
    expect(ds.n).toBe(2);
    expect(ds.d).toBe(2);
    expect(ds.K).toBe(1);
    expect([...ds.X]).toEqual([1, 2, 3, 4]);
    expect([...ds.y]).toEqual([0, 1]);
    expect(ds.names).toEqual(["x1", "x2"]);
    expect(ds.source).toBe("data.csv");
  });

  it("takes features in file order wherever the label column is", () => {
    const ds = parseCsv("b,y,a\n1,5,2\n3,6,4", "data.csv", SCALAR);
    expect(ds.names).toEqual(["b", "a"]);
    expect([...ds.X]).toEqual([1, 2, 3, 4]);
    expect([...ds.y]).toEqual([5, 6]);
  });

  it("accepts CRLF, no trailing newline, several trailing blank lines, a BOM", () => {
    const want = { X: [1, 2, 3, 4], y: [0, 1] };
    for (const text of [
      "x1,x2,y\r\n1,2,0\r\n3,4,1\r\n",
      "x1,x2,y\r\n1,2,0\r\n3,4,1",
      "x1,x2,y\n1,2,0\n3,4,1\n\n\n",
      "x1,x2,y\r\n1,2,0\r\n3,4,1\r\n\r\n  \r\n",
      "\ufeffx1,x2,y\n1,2,0\n3,4,1\n",
    ]) {
      const ds = parseCsv(text, "data.csv", AUTO);
      expect({ X: [...ds.X], y: [...ds.y] }).toEqual(want);
      expect(ds.names).toEqual(["x1", "x2"]);
    }
  });

  it("trims spaces and tabs around fields and names", () => {
    const ds = parseCsv(" x1 ,\tx2 , y \n 1 ,\t2\t, 0 \n", "data.csv", AUTO);
    expect(ds.names).toEqual(["x1", "x2"]);
    expect([...ds.X]).toEqual([1, 2]);
    expect([...ds.y]).toEqual([0]);
  });

  it("accepts double-quoted header names (with commas, spaces and doubled quotes)", () => {
    const ds = parseCsv('"x 1", "a,b" ,"q""t","y"\n1,2,3,0\n', "data.csv", AUTO);
    expect(ds.names).toEqual(["x 1", "a,b", 'q"t']);
    expect([...ds.X]).toEqual([1, 2, 3]);
    expect(ds.K).toBe(1);
  });

  it("accepts the strict number forms", () => {
    const cases: [string, number][] = [
      ["1e-3", 1e-3],
      ["-0", -0],
      ["+2", 2],
      [".5", 0.5],
      ["5.", 5],
      ["-.25E+2", -25],
      ["1E3", 1000],
      ["0.1", 0.1],
      ["123456789012345678901234567890", 123456789012345678901234567890],
      ["4.9e-324", 4.9e-324],
      ["1.7976931348623157e308", 1.7976931348623157e308],
      ["0.30000000000000004", 0.30000000000000004],
      ["0000.000001", 0.000001],
    ];
    const text = `x,y\n${cases.map(([s]) => `${s},0`).join("\n")}\n`;
    const ds = parseCsv(text, "data.csv", AUTO);
    cases.forEach(([s, v], i) => expect(Object.is(ds.X[i], v), `${s} → ${ds.X[i]}`).toBe(true));
  });

  it("reads soft labels y0..y{K-1} (auto and { K })", () => {
    const text = "x1,y0,y1,y2,x2\n1,0.2,0.3,0.5,2\n3,1,0,0,4\n";
    for (const labels of ["auto", { K: 3 }] as LabelSpec[]) {
      const ds = parseCsv(text, "soft.csv", { labels });
      expect(ds.K).toBe(3);
      expect(ds.names).toEqual(["x1", "x2"]);
      expect([...ds.X]).toEqual([1, 2, 3, 4]);
      expect([...ds.y]).toEqual([0.2, 0.3, 0.5, 1, 0, 0]);
    }
  });

  it("soft-label columns may come in any order in the file", () => {
    const ds = parseCsv("y1,x,y0\n0.25,7,0.75\n", "soft.csv", AUTO);
    expect([...ds.y]).toEqual([0.75, 0.25]);
    expect([...ds.X]).toEqual([7]);
  });

  it("turns class indices in y into one-hot rows with { K }", () => {
    const ds = parseCsv("x,y\n0.5,2\n1.5,0\n2.5,1\n3.5,2.0\n", "cls.csv", { labels: { K: 3 } });
    expect(ds.K).toBe(3);
    expect([...ds.y]).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it("with 'scalar', columns named y0, y1 are features", () => {
    const ds = parseCsv("y0,y1,y\n1,2,3\n", "data.csv", SCALAR);
    expect(ds.names).toEqual(["y0", "y1"]);
    expect([...ds.y]).toEqual([3]);
  });

  it("handles a one-row file and long rows", () => {
    const d = 300;
    const head = [...Array.from({ length: d }, (_, k) => `f${k}`), "y"].join(",");
    const row = [...Array.from({ length: d }, (_, k) => String(k / 7)), "1"].join(",");
    const ds = parseCsv(`${head}\n${row}`, "wide.csv", AUTO);
    expect(ds.n).toBe(1);
    expect(ds.d).toBe(d);
    expect(ds.X[299]).toBe(299 / 7);
  });

  it("grows past its first capacity guess (short first row, long later rows)", () => {
    const rows = ["1,0", ...Array.from({ length: 500 }, (_, i) => `${(i * 1.000001).toExponential(12)},1`)];
    const ds = parseCsv(`x,y\n${rows.join("\n")}\n`, "data.csv", AUTO);
    expect(ds.n).toBe(501);
    expect(ds.X.length).toBe(501);
    expect(ds.X[500]).toBe(Number((499 * 1.000001).toExponential(12)));
  });
});

describe("parseCsv: errors name the file, the data row and the column", () => {
  it("ragged rows", () => {
    expect(msg("x1,x2,y\n1,2,0\n1,2,0\n1,2,0\n1,2\n")).toBe("data.csv: row 4 has 2 fields, the header has 3");
    expect(msg("x1,x2,y\n1,2,0,5\n")).toBe("data.csv: row 1 has 4 fields, the header has 3");
    expect(msg("x1,x2,y\r\n1,2,0\r\n1\r\n")).toBe("data.csv: row 2 has 1 fields, the header has 3");
    expect(msg("x1,x2,y\n1,2,0\n1,2,0,\n")).toBe("data.csv: row 2 has 4 fields, the header has 3");
  });

  it("a trailing empty field is an empty value", () => {
    expect(msg("x1,x2,y\n1,2,\n")).toBe('data.csv: row 1, column "y": "" is not a number');
  });

  it("values that are not numbers", () => {
    const text = "x1,x2,y\n" + "1,2,0\n".repeat(6) + "1,abc,0\n";
    expect(msg(text)).toBe('data.csv: row 7, column "x2": "abc" is not a number');
    for (const bad of ["", "abc", "1.2.3", "0x10", "1e", "1e+", ".", "-", "+-1", "1_000", "--1", "e5", "1 2", '"1"', "١"]) {
      const m = msg(`x,y\n${bad},0\n`);
      expect(m).toBe(`data.csv: row 1, column "x": ${JSON.stringify(bad)} is not a number`);
    }
  });

  it("non-finite values", () => {
    for (const bad of ["NaN", "nan", "Inf", "inf", "Infinity", "-inf", "+Infinity", "1e999", "-1e400"]) {
      expect(msg(`x,y\n0,1\n${bad},0\n`)).toBe(`data.csv: row 2, column "x": ${JSON.stringify(bad)} is not finite`);
    }
    expect(msg("x,y\n0,NaN\n")).toBe('data.csv: row 1, column "y": "NaN" is not finite');
  });

  it("long bad values are shortened, control characters escaped", () => {
    const m = msg(`x,y\n${"z".repeat(100)},0\n`);
    expect(m).toBe(`data.csv: row 1, column "x": "${"z".repeat(40)}…" is not a number`);
    expect(msg("x,y\n1\r2,0\n")).toBe('data.csv: row 1, column "x": "1\\r2" is not a number');
  });

  it("an empty line in the middle", () => {
    expect(msg("x,y\n1,0\n\n2,1\n")).toBe("data.csv: row 2 is empty");
    expect(msg("x,y\r\n1,0\r\n2,1\r\n\r\n3,1\r\n")).toBe("data.csv: row 3 is empty");
    expect(msg("x,y\n1,0\n   \n2,1\n")).toBe("data.csv: row 2 is empty");
  });

  it("missing label column", () => {
    expect(msg("x1,x2,label\n1,2,3\n", "scalar")).toBe('data.csv: no column named "y" (columns: x1, x2, label)');
    expect(msg("x1,x2,label\n1,2,3\n", "auto")).toBe(
      'data.csv: no label column "y" or "y0", "y1", … (columns: x1, x2, label)',
    );
    expect(msg("x1,x2,label\n1,2,3\n", { K: 3 })).toBe(
      'data.csv: no column named "y" or "y0".."y2" (columns: x1, x2, label)',
    );
  });

  it("a long column list is shortened", () => {
    const head = Array.from({ length: 30 }, (_, k) => `c${k}`).join(",");
    const m = msg(`${head}\n${Array(30).fill(0).join(",")}\n`, "scalar");
    expect(m).toMatch(/^data\.csv: no column named "y" \(columns: c0, c1, .*, c19, … \(30 columns\)\)$/);
  });

  it("soft-label problems", () => {
    expect(msg("x,y0\n1,1\n")).toBe('data.csv: soft labels need at least the columns y0 and y1, found only "y0" (columns: x, y0)');
    expect(msg("x,y0,y2\n1,1,0\n")).toBe(
      'data.csv: label column "y2" but no "y1" (soft labels need y0..y{K-1} without gaps) (columns: x, y0, y2)',
    );
    expect(msg("x,y1,y2\n1,1,0\n")).toBe(
      'data.csv: label column "y1" but no "y0" (soft labels need y0..y{K-1} without gaps) (columns: x, y1, y2)',
    );
    expect(msg("x,y0,y1\n1,1,0\n", { K: 3 })).toBe("data.csv: label columns y0..y1 found, expected y0..y2 for K = 3");
    expect(msg("x,y0,y1,y2\n1,1,0,0\n", { K: 2 })).toBe("data.csv: label columns y0..y2 found, expected y0..y1 for K = 2");
    expect(msg("x,y0\n1,1\n", { K: 2 })).toBe('data.csv: only the label column "y0" found, expected y0..y1 for K = 2');
  });

  it("both y and y0 is ambiguous (auto and { K })", () => {
    expect(msg("x,y,y0,y1\n1,0,1,0\n")).toBe('data.csv: both "y" and "y0" columns: ambiguous labels (columns: x, y, y0, y1)');
    expect(msg("x,y,y0,y1\n1,0,1,0\n", { K: 2 })).toMatch(/^data\.csv: both "y" and "y0" columns/);
  });

  it("bad class indices", () => {
    const K3 = { K: 3 };
    expect(msg("x,y\n1,0\n1,2.5\n", K3)).toBe('data.csv: row 2, column "y": "2.5" is not a class index (an integer 0..2)');
    expect(msg("x,y\n1,0\n1,1\n1,3\n", K3)).toBe('data.csv: row 3, column "y": "3" is not a class index (an integer 0..2)');
    expect(msg("x,y\n1,-1\n", K3)).toBe('data.csv: row 1, column "y": "-1" is not a class index (an integer 0..2)');
    expect(msg("x,y\n1,abc\n", K3)).toBe('data.csv: row 1, column "y": "abc" is not a number');
  });

  it("a bad K", () => {
    expect(msg("x,y\n1,0\n", { K: 1 })).toBe("data.csv: the number of classes must be an integer ≥ 2, got 1");
    expect(msg("x,y\n1,0\n", { K: 2.5 })).toBe("data.csv: the number of classes must be an integer ≥ 2, got 2.5");
  });

  it("duplicate column names", () => {
    expect(msg("x,z,x,y\n1,2,3,0\n")).toBe('data.csv: duplicate column name "x" (columns 1 and 3)');
    expect(msg('"x", x ,y\n1,2,0\n')).toBe('data.csv: duplicate column name "x" (columns 1 and 2)');
  });

  it("no feature columns", () => {
    expect(msg("y\n1\n")).toBe("data.csv: no feature columns (columns: y)");
    expect(msg("y0,y1\n1,0\n")).toBe("data.csv: no feature columns (columns: y0, y1)");
  });

  it("no data rows, empty file", () => {
    expect(msg("x,y\n")).toBe("data.csv: no data rows");
    expect(msg("x,y")).toBe("data.csv: no data rows");
    expect(msg("x,y\r\n\r\n\n")).toBe("data.csv: no data rows");
    expect(msg("")).toBe("data.csv: empty file (a header row is required)");
    expect(msg(" \n\r\n")).toBe("data.csv: empty file (a header row is required)");
    expect(msg("\ufeff")).toBe("data.csv: empty file (a header row is required)");
  });

  it("header problems", () => {
    expect(msg("x,,y\n1,2,3\n")).toBe("data.csv: header, column 2 has an empty name");
    expect(msg("x,y,\n1,2,3\n")).toBe("data.csv: header, column 3 has an empty name");
    expect(msg("\nx,y\n1,2\n")).toBe("data.csv: header, column 1 has an empty name");
    expect(msg('x,"y\n1,2\n')).toBe("data.csv: header, column 2: unterminated quoted name");
    expect(msg('x,"y"z\n1,2\n')).toBe('data.csv: header, column 2: unexpected text after the quoted name "y"');
    expect(msg('x,y"z",y\n1,2,3\n')).toBe('data.csv: header, column 2: stray quote in name "y\\"z\\""');
    expect(msg("x,y\r1,2\r")).toBe("data.csv: the header contains a carriage return; use LF or CRLF line endings");
  });

  it("a missing header is recognised", () => {
    expect(msg("1,2,3\n4,5,6\n")).toBe('data.csv: the first line "1,2,3" looks like data; a header row is required (e.g. x1,x2,y)');
  });

  it("names the source it is given", () => {
    expect(msg("x,y\n1,a\n", "auto", "runs/train set.csv")).toBe('runs/train set.csv: row 1, column "y": "a" is not a number');
  });

  it("puts the location in InputError.where", () => {
    const e = inputError(() => parseCsv("x,y\n1,2\n1,b\n", "d.csv", AUTO));
    expect(e.where).toBe('d.csv row 2, column "y"');
  });
});

describe("readCsvFile", () => {
  const dir = mkdtempSync(join(tmpdir(), "mixup-csv-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads a file and names it in messages", () => {
    const p = join(dir, "ok.csv");
    writeFileSync(p, "x,y\n1,0\n2,1\n");
    const ds = readCsvFile(p, AUTO);
    expect([...ds.X]).toEqual([1, 2]);
    expect(ds.source).toBe(p);
    const bad = join(dir, "bad.csv");
    writeFileSync(bad, "x,y\n1,0\n2\n");
    expect(inputError(() => readCsvFile(bad, AUTO)).message).toBe(`${bad}: row 2 has 1 fields, the header has 2`);
  });

  it("a missing file", () => {
    const p = join(dir, "nope.csv");
    const e = inputError(() => readCsvFile(p, AUTO));
    expect(e.message).toBe(`${p}: cannot read file (ENOENT)`);
    expect(e.where).toBe(p);
  });

  it("a directory", () => {
    expect(inputError(() => readCsvFile(dir, AUTO)).message).toBe(`${dir}: cannot read file (EISDIR)`);
  });
});

describe("writeCsv", () => {
  it("writes names, then y", () => {
    const ds = makeDataset(new Float64Array([1, -0, 0.1, 2e-300]), new Float64Array([0, 1]), 2, 2, 1, { names: ["a", "b"] });
    expect(writeCsv(ds)).toBe("a,b,y\n1,-0,0\n0.1,2e-300,1\n");
  });

  it("defaults to x1..xd and writes y0..y{K-1} for soft labels", () => {
    const ds = makeDataset(new Float64Array([1, 2]), new Float64Array([0.25, 0.75, 1, 0]), 2, 1, 2);
    expect(writeCsv(ds)).toBe("x1,y0,y1\n1,0.25,0.75\n2,1,0\n");
  });

  it("quotes names that need it, and the result parses back", () => {
    const ds = makeDataset(new Float64Array([1, 2, 3]), new Float64Array([1]), 1, 3, 1, { names: ["a,b", ' q"t', "plain"] });
    const text = writeCsv(ds);
    expect(text.split("\n")[0]).toBe('"a,b"," q""t",plain,y');
    expect(parseCsv(text, "w.csv", AUTO).names).toEqual(["a,b", ' q"t', "plain"]);
  });

  it("refuses names it could not read back", () => {
    const mk = (names: string[]) => makeDataset(new Float64Array(names.length), new Float64Array(1), 1, names.length, 1, { names, source: "gen" });
    expect(inputError(() => writeCsv(mk(["y"]))).message).toBe('gen: feature name "y" would be read back as a label column');
    expect(inputError(() => writeCsv(mk(["y3"]))).message).toMatch(/"y3" would be read back as a label column/);
    expect(inputError(() => writeCsv(mk(["a", "a"]))).message).toBe('gen: duplicate feature name "a"');
    expect(inputError(() => writeCsv(mk(["a\nb"]))).message).toBe('gen: feature name "a\\nb" cannot be written in a CSV header');
  });

  it("one-hot labels from class indices come back as soft labels", () => {
    const ds = parseCsv("x,y\n1,1\n2,0\n", "c.csv", { labels: { K: 2 } });
    const back = parseCsv(writeCsv(ds), "c2.csv", AUTO);
    expect(back.K).toBe(2);
    expect([...back.y]).toEqual([0, 1, 1, 0]);
  });
});

describe("properties", () => {
  const finite = fc.double({ noNaN: true, noDefaultInfinity: true });

  it("random finite matrices round-trip exactly through writeCsv → parseCsv", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom(1, 2, 3),
        fc.infiniteStream(finite),
        (n, d, K, stream) => {
          const X = new Float64Array(n * d);
          const y = new Float64Array(n * K);
          const it = stream[Symbol.iterator]();
          for (let i = 0; i < X.length; i++) X[i] = it.next().value as number;
          for (let i = 0; i < y.length; i++) y[i] = it.next().value as number;
          const ds = makeDataset(X, y, n, d, K);
          const back = parseCsv(writeCsv(ds), "rt.csv", AUTO);
          expect(back.n).toBe(n);
          expect(back.d).toBe(d);
          expect(back.K).toBe(K);
          for (let i = 0; i < X.length; i++) if (!Object.is(back.X[i], X[i])) return false;
          for (let i = 0; i < y.length; i++) if (!Object.is(back.y[i], y[i])) return false;
          return true;
        },
      ),
      { numRuns: 300 },
    );
  });

  it("the strict reader agrees with Number() on every string of the decimal grammar", () => {
    const digits = (min: number, max: number) =>
      fc.array(fc.constantFrom(..."0123456789"), { minLength: min, maxLength: max }).map((a) => a.join(""));
    const token = fc
      .tuple(
        fc.constantFrom("", "+", "-"),
        digits(0, 20),
        fc.boolean(),
        digits(0, 20),
        fc.option(fc.tuple(fc.constantFrom("e", "E"), fc.constantFrom("", "+", "-"), digits(1, 4))),
      )
      .filter(([, a, , b]) => a.length + b.length > 0)
      .map(([s, a, dot, b, e]) => `${s}${a}${dot || b.length > 0 ? "." : ""}${b}${e ? e.join("") : ""}`);
    fc.assert(
      fc.property(token, (t) => {
        const want = Number(t);
        const r = parseNumberToken(t);
        if (Number.isFinite(want)) return r.problem === null && Object.is(r.value, want);
        return r.problem === "is not finite";
      }),
      { numRuns: 3000 },
    );
  });

  it("String(x) of any finite double reads back as x", () => {
    fc.assert(
      fc.property(finite, (x) => {
        const s = Object.is(x, -0) ? "-0" : String(x);
        const r = parseNumberToken(s);
        return r.problem === null && Object.is(r.value, x);
      }),
      { numRuns: 5000 },
    );
  });
});
