/**
 * The data of a figure: a table of cells. A cell is a finite number, a string, or null (a value that does
 * not exist at that point, e.g. a slope that could not be fitted); NaN and ±Infinity are not cells (the CSV
 * writer refuses them, as the JSON writer does, core/json.ts).
 */
export type Cell = number | string | null;

/** One row: column name → cell. A column missing from a row is null. */
export type Row = Readonly<Record<string, Cell>>;

/** A table with a fixed column order (the CSV's header). */
export interface Table {
  readonly columns: readonly string[];
  readonly rows: readonly Row[];
}

/** A Vega-Lite specification as plain data (JSON-serialisable objects, arrays, strings, numbers). */
export type VlSpec = { [key: string]: unknown };
