import { describe, expect, it } from "vitest";
import { EXPERIMENTS, findExperiment } from "../../src/experiments/index.js";
import { experimentCommand, runExperiment } from "../../src/experiments/runner.js";
import type { Experiment } from "../../src/experiments/types.js";
import { lineChart } from "../../src/figures/lineChart.js";
import { checkWellFormed, pngSize } from "../figures/svg.js";

/** A small random experiment: the numbers come from ctx.rng only. */
const toy: Experiment = {
  name: "toy",
  title: "Toy",
  description: "a random walk",
  figures: ["toy-walk"],
  async run(ctx) {
    const rng = ctx.rng.fork(1);
    const rows = [];
    let v = 0;
    ctx.progress.stage("toy", 10);
    for (let k = 0; k < 10; k++) {
      v += rng.normal();
      rows.push({ step: k, value: v, walk: "w" });
      ctx.progress.tick(k + 1);
    }
    return {
      figures: [
        {
          name: "toy-walk",
          title: "A walk",
          description: "value against step",
          spec: lineChart({ rows, x: { field: "step", title: "step" }, y: { field: "value", title: "v" }, series: { field: "walk", title: "walk" } }),
          table: { columns: ["step", "value", "walk"], rows },
          notes: ["figure note"],
        },
      ],
      params: { steps: ctx.quick ? 10 : 100 },
      notes: ["experiment note"],
      summary: { last: v },
    };
  },
};

describe("runExperiment", () => {
  it("writes NAME.csv, .svg, .png, .md per figure; same seed → byte-identical CSV, SVG and PNG; another seed → other CSV", async () => {
    const stages: string[] = [];
    const a = await runExperiment(toy, { seed: 7, quick: true, toolVersion: "9.9.9", progress: { stage: (l) => void stages.push(l), tick() {}, pause: () => undefined } });
    expect(a.files.map(([f]) => f)).toEqual(["toy-walk.csv", "toy-walk.svg", "toy-walk.png", "toy-walk.md"]);
    expect(stages).toEqual(["toy", "toy: drawing toy-walk (1/1)"]);
    const files = Object.fromEntries(a.files);
    const csv = files["toy-walk.csv"] as string;
    expect(csv.split("\n")[0]).toBe("step,value,walk");
    expect(csv.split("\n")).toHaveLength(12);
    checkWellFormed(files["toy-walk.svg"] as string);
    expect(pngSize(files["toy-walk.png"] as Uint8Array).width).toBeGreaterThan(100);
    const md = files["toy-walk.md"] as string;
    expect(md).toContain("mixup-theory experiment toy --seed 7 --quick");
    expect(md).toContain(`- seed: 7 (every random choice draws from Rng(7).fork(FNV-1a("toy")) and its forks)`);
    expect(md).toContain('- steps: 10');
    expect(md).toContain("- experiment note");
    expect(md).toContain("- figure note");
    expect(md).toMatch(/- mixup-theory 9\.9\.9\n- node v\d+/);
    expect(md).toMatch(/- vega 6\.\d+\.\d+\n- vega-lite 6\.\d+\.\d+\n- @resvg\/resvg-js 2\.\d+\.\d+/);
    expect(md).toMatch(/Wall time: \d+\.\d s/);
    expect(a.summary).toEqual({ last: expect.any(Number) });

    const b = await runExperiment(toy, { seed: 7, quick: true });
    for (const [k, [name, data]] of b.files.entries()) {
      if (name.endsWith(".md")) continue; // holds the wall time
      expect(Buffer.from(data).equals(Buffer.from(a.files[k][1])), name).toBe(true);
    }
    const c = await runExperiment(toy, { seed: 8, quick: true });
    expect(c.files[0][1]).not.toBe(csv);
  });

  it("refuses a run whose figures differ from the declared ones, or a figure name that is not a file stem", async () => {
    await expect(runExperiment({ ...toy, figures: ["other"] }, { seed: 0, quick: true })).rejects.toThrow(/declared \[other\]/);
    const bad: Experiment = {
      ...toy,
      figures: ["../x"],
      async run(ctx) {
        const r = await toy.run(ctx);
        return { ...r, figures: [{ ...r.figures[0], name: "../x" }] };
      },
    };
    await expect(runExperiment(bad, { seed: 0, quick: true })).rejects.toThrow(/not a file stem/);
  });

  it("the registry: unique names, file-stem figure names, findExperiment; the command names --seed and --quick", () => {
    const names = EXPERIMENTS.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    for (const e of EXPERIMENTS) {
      expect(findExperiment(e.name)).toBe(e);
      for (const f of e.figures) expect(f).toMatch(/^[a-z0-9][a-z0-9-]*$/);
    }
    expect(new Set(EXPERIMENTS.flatMap((e) => e.figures)).size).toBe(EXPERIMENTS.flatMap((e) => e.figures).length);
    expect(findExperiment("nope")).toBeUndefined();
    expect(experimentCommand("remainder", 3, false)).toBe("mixup-theory experiment remainder --seed 3");
  });
});
