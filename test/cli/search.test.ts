import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, cliJson, expectOneLineError, tmp } from "../helpers/cli.js";

describe("mixup-theory search", () => {
  for (const claim of ["theorem-3.1", "theorem-3.2"]) {
    for (const drop of ["centered", "inTheta", "homogeneous"]) {
      it(`${claim} --drop ${drop}: a shrunk counterexample within the default budget; its theorem command shows the violation`, () => {
        const dir = join(tmp(), "cx");
        const r = cliJson(["search", "--claim", claim, "--drop", drop, "--out", dir, "--json", "--quiet"]);
        expect(r).toMatchObject({ found: true, claim, dropped: drop });
        expect(r.margin).toBeLessThan(0);
        expect(r.n).toBeLessThanOrEqual(4); // shrunk: a handful of rows
        expect(readdirSync(dir).sort()).toEqual(["command.txt", "data.csv", "model.json"]);
        const command = readFileSync(join(dir, "command.txt"), "utf8").trim().split(" ").slice(1);
        expect(command.slice(0, 2)).toEqual(["theorem", claim === "theorem-3.1" ? "3.1" : "3.2"]);
        const shown = cliJson([...command, "--json", "--quiet"]);
        expect(shown.holds).toBe(false);
        expect(shown.margin).toBeLessThan(0);
      });
    }
    it(`${claim} --drop none: no counterexample (every assumption kept), found: false, nothing written`, () => {
      const dir = join(tmp(), "none");
      const r = cliJson(["search", "--claim", claim, "--drop", "none", "--out", dir, "--json", "--quiet"]);
      expect(r).toMatchObject({ found: false, files: [], command: null, tried: 1000 });
      expect(readdirSync(dir)).toEqual([]);
    });
  }

  it("bad input: c_x cannot be dropped (said so), unknown claim or assumption: exit 2, one line", () => {
    const dir = tmp();
    expectOneLineError(cli(["search", "--claim", "theorem-3.1", "--drop", "cx", "--out", join(dir, "a")]), /c_x is defined as a minimum norm/);
    expectOneLineError(cli(["search", "--claim", "theorem-9", "--drop", "none", "--out", join(dir, "b")]), /--claim: "theorem-9" is not one of theorem-3.1, theorem-3.2/);
    expectOneLineError(cli(["search", "--claim", "theorem-3.1", "--drop", "labels", "--out", join(dir, "c")]), /--drop: "labels" is not one of centered, inTheta, homogeneous, none/);
  });
});
