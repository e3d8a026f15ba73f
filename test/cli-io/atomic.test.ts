import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/core/errors.js";
import { checkWritableDir, writeFileAtomic } from "../../src/cli/io/atomic.js";

const root = mkdtempSync(join(tmpdir(), "mixup-atomic-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("writeFileAtomic", () => {
  it("writes a string and bytes, creating missing directories", () => {
    const p = join(root, "a", "b", "out.json");
    writeFileAtomic(p, '{"x":1}\n');
    expect(readFileSync(p, "utf8")).toBe('{"x":1}\n');
    writeFileAtomic(p, new Uint8Array([104, 105]));
    expect(readFileSync(p, "utf8")).toBe("hi");
    expect(readdirSync(join(root, "a", "b"))).toEqual(["out.json"]);
  });

  it("replaces an existing file as a whole", () => {
    const p = join(root, "replace.txt");
    writeFileSync(p, "old content that is longer than the new one");
    writeFileAtomic(p, "new");
    expect(readFileSync(p, "utf8")).toBe("new");
  });

  it("writes large and empty data", () => {
    const p = join(root, "big.csv");
    const big = "0123456789,".repeat(500_000);
    writeFileAtomic(p, big);
    expect(readFileSync(p, "utf8")).toBe(big);
    writeFileAtomic(p, "");
    expect(readFileSync(p, "utf8")).toBe("");
  });

  it("on failure leaves no temporary file and the old target untouched", () => {
    const dir = join(root, "fail");
    mkdirSync(join(dir, "target"), { recursive: true }); // renaming a file over a directory fails
    writeFileSync(join(dir, "target", "keep"), "keep");
    let err: unknown;
    try {
      writeFileAtomic(join(dir, "target"), "data");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(new RegExp(`^${join(dir, "target").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: cannot write file \\(E[A-Z]+\\)$`));
    expect(readdirSync(dir)).toEqual(["target"]);
    expect(readFileSync(join(dir, "target", "keep"), "utf8")).toBe("keep");
  });

  it("a parent path that is a file is an InputError naming the path", () => {
    const file = join(root, "plain-file");
    writeFileSync(file, "x");
    const p = join(file, "out.txt");
    expect(() => writeFileAtomic(p, "x")).toThrow(InputError);
    expect(() => writeFileAtomic(p, "x")).toThrow(`${p}: cannot write file (`);
  });

  it("an unwritable directory leaves nothing behind", () => {
    if (process.getuid?.() === 0) return; // root ignores permissions
    const dir = join(root, "ro");
    mkdirSync(dir);
    chmodSync(dir, 0o555);
    try {
      expect(() => writeFileAtomic(join(dir, "x.txt"), "x")).toThrow(`${join(dir, "x.txt")}: cannot write file (EACCES)`);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      chmodSync(dir, 0o755);
    }
  });

  it("an error before the call (computing the data) leaves no file", () => {
    const p = join(root, "never.txt");
    const compute = (): string => {
      throw new Error("boom");
    };
    expect(() => writeFileAtomic(p, compute())).toThrow("boom");
    expect(existsSync(p)).toBe(false);
  });
});

describe("writeFilesAtomic: a set of files, all or none", () => {
  it("writes every file of the set", async () => {
    const { writeFilesAtomic } = await import("../../src/cli/io/atomic.js");
    const dir = join(root, "set-ok");
    writeFilesAtomic([[join(dir, "a.json"), "A"], [join(dir, "b.md"), "B"]]);
    expect(readFileSync(join(dir, "a.json"), "utf8")).toBe("A");
    expect(readFileSync(join(dir, "b.md"), "utf8")).toBe("B");
    expect(readdirSync(dir).sort()).toEqual(["a.json", "b.md"]);
  });

  it("when the second target cannot be written, the first is not replaced either and no temporary file is left", async () => {
    const { writeFilesAtomic } = await import("../../src/cli/io/atomic.js");
    const dir = join(root, "set-fail");
    mkdirSync(join(dir, "b.md"), { recursive: true });
    writeFileSync(join(dir, "a.json"), "old");
    expect(() => writeFilesAtomic([[join(dir, "a.json"), "new"], [join(dir, "b.md"), "B"]])).toThrow(`${join(dir, "b.md")}: cannot write file (EISDIR)`);
    expect(readFileSync(join(dir, "a.json"), "utf8")).toBe("old");
    expect(readdirSync(dir).sort()).toEqual(["a.json", "b.md"]);
  });

  it("checkWritableDir creates the folder, leaves no probe, and names the option on failure", async () => {
    const { checkWritableDir } = await import("../../src/cli/io/atomic.js");
    const dir = join(root, "probe", "deep");
    checkWritableDir(dir, ["r.json"], "--out");
    expect(readdirSync(dir)).toEqual([]);
    writeFileSync(join(root, "probe-file"), "x");
    expect(() => checkWritableDir(join(root, "probe-file", "x"), [], "--out")).toThrow(/^--out: .*probe-file\/x: cannot write there \(ENOTDIR\)$/);
  });
});

describe("a folder that cannot be made (src/cli/io/atomic.ts makeDirs)", () => {
  // Node 20's mkdirSync(dir, { recursive: true }) never returned for a path under /proc; one level at a time
  // fails at once. Linux only (where /proc exists); a hang would show as this test's timeout.
  it.runIf(existsSync("/proc/self"))("a path under /proc is an InputError naming it, not a hang", () => {
    expect(() => checkWritableDir("/proc/x/y", ["a.csv"], "--out")).toThrow(InputError);
    expect(() => writeFileAtomic("/proc/x/a.csv", "1\n")).toThrow(/cannot write file \(ENOENT\)/);
  }, 10_000);

  it("missing levels under a writable folder are made", () => {
    const base = mkdtempSync(join(tmpdir(), "mixup-mkdirs-"));
    writeFileAtomic(join(base, "a", "b", "c.txt"), "x");
    expect(readFileSync(join(base, "a", "b", "c.txt"), "utf8")).toBe("x");
    rmSync(base, { recursive: true });
  });
});
