import type { Cell, Row } from "./types.js";

/**
 * A cell as CSV text. Numbers in JavaScript's shortest round-trip form (`String(x)`: `Number(text) === x`
 * for every finite double), with −0 written `-0` so that it round-trips too; null (or a missing column) is
 * an empty field; a string is quoted (RFC 4180, `"` doubled) only when it holds a comma, a quote or a line
 * break. NaN and ±Infinity throw: a figure's table holds them as null (see types.ts).
 */
export function csvCell(v: Cell | undefined, column: string): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new RangeError(`toCsv: column ${column} holds ${String(v)}; write null for a missing value`);
    return Object.is(v, -0) ? "-0" : String(v);
  }
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * The rows as CSV: a header of `columns`, then one line per row with the cells in that order, "\n" line
 * ends, a final "\n". Pure: the same rows give the same bytes. Columns a row lacks are empty fields.
 */
export function toCsv(columns: readonly string[], rows: readonly Row[]): string {
  if (new Set(columns).size !== columns.length) throw new RangeError(`toCsv: repeated column in ${columns.join(",")}`);
  const lines = [columns.map((c) => csvCell(c, "header")).join(",")];
  for (const r of rows) lines.push(columns.map((c) => csvCell(r[c], c)).join(","));
  return lines.join("\n") + "\n";
}
