import { openSync } from "node:fs";
import { InputError } from "../core/errors.js";

/** The one-line InputError for a file that cannot be opened or read: its path and the system's code. */
export function cannotRead(path: string, e: unknown): InputError {
  const code = (e as NodeJS.ErrnoException).code ?? String((e as Error).message ?? e).replace(/\s*[\r\n]+\s*/g, " ");
  return new InputError(path, `${path}: cannot read file (${code})`);
}

/** A descriptor of `path` opened for reading; missing, a directory, no permission: cannotRead. */
export function openForReading(path: string): number {
  try {
    return openSync(path, "r");
  } catch (e) {
    throw cannotRead(path, e);
  }
}
