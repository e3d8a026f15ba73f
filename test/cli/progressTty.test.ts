import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tmp, write } from "../helpers/cli.js";

/**
 * The CLI under a pseudo-terminal (util-linux `script`), so stderr is a TTY and the progress line is
 * drawn. The output log and its timing log (-O, -T: "delay bytes" per write) give when each write
 * happened. These tests take wall time on a shared machine, so their thresholds leave slack.
 */
const MAIN = join(process.cwd(), "dist", "src", "cli", "main.js");

interface Write {
  t: number;
  text: string;
}

function writes(dir: string): Write[] {
  const data = readFileSync(join(dir, "out.log"));
  let pos = data.indexOf(0x0a) + 1; // after script's header line
  let t = 0;
  const out: Write[] = [];
  for (const line of readFileSync(join(dir, "timing.log"), "utf8").trim().split("\n")) {
    const [d, n] = line.split(" ");
    t += Number(d);
    out.push({ t, text: data.subarray(pos, pos + Number(n)).toString("utf8") });
    pos += Number(n);
  }
  return out;
}

function scriptArgs(dir: string, args: string[]): string[] {
  const cmd = [process.execPath, MAIN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  return ["-q", "-e", "-c", cmd, "-O", join(dir, "out.log"), "-T", join(dir, "timing.log")];
}

function underTty(args: string[]): { code: number; writes: Write[] } {
  const dir = tmp();
  const r = spawnSync("script", scriptArgs(dir, args), { encoding: "utf8", stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, MIXUP_DEBUG: "" } });
  return { code: r.status ?? -1, writes: writes(dir) };
}

// a bar redraw is "\r<label> …"; not the erasure "\r\x1b[K", nor a "\r\n" the terminal made of a line end that
// `script` happened to record at the start of a write (seen once under load, with --quiet)
const isBar = (w: Write) => /^\r[^\n\x1b]/.test(w.text);

/** The longest pause between progress draws, from the first draw to the erasure of the line. */
function longestGap(ws: Write[]): number {
  const first = ws.findIndex(isBar);
  let last = ws.length - 1;
  while (last > 0 && !ws[last].text.includes("\r\x1b[K")) last--;
  let gap = 0;
  for (let k = first + 1; k <= last; k++) gap = Math.max(gap, ws[k].t - ws[k - 1].t);
  return gap;
}

const DATA = ["x1,x2,y", ...Array.from({ length: 900 }, (_, i) => `${Math.sin(i).toFixed(4)},${Math.cos(3 * i).toFixed(4)},${i % 3 === 0 ? 1 : 0}`)].join("\n") + "\n";
/** Rows enough for an exact loss of a few seconds on one thread (2·10⁶ pairs of a ReLU net). */
const BIG = ["x1,x2,y", ...Array.from({ length: 2000 }, (_, i) => `${Math.sin(i).toFixed(4)},${Math.cos(3 * i).toFixed(4)},${i % 3 === 0 ? 1 : 0}`)].join("\n") + "\n";
const NET = JSON.stringify({ kind: "relu2", W: [[1, -1], [0.3, 0.8], [-0.5, 0.2]], v: [1, -1.5, 0.7] });

