import { describe, expect, it } from "vitest";
import { lossCommand, type LossOptions } from "../../src/cli/loss.js";
import { progress, progressText, type ProgressStream } from "../../src/cli/io/index.js";
import { tmp, write } from "../helpers/cli.js";

/** A fake terminal: records writes; each clock reading is 200 ms after the last, so every tick draws. */
function fake(isTTY = true) {
  const writes: string[] = [];
  let t = 0;
  const stream: ProgressStream = { isTTY, write: (s: string) => writes.push(s) };
  return { writes, stream, now: () => (t += 200) };
}

describe("progress stages and percent", () => {
  it("percent shows whole percents; stage changes label and total, keeps the clock and the first-second rule, draws at once", () => {
    expect(progressText("loss (labelled)", 455, 1000, 2500, 0, true)).toBe("loss (labelled) [###########-------------] 45%  2.5 s");
    const writes: string[] = [];
    let t = 0;
    const p = progress("loss", { stream: { isTTY: true, write: (s) => writes.push(s) }, now: () => t, delayMs: 1000, intervalMs: 0, percent: true });
    p.stage("loss (labelled)", 4); // before the first second: nothing
    expect(writes).toEqual([]);
    t = 1200;
    p.tick(1);
    p.stage("loss (label-free)", 4);
    t = 1400;
    p.tick(4);
    p.stage("loss (Taylor terms)");
    p.end();
    expect(writes).toEqual([
      "\rloss (labelled) [######------------------] 25%  1.2 s\x1b[K",
      "\rloss (label-free) [------------------------] 0%  1.2 s\x1b[K",
      "\rloss (label-free) [########################] 100%  1.4 s\x1b[K",
      "\rloss (Taylor terms) ⠸ 1.4 s\x1b[K",
      "\r\x1b[K",
    ]);
  });
});

describe("loss: the progress bar follows the exact runs", () => {
  const DATA = ["x1,x2,y", ...Array.from({ length: 300 }, (_, i) => `${Math.sin(i).toFixed(4)},${Math.cos(3 * i).toFixed(4)},${i % 3 === 0 ? 1 : 0}`)].join("\n") + "\n";
  const NET = JSON.stringify({ kind: "relu2", W: [[1, -1], [0.3, 0.8], [-0.5, 0.2]], b: [0.1, -0.2, 0], v: [1, -1.5, 0.7] });
  const dir = tmp();
  const opts = (extra: Partial<LossOptions> = {}): LossOptions => ({
    data: write(dir, "d.csv", DATA),
    model: write(dir, "m.json", NET),
    alpha: 0.5,
    method: "pairs",
    samples: 1000,
    seed: 0,
    tol: 1e-10,
    pairs: "all",
    json: true,
    ...extra,
  });

  it("on a terminal: one bar for the exact run of both forms (one pass over the pairs), reaching 100%, then erased; the same output as without a terminal or with --quiet", async () => {
    const tty = fake(true);
    const withBar = await lossCommand(opts(), { stream: tty.stream, now: tty.now, delayMs: 0, intervalMs: 0 });
    const both = tty.writes.filter((w) => w.startsWith("\rloss (labelled and label-free) ["));
    expect(both.length).toBeGreaterThan(1);
    expect(both.at(-1)).toMatch(/ 100% /);
    const pct = (w: string) => Number(/ (\d+)% /.exec(w)![1]);
    for (let k = 1; k < both.length; k++) expect(pct(both[k])).toBeGreaterThanOrEqual(pct(both[k - 1]));
    expect(tty.writes.at(-1)).toBe("\r\x1b[K");
    for (const [isTTY, quiet] of [[false, false], [true, true]] as const) {
      const f = fake(isTTY);
      const out = await lossCommand(opts({ quiet }), { stream: f.stream, now: f.now, delayMs: 0, intervalMs: 0 });
      expect(f.writes).toEqual([]);
      expect(out).toBe(withBar);
    }
    expect(JSON.parse(withBar).mixupLoss.method).toBe("exact-pairs");
  });

  it("mc: a bar in percent over the draws of each estimate (it showed nothing while drawing); the convolution (auto) and closed form: their bars end at 100%", async () => {
    const mc = fake(true);
    // 40,000 draws: reports after 16,384 and 32,768 (MC_CHUNK) and at the end
    const mcOut = await lossCommand(opts({ method: "mc", samples: 40000 }), { stream: mc.stream, now: mc.now, delayMs: 0, intervalMs: 0 });
    for (const label of ["loss (monte-carlo) [", "loss (monte-carlo, label-free) ["]) {
      const bars = mc.writes.filter((w) => w.startsWith(`\r${label}`));
      expect(bars.map((w) => / (\d+)% /.exec(w)![1])).toEqual(["0", "40", "81", "100"]);
    }
    // the progress never changes a number
    const quiet = await lossCommand(opts({ method: "mc", samples: 40000, quiet: true }));
    expect(mcOut).toBe(quiet);
    const lin = fake(true);
    const model = write(dir, "lin.json", JSON.stringify({ kind: "linear", theta: [1.5, 0.5], loss: "logistic" }));
    const out = await lossCommand(opts({ method: "auto", model }), { stream: lin.stream, now: lin.now, delayMs: 0, intervalMs: 0 });
    expect(JSON.parse(out).mixupLoss.method).toBe("exact-convolution");
    // two calls (the convolution for each form) under one bar: the first fills half, the second the rest
    const bars = lin.writes.filter((w) => w.startsWith("\rloss (labelled and label-free) ["));
    expect(bars.at(-1)).toMatch(/ 100% /);
    const pcts = bars.map((w) => Number(/ (\d+)% /.exec(w)![1]));
    for (let k = 1; k < pcts.length; k++) expect(pcts[k]).toBeGreaterThanOrEqual(pcts[k - 1]);
  });
});
