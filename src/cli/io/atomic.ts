import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { InputError } from "../../core/errors.js";

let counter = 0;

/**
 * Write `data` to `path` atomically: the bytes go to a temporary file next to `path`
 * (".<name>.<pid>.<n>.tmp", created exclusively), are fsync'ed, and the file is renamed over
 * `path`. Readers see the old file or the complete new one, never a half-written one; if anything
 * fails the temporary file is removed and `path` is untouched. Missing parent directories are
 * created. A file-system failure is an InputError: `<path>: cannot write file (EACCES)`.
 * Compute the whole output before calling this, so an error while computing leaves no file.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const dir = dirname(path);
  let tmp: string | null = null;
  try {
    mkdirSync(dir, { recursive: true });
    let fd = -1;
    for (let attempt = 0; fd < 0; attempt++) {
      tmp = join(dir, `.${basename(path)}.${process.pid}.${counter++}.tmp`);
      try {
        fd = openSync(tmp, "wx", 0o666);
      } catch (e) {
        // a stale temporary file from an earlier process with the same pid: try the next name
        if ((e as NodeJS.ErrnoException).code !== "EEXIST" || attempt >= 100) {
          tmp = null;
          throw e;
        }
      }
    }
    try {
      const buf = typeof data === "string" ? Buffer.from(data, "utf8") : data;
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp!, path);
    tmp = null;
  } catch (e) {
    if (tmp !== null) {
      try {
        unlinkSync(tmp);
      } catch {
        // already gone
      }
    }
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === "string") throw new InputError(path, `${path}: cannot write file (${code})`);
    throw e;
  }
}
