import { checkShape, checkTol, MAX_SHAPE, MIN_SHAPE, MIN_TOL, SHAPE_RANGE } from "../../core/constants.js";
import { InputError } from "../../core/errors.js";
import { parseNumberToken, quoteValue } from "../../data/number.js";

/**
 * Strict parsers for command-line option values. Each throws an InputError whose one-line message
 * names the option and the value, e.g. `--alpha: expected a finite number > 0, got "0"`.
 * Numbers use the CSV reader's strict syntax ("1e-3", ".5", "+2" yes; "0x10", "", "NaN" no).
 */

function num(value: string): number {
  const r = parseNumberToken(value.trim());
  return r.problem === null ? r.value : NaN;
}

/** A finite number. */
export function parseFinite(name: string, value: string): number {
  const v = num(value);
  if (!Number.isFinite(v)) throw new InputError(name, `${name}: expected a finite number, got ${quoteValue(value)}`);
  return v;
}

/** A finite number > 0 (e.g. --alpha). */
export function parsePositive(name: string, value: string): number {
  const v = num(value);
  if (!(Number.isFinite(v) && v > 0)) {
    throw new InputError(name, `${name}: expected a finite number > 0, got ${quoteValue(value)}`);
  }
  return v;
}

/** A finite number ≥ 0. */
export function parseNonNegative(name: string, value: string): number {
  const v = num(value);
  if (!(Number.isFinite(v) && v >= 0)) {
    throw new InputError(name, `${name}: expected a finite number ≥ 0, got ${quoteValue(value)}`);
  }
  return v + 0; // -0 → 0
}

/** An integer 0 ≤ v ≤ 2^53 − 1 (e.g. --seed, --n); "1e3" is accepted as 1000. */
export function parseNonNegativeInt(name: string, value: string): number {
  const v = num(value);
  if (!(Number.isSafeInteger(v) && v >= 0)) {
    throw new InputError(name, `${name}: expected an integer ≥ 0, got ${quoteValue(value)}`);
  }
  return v + 0;
}

/** An integer ≥ 1. */
export function parsePositiveInt(name: string, value: string): number {
  const v = num(value);
  if (!(Number.isSafeInteger(v) && v >= 1)) {
    throw new InputError(name, `${name}: expected an integer ≥ 1, got ${quoteValue(value)}`);
  }
  return v;
}

/** A relative tolerance (e.g. --tol): the library's rule, MIN_TOL ≤ t < 1 (core/constants.ts, checkTol). */
export function parseTol(name: string, value: string): number {
  const v = num(value);
  if (!Number.isFinite(v)) throw new InputError(name, `${name}: expected a number in [${MIN_TOL}, 1), got ${quoteValue(value)}`);
  return checkTol(v, name);
}

/** A Beta shape (--alpha, --beta): the library's rule, MIN_SHAPE ≤ v ≤ MAX_SHAPE (core/constants.ts, checkShape). */
export function parseShape(name: string, value: string): number {
  const v = num(value);
  if (Number.isNaN(v)) throw new InputError(name, `${name}: expected a number in ${SHAPE_RANGE}, got ${quoteValue(value)}`);
  return checkShape(v, name);
}

/** What every item of a number list must be. */
export type ListItemKind = "finite" | "positive" | "nonNegative" | "unit" | "shape";

const KIND_TEXT: Record<ListItemKind, string> = {
  finite: "a finite number",
  positive: "a finite number > 0",
  nonNegative: "a finite number ≥ 0",
  unit: "a number in [0, 1]",
  shape: `a Beta shape in ${SHAPE_RANGE}`,
};

function itemOk(v: number, kind: ListItemKind): boolean {
  if (!Number.isFinite(v)) return false;
  switch (kind) {
    case "finite":
      return true;
    case "positive":
      return v > 0;
    case "nonNegative":
      return v >= 0;
    case "unit":
      return v >= 0 && v <= 1;
    case "shape":
      return v >= MIN_SHAPE && v <= MAX_SHAPE;
  }
}

/** A non-empty comma-separated list, e.g. parseNumberList("--lambdas", "0,0.01,0.1"). */
export function parseNumberList(name: string, value: string, each: ListItemKind = "finite"): number[] {
  const items = value.split(",");
  if (value.trim() === "") throw new InputError(name, `${name}: expected a comma-separated list of numbers, got ""`);
  const out: number[] = [];
  for (let i = 0; i < items.length; i++) {
    const tok = items[i].trim();
    if (tok === "") {
      throw new InputError(name, `${name}: item ${i + 1} of ${quoteValue(value, 80)} is empty`);
    }
    const v = num(tok);
    if (!itemOk(v, each)) {
      throw new InputError(
        name,
        `${name}: item ${i + 1} of ${quoteValue(value, 80)} is ${quoteValue(tok)}, expected ${KIND_TEXT[each]}`,
      );
    }
    out.push(v + 0);
  }
  return out;
}

/**
 * Adapt a parser to commander's argParser signature (value, previous):
 * `.option("--alpha <a>", "Beta(α, α)", asOption("--alpha", parsePositive))`.
 * The InputError it throws passes through commander to runCli (exit 2).
 */
export function asOption<T>(name: string, parse: (name: string, value: string) => T): (value: string) => T {
  return (value: string) => parse(name, value);
}
