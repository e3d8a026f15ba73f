import { InputError, OverflowError } from "../../core/errors.js";

/**
 * Runs f and rethrows a loss overflow as an InputError naming `where` (the data file, or the file and a
 * study point): the library's message names the row only (the standard loss) or the file without the
 * study point (the exact loss), and a one-line error must say which file is at fault.
 */
export async function namingOverflow<T>(file: string, where: string, f: () => Promise<T> | T): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof OverflowError) {
      const msg = e.message.startsWith(`${file}: `) ? e.message.slice(file.length + 2) : e.message;
      throw new InputError(where, `${where}: ${msg}`);
    }
    throw e;
  }
}
