import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { InputError } from "../../core/errors.js";

let counter = 0;

/** A file-system failure as the one-line InputError `<path>: cannot write file (EACCES)`; others rethrown. */
function cannotWrite(path: string, e: unknown): never {
  const code = (e as NodeJS.ErrnoException).code;
  if (typeof code === "string") throw new InputError(path, `${path}: cannot write file (${code})`);
  throw e;
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/**
 * mkdir -p, one level at a time from the nearest existing ancestor: Node 20's mkdirSync(dir, {recursive})
 * never returned for a path under /proc (a 96% CPU hang on `--out /proc/x`); one level fails fast (ENOENT).
 */
function makeDirs(dir: string): void {
  const missing: string[] = [];
  let d = dir;
  for (;;) {
    try {
      lstatSync(d);
      break;
    } catch {
      missing.push(d);
      const up = dirname(d);
      if (up === d) break;
      d = up;
    }
  }
  for (let k = missing.length - 1; k >= 0; k--) {
    try {
      mkdirSync(missing[k]);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
}

/**
 * A new empty temporary file next to `path` (".<name>.<pid>.<n>.tmp", created exclusively), its parent
 * directories created; returns its name and open descriptor.
 */
function openTemp(path: string): { tmp: string; fd: number } {
  const dir = dirname(path);
  makeDirs(dir);
  for (let attempt = 0; ; attempt++) {
    const tmp = join(dir, `.${basename(path)}.${process.pid}.${counter++}.tmp`);
    try {
      return { tmp, fd: openSync(tmp, "wx", 0o666) };
    } catch (e) {
      // a stale temporary file from an earlier process with the same pid: try the next name
      if ((e as NodeJS.ErrnoException).code !== "EEXIST" || attempt >= 100) throw e;
    }
  }
}

/** Writes `data` into a new temporary file next to `path`, fsync'ed; returns the temporary file's name. */
function stage(path: string, data: string | Uint8Array): string {
  const { tmp, fd } = openTemp(path);
  try {
    const buf = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    removeQuietly(tmp);
    throw e;
  }
  closeSync(fd);
  return tmp;
}

/** A target that exists and is not a regular file (a directory, say) cannot be replaced by a rename. */
function checkReplaceable(path: string): void {
  let st;
  try {
    st = lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
    throw e;
  }
  if (!st.isFile()) {
    const err = new Error(`${path} is not a regular file`) as NodeJS.ErrnoException;
    err.code = st.isDirectory() ? "EISDIR" : "EEXIST";
    throw err;
  }
}

/**
 * Write `data` to `path` atomically: the bytes go to a temporary file next to `path`
 * (".<name>.<pid>.<n>.tmp", created exclusively), are fsync'ed, and the file is renamed over
 * `path`. Readers see the old file or the complete new one, never a half-written one; if anything
 * fails the temporary file is removed and `path` is untouched. Missing parent directories are
 * created. A file-system failure is an InputError: `<path>: cannot write file (EACCES)`.
 * Compute the whole output before calling this, so an error while computing leaves no file.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  writeFilesAtomic([[path, data]]);
}

/**
 * Several files as one set (e.g. report.json and report.md): every file is first written to its
 * temporary file and every target checked to be replaceable; only then are they renamed into place, in
 * order. A failure before the renames leaves every target untouched and no temporary file; so a set is
 * never left half-written by a full disk, a permission or a target that is a directory. (Only a failure of
 * a rename itself, after the others succeeded, could split the set; renames within one directory that
 * passed these checks do not fail short of a concurrent change.)
 */
export function writeFilesAtomic(files: ReadonlyArray<readonly [string, string | Uint8Array]>): void {
  const staged: Array<[string, string]> = [];
  let current = files.length > 0 ? files[0][0] : "";
  try {
    for (const [path, data] of files) {
      current = path;
      checkReplaceable(path);
      staged.push([stage(path, data), path]);
    }
  } catch (e) {
    for (const [tmp] of staged) removeQuietly(tmp);
    cannotWrite(current, e);
  }
  for (let k = 0; k < staged.length; k++) {
    const [tmp, path] = staged[k];
    try {
      renameSync(tmp, path);
    } catch (e) {
      for (const [t] of staged.slice(k)) removeQuietly(t);
      cannotWrite(path, e);
    }
  }
}

/**
 * Fails early, before any computing, when files cannot be created in `dir` (created if missing): creates
 * and removes a probe file there, and checks that none of `names` is an existing non-file. The error names
 * `option` and the directory: `--out: /x/y: cannot write there (ENOTDIR)`.
 */
export function checkWritableDir(dir: string, names: readonly string[], option: string): void {
  try {
    const { tmp, fd } = openTemp(join(dir, "probe"));
    closeSync(fd);
    unlinkSync(tmp);
    for (const name of names) checkReplaceable(join(dir, name));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === "string") throw new InputError(option, `${option}: ${dir}: cannot write there (${code})`);
    throw e;
  }
}
