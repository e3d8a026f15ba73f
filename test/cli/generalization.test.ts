import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, cliJson, expectOneLineError, tmp, write } from "../helpers/cli.js";

const GEN = ["--dataset", "low-rank-gaussian", "--d", "30", "--rank", "3", "--n", "120", "--center", "--samples", "300", "--quiet"];

describe("mixup-theory generalization", () => {
  it("--json has the issue's fields; ellipsoid ≤ bound (within its interval), W_γ lower estimate ≤ ellipsoid; the same seed gives the same bytes", () => {
    const args = ["generalization", ...GEN, "--gamma", "0.1", "--theta-bound", "1", "--json"];
    const j = cliJson(args);
    for (const k of ["n", "d", "rank", "gamma", "thetaBound", "rho", "rademacher", "bound", "ridgeBound", "dataset"]) expect(j).toHaveProperty(k);
    expect(j.rank).toBe(3);
    expect(Object.keys(j.rho)).toEqual(expect.arrayContaining(["value", "minimizer", "starts"]));
    for (const k of ["ellipsoid", "ridge", "wGamma"]) expect(Object.keys(j.rademacher[k])).toEqual(expect.arrayContaining(["value", "ci95"]));
    expect(j.bound).toMatchObject({ theorem: "4.1" });
    expect(j.rademacher.ellipsoid.ci95[0]).toBeLessThanOrEqual(j.bound.value);
    expect(j.rademacher.wGamma.value).toBeLessThanOrEqual(j.rademacher.ellipsoid.value);
    expect(cli(args).stdout).toBe(cli(args).stdout);
  });

  it("--features relu:m is Theorem 4.2 on m random features: rank m; with --model and --alpha the regularizer block", () => {
    const f = cliJson(["generalization", ...GEN, "--gamma", "0.1", "--theta-bound", "1", "--features", "relu:12", "--json"]);
    expect(f.bound.theorem).toBe("4.2");
    expect([f.d, f.rank]).toEqual([12, 12]);
    const dir = tmp();
    const model = write(dir, "m.json", JSON.stringify({ kind: "linear", theta: Array.from({ length: 30 }, (_, k) => (k % 3) * 0.05 - 0.05) }));
    const r = cliJson(["generalization", ...GEN, "--gamma", "0.1", "--theta-bound", "1", "--model", model, "--alpha", "2", "--json"]);
    expect(Object.keys(r.regularizer)).toEqual(expect.arrayContaining(["exactGap", "R2", "simplified", "factor"]));
    const inf = cliJson(["generalization", ...GEN, "--gamma", "0.1", "--theta-bound", "1", "--model", model, "--alpha", "1", "--json"]);
    expect(inf.regularizer).toMatchObject({ simplified: null, factor: null, factorReason: "infinite for α ≤ 1 or β ≤ 1" });
    // --loss may repeat the model's loss (the same output), never contradict it
    const same = cliJson(["generalization", ...GEN, "--gamma", "0.1", "--theta-bound", "1", "--model", model, "--loss", "logistic", "--alpha", "2", "--json"]);
    expect(same).toEqual(r);
    expectOneLineError(cli(["generalization", ...GEN, "--gamma", "0.1", "--theta-bound", "1", "--model", model, "--loss", "poisson"]), /--loss: poisson disagrees with the loss of .*m\.json \(logistic\)/);
  });

  it("--gamma-grid and --n-grid write one CSV row per (n, γ)", () => {
    const dir = tmp();
    const csv = join(dir, "s.csv");
    const r = cliJson(["generalization", ...GEN, "--gamma", "0.1", "--theta-bound", "1", "--gamma-grid", "0.01,1", "--n-grid", "40,120", "--csv", csv, "--json"]);
    expect(r.sweep.rows).toBe(4);
    const lines = readFileSync(csv, "utf8").trimEnd().split("\n");
    expect(lines[0]).toBe("n,gamma,rank,rho,ellipsoid,ellipsoidLo,ellipsoidHi,ridge,wGamma,bound,ridgeBound");
    expect(lines.slice(1).map((l) => l.split(",").slice(0, 2).join(","))).toEqual(["40,0.01", "40,1", "120,0.01", "120,1"]);
  });

  it("bad input: γ ≤ 0, B ≤ 0, malformed --features, rank 0, a grid without --csv, n beyond the data: one line, exit 2, nothing written", () => {
    const dir = tmp();
    const zero = write(dir, "z.csv", "x1,x2,y\n0,0,1\n0,0,0\n0,0,1\n");
    const base = ["generalization", ...GEN];
    for (const [extra, re] of [
      [["--gamma", "0", "--theta-bound", "1"], /--gamma: expected a finite number > 0/],
      [["--gamma", "0.1", "--theta-bound", "-1"], /--theta-bound/],
      [["--gamma", "0.1", "--theta-bound", "1", "--features", "relu:x"], /--features: "relu:x" is not relu:m/],
      [["--gamma", "0.1", "--theta-bound", "1", "--gamma-grid", "0.1"], /--csv: required with --gamma-grid or --n-grid/],
      [["--gamma", "0.1", "--theta-bound", "1", "--n-grid", "500", "--csv", join(dir, "o.csv")], /--n-grid: 500 exceeds the 120 rows/],
      [["--gamma", "0.1", "--theta-bound", "1", "--loss", "softmax"], /"softmax" is not one of logistic, squared, poisson/],
    ] as Array<[string[], RegExp]>) {
      expectOneLineError(cli([...base, ...extra]), re);
    }
    expectOneLineError(cli(["generalization", "--data", zero, "--gamma", "1", "--theta-bound", "1"]), /rank 0/);
    expect(readdirSync(dir)).toEqual(["z.csv"]);
  });
});
