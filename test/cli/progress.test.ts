import { describe, expect, it } from "vitest";
import { progress, progressText, withProgress, type ProgressStream } from "../../src/cli/io/index.js";

/** A fake terminal: records writes; the clock is set by the test. */
function fake(isTTY = true, columns?: number) {
  const writes: string[] = [];
  let t = 0;
  const stream: ProgressStream = { isTTY, columns, write: (s: string) => writes.push(s) };
  return { writes, stream, now: () => t, at: (ms: number) => (t = ms) };
}

describe("progress line", () => {
  it("draws nothing in the first second, then a bar with done/total and the elapsed time, erased at the end", () => {
    const f = fake();
    const p = progress("taylor", { stream: f.stream, total: 4, now: f.now, intervalMs: 0 });
    f.at(500);
    p.tick(1);
    expect(f.writes).toEqual([]);
    f.at(1500);
    p.tick(2);
    expect(f.writes).toEqual(["\rtaylor [############------------] 2/4  1.5 s\x1b[K"]);
    f.at(1550);
    p.tick(3); // within 100 ms of the last draw: skipped
    expect(f.writes).toHaveLength(1);
    p.tick(4); // the last step is always drawn
    expect(f.writes[1]).toBe("\rtaylor [########################] 4/4  1.6 s\x1b[K");
    p.end();
    expect(f.writes[2]).toBe("\r\x1b[K");
    p.end();
    p.tick(4);
    expect(f.writes).toHaveLength(3);
  });

  it("a run shorter than a second leaves the terminal untouched", () => {
    const f = fake();
    const p = progress("robust", { stream: f.stream, total: 3, now: f.now, intervalMs: 0 });
    for (let k = 1; k <= 3; k++) {
      f.at(k * 200);
      p.tick(k);
    }
    p.end();
    expect(f.writes).toEqual([]);
  });

  it("nothing when the stream is not a terminal, or with quiet", () => {
    for (const opts of [{ tty: false, quiet: false }, { tty: true, quiet: true }]) {
      const f = fake(opts.tty);
      const p = progress("verify", { stream: f.stream, total: 2, now: f.now, quiet: opts.quiet, intervalMs: 0 });
      f.at(5000);
      p.tick(1);
      p.clear();
      p.end();
      expect(f.writes).toEqual([]);
    }
  });

  it("a spinner with the elapsed time when there is no total, redrawn by the timer", async () => {
    const f = fake();
    f.at(2000);
    const seen = await withProgress("loss", { stream: f.stream, now: f.now, delayMs: 0, intervalMs: 5 }, async () => {
      await new Promise((r) => setTimeout(r, 60));
      return f.writes.length;
    });
    expect(seen).toBeGreaterThan(0);
    expect(f.writes[0]).toBe("\rloss ⠋ 0.0 s\x1b[K");
    expect(f.writes.at(-1)).toBe("\r\x1b[K"); // erased when the run settled
  });

  it("is erased when the run throws, so the error line starts clean", async () => {
    const f = fake();
    await expect(
      withProgress("loss", { stream: f.stream, now: f.now, delayMs: 0, intervalMs: 0, total: 2 }, (p) => {
        p.tick(1);
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(f.writes).toEqual(["\rloss [############------------] 1/2  0.0 s\x1b[K", "\r\x1b[K"]);
  });

  it("clear() erases the line for other output; the next tick draws it again", () => {
    const f = fake();
    const p = progress("verify", { stream: f.stream, total: 3, now: f.now, delayMs: 0, intervalMs: 0 });
    p.tick(1);
    p.clear();
    f.at(300);
    p.tick(2);
    expect(f.writes).toEqual([
      "\rverify [########----------------] 1/3  0.0 s\x1b[K",
      "\r\x1b[K",
      "\rverify [################--------] 2/3  0.3 s\x1b[K",
    ]);
  });

  it("fits a narrow terminal; progressText is pure", () => {
    const f = fake(true, 20);
    const p = progress("taylor", { stream: f.stream, total: 2, now: f.now, delayMs: 0, intervalMs: 0 });
    p.tick(1);
    expect(f.writes[0]).toBe("\rtaylor [###########\x1b[K");
    expect(progressText("x", 0, 0, 1234, 3)).toBe("x ⠸ 1.2 s");
    expect(progressText("x", 5, 4, 0)).toBe("x [########################] 5/4  0.0 s");
  });
});
