import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, expectOneLineError, tmp } from "../helpers/cli.js";

describe("mixup-theory verify: bad selections and output folders are found before computing", () => {
  for (const only of [",", "", " , ", "limit-alpha-zero,,limit-alpha-infinity", "limit-alpha-zero,"]) {
    it(`--only ${JSON.stringify(only)} selects an empty id: exit 2 naming --only, nothing written`, () => {
      const d = tmp();
      const r = cli(["verify", "--quick", "--only", only, "--out", join(d, "o")]);
      expectOneLineError(r, /^mixup-theory: --only: .*empty check id/);
      expect(readdirSync(d)).toEqual([]);
    });
  }

  it("--out below a regular file: exit 2 naming --out at once (the full run would take a minute)", () => {
    const d = tmp();
    writeFileSync(join(d, "file"), "x");
    const t0 = performance.now();
    const r = cli(["verify", "--out", join(d, "file", "out")]);
    const secs = (performance.now() - t0) / 1000;
    expectOneLineError(r, /^mixup-theory: --out: .*file\/out: cannot write there \(ENOTDIR\)$/);
    expect(secs).toBeLessThan(10);
  });

  it("--out where report.md is a directory: exit 2 before computing, and no report.json is left alone", () => {
    const d = tmp();
    mkdirSync(join(d, "report.md"));
    const t0 = performance.now();
    const r = cli(["verify", "--out", d]);
    expectOneLineError(r, /^mixup-theory: --out: .*: cannot write there \(EISDIR\)$/);
    expect((performance.now() - t0) / 1000).toBeLessThan(10);
    expect(readdirSync(d)).toEqual(["report.md"]);
  });
});
