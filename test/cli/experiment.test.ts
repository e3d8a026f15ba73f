import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { cli, cliJson, expectOneLineError, tmp } from "../helpers/cli.js";
import { checkWellFormed, pngSize, svgSize } from "../figures/svg.js";

// Each run of `experiment mixing-law --quick` takes about 0.5 s, `figures --quick` about 35 s (fig1-robustness 15 s).

describe("mixup-theory experiment / figures: bad input (exit 2, one line, nothing written)", () => {
  it("unknown NAME lists the names", () => {
    const dir = tmp();
    const r = cli(["experiment", "fig9", "--out", join(dir, "o")]);
    expectOneLineError(r, /unknown experiment "fig9" \(known: fig1-robustness, fig2-approximation, fig3-ingredients, gen-gap, remainder, mixing-law/);
    expect(existsSync(join(dir, "o"))).toBe(false);
  });

  it("an --out that cannot be a directory fails before computing; no file, no temporary file", () => {
    const dir = tmp();
    const file = join(dir, "f");
    writeFileSync(file, "x");
    expectOneLineError(cli(["experiment", "remainder", "--quick", "--out", join(file, "sub")]), /^mixup-theory: --out: .*f\/sub: cannot write there \(ENOTDIR\)$/);
    expectOneLineError(cli(["figures", "--quick", "--out", file]), /--out: .*cannot write there \(ENOTDIR\)/);
    expect(readdirSync(dir)).toEqual(["f"]);
  });

  it("a target file that is a directory fails before computing", () => {
    const dir = tmp();
    mkdirSync(join(dir, "mixing-law.svg"));
    expectOneLineError(cli(["experiment", "mixing-law", "--quick", "--out", dir]), /--out: .*cannot write there \(EISDIR\)/);
    expect(readdirSync(dir)).toEqual(["mixing-law.svg"]);
  });

  it("bad --seed, a missing NAME, an unknown option", () => {
    expectOneLineError(cli(["experiment", "mixing-law", "--seed", "-1"]), /--seed/);
    expectOneLineError(cli(["experiment"]), /missing required argument 'name'/);
    expectOneLineError(cli(["figures", "--fast"]), /unknown option '--fast'/);
  });
});

describe("mixup-theory experiment NAME", () => {
  it("writes NAME.csv/.svg/.png/.md; --json lists them with their sizes; the same seed gives byte-identical CSV and SVG", () => {
    const dir = tmp();
    const a = cliJson(["experiment", "mixing-law", "--quick", "--out", join(dir, "a"), "--json"]);
    const b = cliJson(["experiment", "mixing-law", "--quick", "--out", join(dir, "b"), "--json"]);
    expect(a.seed).toBe(0);
    expect(a.quick).toBe(true);
    const [e] = a.experiments;
    expect(e.name).toBe("mixing-law");
    expect(e.files.map((f: { path: string }) => f.path)).toEqual(["csv", "svg", "png", "md"].map((x) => join(dir, "a", `mixing-law.${x}`)));
    for (const f of e.files) expect(statSync(f.path).size).toBe(f.bytes);
    expect(readdirSync(join(dir, "a")).sort()).toEqual(["mixing-law.csv", "mixing-law.md", "mixing-law.png", "mixing-law.svg"]);
    for (const x of ["csv", "svg", "png"]) {
      expect(readFileSync(join(dir, "a", `mixing-law.${x}`)).equals(readFileSync(join(dir, "b", `mixing-law.${x}`))), x).toBe(true);
    }
    const svg = readFileSync(join(dir, "a", "mixing-law.svg"), "utf8");
    checkWellFormed(svg);
    const s = svgSize(svg);
    expect(pngSize(readFileSync(join(dir, "a", "mixing-law.png")))).toEqual({ width: 2 * s.width, height: 2 * s.height });
    const md = readFileSync(join(dir, "a", "mixing-law.md"), "utf8");
    expect(md).toContain("mixup-theory experiment mixing-law --seed 0 --quick");
    expect(e.summary["meanDTilde(1,1)"]).toBeCloseTo(2 / 3, 15);
    expect(b.experiments[0].summary).toEqual(e.summary);
  });

  it("the default --out is out/NAME under the working directory; the table output names the files", () => {
    const dir = tmp();
    const r = cli(["experiment", "mixing-law", "--quick"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain(join("out", "mixing-law", "mixing-law.png"));
    expect(readdirSync(join(dir, "out", "mixing-law")).sort()).toEqual(["mixing-law.csv", "mixing-law.md", "mixing-law.png", "mixing-law.svg"]);
  });
});

describe("mixup-theory figures", () => {
  it("runs every experiment into DIR/NAME with the same numbers as `experiment NAME`", () => {
    const dir = tmp();
    const all = cliJson(["figures", "--quick", "--out", dir, "--json"]);
    const names = ["fig1-robustness", "fig2-approximation", "fig3-ingredients", "gen-gap", "remainder", "mixing-law"];
    expect(all.experiments.map((e: { name: string }) => e.name)).toEqual(names);
    // four files (csv, svg, png, md) per figure
    const figures = { "fig1-robustness": 2, "fig2-approximation": 2, "fig3-ingredients": 1, "gen-gap": 1, remainder: 3, "mixing-law": 1 };
    for (const [name, k] of Object.entries(figures)) expect(readdirSync(join(dir, name)).length, name).toBe(4 * k);
    // a training experiment (gen-gap: Adam, minibatches, Mixup draws, MNIST split) and a sweep, run again alone
    for (const [name, files] of [
      ["gen-gap", ["gen-gap.csv", "gen-gap.svg"]],
      ["remainder", ["remainder-scale.csv", "remainder-alpha.csv", "remainder-scale.svg"]],
    ] as const) {
      const one = cliJson(["experiment", name, "--quick", "--out", join(dir, "again", name), "--json"]);
      expect(one.experiments[0].summary).toEqual(all.experiments[names.indexOf(name)].summary);
      for (const f of files) expect(readFileSync(join(dir, name, f)).equals(readFileSync(join(dir, "again", name, f))), f).toBe(true);
    }
    // the pictures committed in docs/img (docs/figures.md) are these, byte for byte: none is stale
    const docsImg = fileURLToPath(new URL("../../docs/img", import.meta.url));
    for (const f of readdirSync(docsImg)) {
      const name = names.find((e) => existsSync(join(dir, e, f)));
      expect(name, `docs/img/${f} is made by no experiment`).toBeDefined();
      expect(readFileSync(join(docsImg, f)).equals(readFileSync(join(dir, name!, f))), `docs/img/${f} differs from figures --quick`).toBe(true);
    }
  });
});
