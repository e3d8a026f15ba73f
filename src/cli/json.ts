import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * JSON output helpers. The CLI's JSON never holds NaN or Infinity: a quantity that is undefined or
 * infinite is written as null with a reason beside it (`orNull`), and `stringifyStrict` refuses to
 * print a non-finite number that slipped through (that is a bug, not an output).
 */
export function orNull(x: number, reason: string): { value: number | null; reason?: string } {
  return Number.isFinite(x) ? { value: x } : { value: null, reason };
}

/** A JSON object whose number fields may be null; a null field has a string `<field>Reason` beside it. */
export type NullableFields = Record<string, number | string | null>;

/**
 * `orNull` for a group of fields, written in order: a finite number is kept; a non-finite number or
 * null becomes null and `<field>Reason` is added right after it, with the text `reason(field, x)`
 * (x is the original value: NaN, ±Infinity or null). The result is safe for `stringifyStrict`.
 */
export function finiteOrReason(
  fields: Record<string, number | null>,
  reason: (field: string, x: number | null) => string,
): NullableFields {
  const out: NullableFields = {};
  for (const [k, x] of Object.entries(fields)) {
    if (x !== null && Number.isFinite(x)) {
      out[k] = x;
    } else {
      out[k] = null;
      out[`${k}Reason`] = reason(k, x);
    }
  }
  return out;
}

/** How a non-finite number reads in a reason: "NaN", "Infinity", "-Infinity". */
export function nonFiniteText(x: number | null): string {
  return x === null ? "undefined" : String(x);
}

export function stringifyStrict(obj: unknown, indent = 2): string {
  return JSON.stringify(
    obj,
    (key, v) => {
      if (typeof v === "number" && !Number.isFinite(v)) {
        throw new Error(`non-finite number ${v} in JSON output at "${key}"`);
      }
      return v;
    },
    indent,
  );
}

let cachedVersion: string | null = null;

/** The package version, read from the package.json above this module (works from src/ and dist/). */
export function packageVersion(): string {
  if (cachedVersion) return cachedVersion;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let k = 0; k < 6; k++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "mixup-theory" && pkg.version) return (cachedVersion = pkg.version);
    } catch {
      /* keep walking up */
    }
    dir = dirname(dir);
  }
  return (cachedVersion = "unknown");
}

/** Format a number for tables: 6 significant digits, exponent when tiny or huge. */
export function fmt(x: number | null | undefined, digits = 6): string {
  if (x === null || x === undefined) return "—";
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a < 1e-4 || a >= 1e7 ? x.toExponential(digits - 1) : x.toPrecision(digits);
}
