/**
 * The JSON encoding of numbers shared by the CLI and the library's reports (verify/report.ts): output JSON
 * never holds NaN or Infinity. A quantity that is undefined or infinite is written as null with a reason
 * beside it (`orNull`, `finiteOrReason`), and `stringifyStrict` refuses to print a non-finite number that
 * slipped through (that is a bug, not an output). No terminal, no I/O: pure functions.
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

/**
 * A JSON-safe deep copy for free-form details (e.g. a proofs-check's `details`): every non-finite number
 * becomes null. Use `finiteOrReason` where a field has a name and a reason can be given.
 */
export function nonFiniteToNull(v: unknown): unknown {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (Array.isArray(v)) return v.map(nonFiniteToNull);
  if (v && typeof v === "object") {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = nonFiniteToNull(x);
    return o;
  }
  return v;
}

/** JSON.stringify that throws on a non-finite number (NaN, ±Infinity) instead of writing null silently. */
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
