import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * JSON output helpers of the CLI. The number encoding (null with a reason, strict stringify) is the
 * library's (core/json.ts), shared with verify/report.ts; re-exported here for the commands.
 */
export { finiteOrReason, nonFiniteText, orNull, stringifyStrict, type NullableFields } from "../core/json.js";

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