describe("progress on a terminal: every long stage keeps the line moving", () => {
  it("verify: the checks report while they run (it was silent for 35–43 s); redrawn at least every 0.5 s, erased at the end", () => {
    const out = tmp();
    const r = underTty(["verify", "--quick", "--only", "lemma-3.1-order,fast-exact-agrees", "--out", out]);
    expect(r.code).toBe(0);
    const bars = r.writes.filter(isBar).map((w) => w.text);
    expect(bars.some((b) => /^\rverify 2\/2 fast-exact-agrees: run: all-pairs sums/.test(b))).toBe(true);
    expect(bars.some((b) => /negative control/.test(b))).toBe(true);
    // measured 0.39 s at most; 0.75 leaves room for a loaded machine, and a silent check would take seconds
    expect(longestGap(r.writes)).toBeLessThan(0.75);
    const text = r.writes.map((w) => w.text).join("");
    expect(text).toMatch(/\r\x1b\[KPASS  fast-exact-agrees/);
  });

  it("taylor: the bar moves inside a row (it appeared only when a row ended)", () => {
    const dir = tmp();
    const r = underTty(["taylor", "--data", write(dir, "d.csv", BIG), "--model", write(dir, "m.json", NET), "--alpha", "1", "--workers", "1"]);
    expect(r.code).toBe(0);
    const pct = r.writes.filter(isBar).map((w) => /^\rtaylor 1\/1 \(s = 1\) \[[#-]+\] (\d+)%/.exec(w.text)).filter((m) => m !== null).map((m) => Number(m![1]));
    expect(pct.some((p) => p > 0 && p < 100)).toBe(true);
    expect(longestGap(r.writes)).toBeLessThan(0.75);
  });

  it("theorem: a progress line like the other commands, and --quiet (an unknown option before) draws none", () => {
    const dir = tmp();
    const args = ["theorem", "3.2", "--data", write(dir, "d.csv", BIG), "--model", write(dir, "m.json", NET), "--alpha", "1", "--center", "--workers", "1"];
    const loud = underTty(args);
    expect(loud.code).toBe(0);
    expect(loud.writes.filter(isBar).some((w) => /^\rtheorem 3\.2 \(exact L_mix\) \[/.test(w.text))).toBe(true);
    const quiet = underTty([...args, "--quiet"]);
    expect(quiet.code).toBe(0);
    expect(quiet.writes.filter(isBar)).toEqual([]);
    expect(quiet.writes.map((w) => w.text).join("")).not.toMatch(/\x1b\[K/);
  });

  it("loss --method mc: a bar over the draws (it showed nothing)", () => {
    const dir = tmp();
    const r = underTty(["loss", "--data", write(dir, "d.csv", DATA), "--model", write(dir, "m.json", NET), "--alpha", "1", "--method", "mc", "--samples", "3000000"]);
    expect(r.code).toBe(0);
    const bars = r.writes.filter(isBar).map((w) => w.text);
    expect(bars.some((b) => /^\rloss \(monte-carlo\) \[[#-]+\] \d+%/.test(b))).toBe(true);
    expect(longestGap(r.writes)).toBeLessThan(0.75);
  });

  it("Ctrl-C: the line is erased and the exit code is 130; nothing is printed on stdout", async () => {
    const dir = tmp();
    const args = ["loss", "--data", write(dir, "d.csv", DATA), "--model", write(dir, "m.json", NET), "--alpha", "1", "--method", "mc", "--samples", "200000000", "--json"];
    const child = spawn("script", scriptArgs(dir, args), { stdio: ["pipe", "ignore", "pipe"], env: { ...process.env, MIXUP_DEBUG: "" } });
    const code = await new Promise<number>((resolve) => {
      // once the bar is on screen (after the first second), type ^C into the terminal: SIGINT for its job
      const sent = setTimeout(() => child.stdin!.write("\x03"), 2500);
      const killer = setTimeout(() => child.kill("SIGKILL"), 20000); // a hung run fails below, not forever
      child.on("exit", (c) => {
        clearTimeout(sent);
        clearTimeout(killer);
        resolve(c ?? -1);
      });
    });
    expect(code).toBe(130);
    const ws = writes(dir);
    const text = ws.map((w) => w.text).join("");
    expect(text).toMatch(/\rloss \(monte-carlo\) \[/); // the bar was drawn …
    // … and erased: after the last bar comes the erase sequence, and no JSON was printed
    const lastBar = text.lastIndexOf("\rloss (");
    expect(text.slice(lastBar)).toMatch(/\r\x1b\[K/);
    expect(text).not.toMatch(/"mixupLoss"/);
  });
});
