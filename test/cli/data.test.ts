import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, cliJson, expectOneLineError, tmp, write } from "../helpers/cli.js";

const MODEL = JSON.stringify({ kind: "linear", theta: [1.5, 0.5], loss: "logistic" });

describe("mixup-theory data and --dataset", () => {
  it("data NAME --out FILE.csv then loss --data gives loss --dataset's mixupLoss (same seed and options)", () => {
    const dir = tmp();
    const model = write(dir, "m.json", MODEL);
    const gen = ["--n", "40", "--noise", "0.2", "--seed", "7", "--standardize"];
    const r = cli(["data", "two-moons", ...gen, "--out", join(dir, "a.csv"), "--test-out", join(dir, "t.npy"), "--test-labels-out", join(dir, "tl.npy")]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const viaFile = cliJson(["loss", "--data", join(dir, "a.csv"), "--model", model, "--alpha", "1", "--json"]);
    const viaName = cliJson(["loss", "--dataset", "two-moons", ...gen, "--model", model, "--alpha", "1", "--json"]);
    expect(viaName.mixupLoss.value).toBe(viaFile.mixupLoss.value);
    expect(viaName.standardLoss).toBe(viaFile.standardLoss);
    expect(viaFile.dataset).toBeUndefined();
    expect(viaName.dataset).toEqual({
      name: "two-moons",
      params: { n: 40, nTest: 40, noise: 0.2, angles: "uniform" },
      preprocessing: { center: true, standardize: true, constantFeatures: 0 },
      seed: 7,
    });
    // the test part as .npy reads back through --labels
    const test = cliJson(["loss", "--data", join(dir, "t.npy"), "--labels", join(dir, "tl.npy"), "--model", model, "--alpha", "1", "--json"]);
    expect(test.n).toBe(40);
  });

  it(".npy --out with --labels-out round-trips a one-hot softmax data set; taylor, robust, theorem take --dataset", () => {
    const dir = tmp();
    const soft = write(dir, "s.json", JSON.stringify({ kind: "linear", theta: [[0.2, -0.1], [0, 0.3], [0.1, 0.1]], loss: "softmax" }));
    const gen = ["gaussian-mixture", "--classes", "3", "--n", "30", "--n-test", "0", "--seed", "2"];
    expect(cli(["data", ...gen, "--out", join(dir, "g.npy"), "--labels-out", join(dir, "gl.npy")]).code).toBe(0);
    const a = cliJson(["loss", "--data", join(dir, "g.npy"), "--labels", join(dir, "gl.npy"), "--model", soft, "--alpha", "1", "--json"]);
    const b = cliJson(["loss", "--dataset", ...gen, "--model", soft, "--alpha", "1", "--json"]);
    expect(b.mixupLoss.value).toBe(a.mixupLoss.value);
    const model = write(dir, "m.json", MODEL);
    const ds = ["--dataset", "two-moons", "--n", "20", "--seed", "1"];
    expect(cliJson(["taylor", ...ds, "--model", model, "--alpha", "1", "--json"]).dataset.name).toBe("two-moons");
    expect(cliJson(["robust", ...ds, "--model", model, "--eps", "0.1", "--json"]).dataset.params.n).toBe(20);
    const th = cliJson(["theorem", "3.1", ...ds, "--model", write(dir, "t.json", JSON.stringify({ kind: "linear", theta: [1, 0.5], loss: "logistic" })), "--alpha", "1", "--center", "--json", "--quiet"]);
    expect(th.dataset.preprocessing.center).toBe(true);
    expect(th.centeredByOption).toBe(true);
  });

  it("bad input: exit 2 with one line, nothing written", () => {
    const dir = tmp();
    const model = write(dir, "m.json", MODEL);
    const data = write(dir, "d.csv", "x1,x2,y\n1,2,0\n");
    expectOneLineError(cli(["loss", "--dataset", "moons", "--model", model, "--alpha", "1"]), /--dataset: unknown data set "moons" \(one of two-moons, gaussian-mixture, low-rank-gaussian, mnist\)/);
    expectOneLineError(cli(["loss", "--dataset", "mnist", "--digits", "3,10", "--model", model, "--alpha", "1"]), /--digits/);
    expectOneLineError(cli(["loss", "--dataset", "mnist", "--digits", "4,4", "--model", model, "--alpha", "1"]), /--digits: the two digits must differ/);
    expectOneLineError(cli(["loss", "--dataset", "two-moons", "--data", data, "--model", model, "--alpha", "1"]), /--dataset: not together with --data/);
    expectOneLineError(cli(["loss", "--dataset", "low-rank-gaussian", "--d", "2", "--rank", "3", "--model", model, "--alpha", "1"]), /--rank: 3 exceeds the dimension --d 2/);
    expectOneLineError(cli(["loss", "--model", model, "--alpha", "1"]), /--data: required: give --data FILE or --dataset NAME/);
    expectOneLineError(cli(["loss", "--data", data, "--rank", "2", "--model", model, "--alpha", "1"]), /--rank: only with --dataset/);
    expectOneLineError(cli(["data", "two-moons", "--out", join(dir, "x.txt")]), /--out: .*must end in \.csv or \.npy/);
    expectOneLineError(cli(["data", "two-moons", "--out", join(dir, "x.npy")]), /--labels-out: required/);
    expectOneLineError(cli(["data", "two-moons", "--out", join(dir, "d.csv", "x.csv")]), /--out: .*cannot write there/);
    expectOneLineError(cli(["data", "moons", "--out", join(dir, "y.csv")]), /--dataset: unknown data set/);
    expectOneLineError(cli(["data", "two-moons", "--n-test", "0", "--out", join(dir, "y.csv"), "--test-out", join(dir, "z.csv")]), /--test-out: the test set is empty/);
    expect(readdirSync(dir).sort()).toEqual(["d.csv", "m.json"]);
  });

  it("the same seed gives the same bytes; data --json records the data set", () => {
    const dir = tmp();
    const a = cliJson(["data", "low-rank-gaussian", "--n", "10", "--d", "5", "--rank", "2", "--seed", "3", "--out", join(dir, "a.csv"), "--json"]);
    expect(a.dataset.params).toEqual({ n: 10, nTest: 10, d: 5, rank: 2, scale: 2 });
    expect(a.train).toEqual({ file: join(dir, "a.csv"), n: 10, d: 5, K: 1 });
    cli(["data", "low-rank-gaussian", "--n", "10", "--d", "5", "--rank", "2", "--seed", "3", "--out", join(dir, "b.csv")]);
    expect(existsSync(join(dir, "b.csv"))).toBe(true);
    expect(readFileSync(join(dir, "a.csv"), "utf8")).toBe(readFileSync(join(dir, "b.csv"), "utf8"));
  });
});
