import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "../../src/figures/csv.js";

/** A minimal RFC 4180 reader for the round trip (quoted fields with doubled quotes). */
function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let k = 0;
  while (k <= line.length) {
    if (line[k] === '"') {
      let v = "";
      k++;
      while (k < line.length) {
        if (line[k] === '"' && line[k + 1] === '"') (v += '"'), (k += 2);
        else if (line[k] === '"') break;
        else v += line[k++];
      }
      out.push(v);
      k += 2; // closing quote and comma
    } else {
      const end = line.indexOf(",", k);
      out.push(end < 0 ? line.slice(k) : line.slice(k, end));
      k = end < 0 ? line.length + 1 : end + 1;
    }
  }
  return out;
}

describe("toCsv", () => {
  it("every finite double round-trips exactly (Number(text) === x, −0 included)", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 20 }), (xs) => {
        const csv = toCsv(["x"], xs.map((x) => ({ x })));
        const lines = csv.split("\n");
        expect(lines[0]).toBe("x");
        expect(lines.length).toBe(xs.length + 2); // header, rows, final empty after "\n"
        xs.forEach((x, k) => expect(Object.is(Number(lines[k + 1]), x)).toBe(true));
      }),
      { numRuns: 300 },
    );
    for (const x of [5e-324, -5e-324, 1.7976931348623157e308, 0.1 + 0.2, -0, 1e21, 123456789012345680000]) {
      expect(Object.is(Number(csvCell(x, "x")), x)).toBe(true);
    }
  });

  it("fixed column order, null and missing columns as empty fields, strings quoted only when needed", () => {
    const csv = toCsv(["b", "a", "c"], [{ a: 1, b: "x,y", c: null }, { a: 'say "hi"', b: -0 }, { c: "line\nbreak" }]);
    expect(csv).toBe('b,a,c\n"x,y",1,\n-0,"say ""hi""",\n,,"line\nbreak"\n');
    expect(parseCsvLine('"x,y",1,')).toEqual(["x,y", "1", ""]);
    expect(parseCsvLine('-0,"say ""hi""",')).toEqual(["-0", 'say "hi"', ""]);
  });

  it("refuses NaN and ±Infinity (a missing value is null) and repeated columns", () => {
    expect(() => toCsv(["x"], [{ x: NaN }])).toThrow(/column x holds NaN/);
    expect(() => toCsv(["x"], [{ x: -Infinity }])).toThrow(/-Infinity/);
    expect(() => toCsv(["x", "x"], [])).toThrow(/repeated column/);
  });

  it("is pure: the same rows give the same bytes", () => {
    const rows = [{ s: 0.5, r: 1e-7 }, { s: 0.25, r: null }];
    expect(toCsv(["s", "r"], rows)).toBe(toCsv(["s", "r"], rows));
  });
});
