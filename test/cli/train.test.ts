import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { trainCommand } from "../../src/cli/train.js";
import { cli, cliJson, expectOneLineError, tmp, write } from "../helpers/cli.js";

// n = 16, d = 2, labels in {0, 1} from a noisy linear teacher (not separable), seeded
const DATA = (() => {
  const rng = new Rng(21);
  const lines = ["x1,x2,y"];
  for (let i = 0; i < 16; i++) {
    const a = Number((2 * rng.normal()).toFixed(3));
    const b = Number(rng.normal().toFixed(3));
    lines.push(`${a},${b},${rng.uniform() < 1 / (1 + Math.exp(-(a - b))) ? 1 : 0}`);
  }
  return lines.join("\n") + "\n";
})();

function setup() {
  const dir = tmp();
  return { dir, data: write(dir, "d.csv", DATA), out: join(dir, "m.json"), log: join(dir, "log.csv") };
}

const BASE = ["--objective", "mixup-exact", "--alpha", "0.5", "--steps", "20", "--lr", "0.5", "--seed", "3", "--quiet"];

describe("train: the output model is what loss, taylor and theorem read (round trip)", () => {
  it("loss --model out.json reproduces the final logged L_std exactly; taylor and theorem run on it", () => {
    const f = setup();
    const r = cliJson(["train", "--data", f.data, "--init", "linear", "--no-bias", ...BASE, "--out", f.out, "--log", f.log, "--json"]);
    const lines = readFileSync(f.log, "utf8").trimEnd().split("\n");
    const header = lines[0].split(",");
    const last = lines[lines.length - 1].split(",");
    const col = (name: string) => Number(last[header.indexOf(name)]);
    expect(col("step")).toBe(20);
    const o = cliJson(["loss", "--data", f.data, "--model", f.out, "--alpha", "0.5", "--json"]);
    expect(o.standardLoss).toBe(col("trainLoss"));
    expect(o.standardLoss).toBe(r.training.final.trainLoss);
    // the exact L_mix of the log agrees with loss's to the requested accuracy (1e-10 relative, both)
    expect(Math.abs(o.mixupLoss.value - col("mixupLoss"))).toBeLessThan(1e-9 * o.mixupLoss.value);
    expect(cli(["taylor", "--data", f.data, "--model", f.out, "--alpha", "0.5", "--json", "--quiet"]).code).toBe(0);
    expect(cli(["theorem", "3.1", "--data", f.data, "--model", f.out, "--alpha", "0.5", "--json", "--quiet"]).code).toBe(0);
    expect(cli(["robust", "--data", f.data, "--model", f.out, "--eps", "0,0.1", "--json", "--quiet"]).code).toBe(0);
  });

  it("the model file and --json record objective, α, β, λ, optimizer, lr, steps, batch, seed and init", () => {
    const f = setup();
    const args = ["train", "--data", f.data, "--init", "relu2:4", "--objective", "mixup-sampled", "--alpha", "0.4", "--beta", "0.8"];
    const r = cliJson([...args, "--lambda", "per-sample", "--optimizer", "adam", "--steps", "5", "--lr", "0.01", "--batch", "6", "--seed", "9", "--out", f.out, "--json", "--quiet"]);
    const saved = JSON.parse(readFileSync(f.out, "utf8"));
    for (const t of [r.training, saved.training]) {
      expect(t).toMatchObject({
        objective: "mixup-sampled",
        alpha: 0.4,
        beta: 0.8,
        lambda: "per-sample",
        optimizer: "adam",
        adam: { beta1: 0.9, beta2: 0.999, eps: 1e-8 },
        lr: 0.01,
        steps: 5,
        batch: 6,
        droppedPerEpoch: 4,
        seed: 9,
        init: { spec: "relu2:4", scheme: "pytorch-linear-default", seed: 9, bias: true },
        data: f.data,
      });
      expect(t.final.wallTime).toBeUndefined(); // the model file is reproducible byte for byte
    }
    expect(saved.kind).toBe("relu2");
    expect(r.rows.map((row: { step: number }) => row.step)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(r.rows[0].gradNorm).toBeNull();
    expect(typeof r.rows[0].gradNormReason).toBe("string");
  });

  it("the same seed gives the same model file byte for byte; the log differs only in wallTime", () => {
    const f = setup();
    const g = setup();
    const args = ["--init", "tanh2:3", "--objective", "mixup-sampled", "--alpha", "1", "--steps", "6", "--lr", "0.2", "--batch", "5", "--seed", "4", "--quiet"];
    expect(cli(["train", "--data", f.data, ...args, "--out", f.out, "--log", f.log]).code).toBe(0);
    expect(cli(["train", "--data", g.data, ...args, "--out", g.out, "--log", g.log]).code).toBe(0);
    const model = (p: string) => readFileSync(p, "utf8").replace(/"data": "[^"]*"/, "");
    expect(model(f.out)).toBe(model(g.out));
    const noTime = (p: string) =>
      readFileSync(p, "utf8")
        .split("\n")
        .map((l) => l.split(",").slice(0, -1).join(","))
        .join("\n");
    expect(noTime(f.log)).toBe(noTime(g.log));
    expect(readFileSync(f.log, "utf8").split("\n")[0].endsWith(",wallTime")).toBe(true);
  });

  it("softmax from --init with a class-index column: K from the labels; Section 3's cells are empty in the CSV", () => {
    const dir = tmp();
    const data = write(dir, "s.csv", "x1,x2,y\n1,0,0\n0,1,1\n-1,0,2\n0,-1,0\n0.5,0.5,1\n-0.5,0.2,2\n");
    const out = join(dir, "m.json");
    const log = join(dir, "l.csv");
    const r = cliJson(["train", "--data", data, "--init", "linear", "--loss", "softmax", "--objective", "erm", "--alpha", "1", "--steps", "3", "--lr", "0.1", "--out", out, "--log", log, "--json"]);
    expect(r.training.K).toBe(3);
    expect(r.rows[0].epsMix).toBeNull();
    const row = readFileSync(log, "utf8").split("\n")[1].split(",");
    expect(row).toHaveLength(19);
    expect(readFileSync(log, "utf8")).not.toMatch(/NaN|null/);
    const four = cliJson(["train", "--data", data, "--init", "linear", "--loss", "softmax", "--classes", "4", "--objective", "erm", "--alpha", "1", "--steps", "1", "--lr", "0.1", "--out", out, "--json"]);
    expect(four.training.K).toBe(4);
    expect(JSON.parse(readFileSync(out, "utf8")).theta).toHaveLength(4);
  });
});

describe("train --dataset NAME", () => {
  it("trains on the generated training part, logs its test part, records the data set; loss --dataset reads the same rows", () => {
    const f = setup();
    const gen = ["--dataset", "two-moons", "--n", "30", "--n-test", "12", "--seed", "5"];
    const r = cliJson(["train", ...gen, "--init", "linear", "--no-bias", "--objective", "mixup-sampled", "--alpha", "1", "--steps", "8", "--lr", "0.2", "--out", f.out, "--json", "--quiet"]);
    expect(r.training).toMatchObject({ n: 30, nTest: 12, data: null, test: null, dataset: { name: "two-moons", params: { n: 30, nTest: 12 }, seed: 5 } });
    expect(r.rows.at(-1).testLoss).not.toBeNull();
    // the data come from Rng(seed).fork(12), so `loss` with the same --dataset and --seed sees the same training rows
    const o = cliJson(["loss", ...gen, "--model", f.out, "--alpha", "1", "--json"]);
    expect(o.standardLoss).toBe(r.training.final.trainLoss);
  });

  it("softmax on a 3-class Gaussian mixture: --classes is the mixture's k, K from its labels", () => {
    const f = setup();
    const r = cliJson(["train", "--dataset", "gaussian-mixture", "--classes", "3", "--d", "3", "--n", "40", "--loss", "softmax", "--init", "linear", "--objective", "erm", "--alpha", "1", "--steps", "5", "--lr", "0.1", "--out", f.out, "--json", "--quiet"]);
    expect(r.training.K).toBe(3);
    expect(r.training.dataset.params.classes).toBe(3);
    expect(r.rows.at(-1).testAccuracy).toBeGreaterThanOrEqual(0);
  });

  it("bad input: unknown name, with --data or --test, digits out of range, --batch > n: one line, exit 2, nothing written", () => {
    const f = setup();
    const rest = ["--init", "linear", "--objective", "erm", "--alpha", "1", "--steps", "3", "--lr", "0.1", "--out", f.out];
    for (const [extra, re] of [
      [["--dataset", "moons"], /--dataset: unknown data set "moons" \(one of two-moons, gaussian-mixture, low-rank-gaussian, mnist\)/],
      [["--dataset", "two-moons", "--data", f.data], /--dataset: not together with --data/],
      [["--dataset", "two-moons", "--test", f.data], /--test: only with --data/],
      [["--dataset", "mnist", "--digits", "3,10"], /--digits: expected two digits 0–9/],
      [["--dataset", "two-moons", "--n", "10", "--batch", "11"], /--batch: 11 is larger than the 10 training rows/],
      [["--data", f.data, "--n", "10"], /--n: only with --dataset/],
    ] as Array<[string[], RegExp]>) {
      expectOneLineError(cli(["train", ...extra, ...rest]), re);
      expect(readdirSync(f.dir)).toEqual(["d.csv"]);
    }
  });
});

describe("train: bad input is one line, exit 2, and nothing written", () => {
  const cases: Array<[string, string[], RegExp]> = [
    ["--batch larger than n", ["--batch", "17"], /--batch: 17 is larger than the 16 training rows/],
    ["--steps 0", ["--steps", "0"], /--steps: expected an integer ≥ 1, got "0"/],
    ["--lr 0", ["--lr", "0"], /--lr: expected a finite number > 0/],
    ["--lr negative", ["--lr", "-0.1"], /--lr/],
    ["unknown objective", ["--objective", "sgd"], /--objective: "sgd" is not one of erm, mixup-sampled, mixup-exact/],
    ["unknown optimizer", ["--optimizer", "rmsprop"], /--optimizer: "rmsprop" is not one of gd, adam/],
    ["--alpha 0", ["--alpha", "0"], /--alpha/],
    ["--lambda with mixup-exact", ["--lambda", "per-batch"], /--lambda: only with --objective mixup-sampled/],
    ["unknown --lambda", ["--objective", "mixup-sampled", "--lambda", "per-row"], /--lambda: "per-row"/],
    ["--batch with mixup-exact", ["--batch", "4"], /full batch only/],
  ];
  for (const [name, extra, re] of cases) {
    it(name, () => {
      const f = setup();
      const args = ["train", "--data", f.data, "--init", "linear", ...BASE, "--out", f.out, "--log", f.log];
      // later options win in commander: the extra ones override BASE
      expectOneLineError(cli([...args, ...extra]), re);
      expect(readdirSync(f.dir)).toEqual(["d.csv"]);
    });
  }

  it("unknown --init, both or neither of --model and --init, --loss with --model", () => {
    const f = setup();
    const model = write(f.dir, "start.json", JSON.stringify({ kind: "linear", theta: [0.1, 0.2] }));
    const common = ["--data", f.data, ...BASE, "--out", f.out];
    expectOneLineError(cli(["train", ...common, "--init", "relu3:4"]), /--init: "relu3:4" is not one of linear, relu2:m, tanh2:m/);
    expectOneLineError(cli(["train", ...common, "--init", "linear", "--model", model]), /give exactly one/);
    expectOneLineError(cli(["train", ...common]), /give exactly one/);
    expectOneLineError(cli(["train", ...common, "--model", model, "--loss", "squared"]), /--loss: only with --init/);
    expectOneLineError(cli(["train", ...common, "--model", model, "--no-bias"]), /--no-bias: only with --init/);
    expectOneLineError(cli(["train", ...common, "--init", "linear", "--log", f.out]), /--log: .* is also --out/);
    expect(existsSync(f.out)).toBe(false);
  });

  it("unwritable --out or --log fails before training and leaves no file", () => {
    const f = setup();
    const blocker = write(f.dir, "afile", "x");
    const common = ["train", "--data", f.data, "--init", "linear", ...BASE];
    expectOneLineError(cli([...common, "--out", join(blocker, "m.json")]), /--out: .*afile: cannot write there \(E[A-Z]+\)/);
    expectOneLineError(cli([...common, "--out", f.out, "--log", join(blocker, "l.csv")]), /--log: .*cannot write there/);
    expectOneLineError(cli([...common, "--out", f.dir]), /--out: .* is a directory; give a file name/);
    expect(readdirSync(f.dir).sort()).toEqual(["afile", "d.csv"]);
  });

  it("a starting model whose d differs from the data names the model file", () => {
    const f = setup();
    const model = write(f.dir, "start.json", JSON.stringify({ kind: "linear", theta: [0.1, 0.2, 0.3] }));
    expectOneLineError(cli(["train", "--data", f.data, "--model", model, ...BASE, "--out", f.out]), /start\.json: model expects d = 3/);
    writeFileSync(model, JSON.stringify({ kind: "linear", theta: [0.1, 0.2], training: 3 }));
    expectOneLineError(cli(["train", "--data", f.data, "--model", model, ...BASE, "--out", f.out]), /"training" must be an object/);
  });
});

describe("train: the progress line", () => {
  it("a bar over the steps on a terminal (fake stream and clock), erased at the end; the same output as without", async () => {
    const f = setup();
    const writes: string[] = [];
    let t = 0;
    const stream = { isTTY: true, write: (x: string) => writes.push(x) };
    const o = {
      data: f.data,
      init: "linear",
      bias: true,
      objective: "erm",
      alpha: 1,
      optimizer: "gd",
      steps: 5,
      lr: 0.1,
      seed: 0,
      out: f.out,
      tol: 1e-10,
    };
    // each step advances the clock by 0.5 s: the bar appears after the first second
    const text = await trainCommand(o, { stream, now: () => (t += 250), intervalMs: 0 });
    expect(writes.some((w) => /^\rtrain \[[#-]+\] \d\/5 {2}\d+\.\d s/.test(w))).toBe(true);
    expect(writes[writes.length - 1]).toBe("\r\x1b[K");
    const quiet = await trainCommand({ ...o, out: join(f.dir, "q.json") }, { quiet: true });
    const strip = (x: string) => x.replace(/ +\d+\.\d s/g, "").replace(/wrote .*/, "");
    expect(strip(text)).toBe(strip(quiet));
  });
});
