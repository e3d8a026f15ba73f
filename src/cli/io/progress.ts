/**
 * A progress line on stderr for long runs: nothing during the first second, nothing at all when the
 * stream is not a terminal (pipes, files, tests) or with --quiet; otherwise one line redrawn in place
 * ("\r" + text + erase to the end of the line) and erased when the run ends, so the terminal is left as
 * if no progress had been shown (an error message that follows starts on a clean line).
 *
 * With a total: `label [######------] 3/10  4.2 s` (with `percent`: `label [######------] 30%  4.2 s`).
 * Without: a spinner and the elapsed time, `label ⠹ 4.2 s`. `stage` starts the next step of a run under
 * a new label (the elapsed time and the first-second rule count from the start of the run). The line is
 * drawn from `tick` (synchronous loops) and from a timer every 200 ms (while the main thread waits for
 * workers); the timer is unref'd and never keeps the process alive.
 *
 * Ctrl-C: while a line is active on the real stderr, SIGINT erases it and exits with 130 (128 + SIGINT), so
 * no half-drawn bar is left in the terminal. A handler runs only when the event loop is free, so long
 * synchronous stages call `await p.pause()` now and then (it yields every 50 ms at most; a no-op when no
 * line is active, where the default SIGINT action ends the process at once as before).
 */

/** Where the line goes: process.stderr or a fake for tests. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(s: string): unknown;
}

export interface ProgressOptions {
  /** default process.stderr */
  readonly stream?: ProgressStream;
  /** --quiet: never draw */
  readonly quiet?: boolean;
  /** steps in all (omit for a spinner with the elapsed time) */
  readonly total?: number;
  /** show done/total as a whole percentage instead of "done/total" */
  readonly percent?: boolean;
  /** nothing is drawn before this many ms (default 1000) */
  readonly delayMs?: number;
  /** ms between redraws from the timer (default 200; 0: no timer) */
  readonly intervalMs?: number;
  /** the clock in ms (default performance.now) */
  readonly now?: () => number;
  /** erase the line and exit 130 on SIGINT (default: when the stream is process.stderr) */
  readonly interrupt?: boolean;
}

export interface Progress {
  /** `done` of `total` steps finished (a spinner ignores it but redraws) */
  tick(done: number): void;
  /** erase the line (if drawn) so other output can be written; the next tick draws it again */
  clear(): void;
  /** erase the line (if drawn) and stop the timer; idempotent */
  end(): void;
  /** go on under a new label with a new total (undefined: a spinner) and done = 0; drawn now (after the first second) */
  stage(label: string, total?: number): void;
  /**
   * For synchronous loops: a promise that resolves on the next turn of the event loop when 50 ms or more
   * have passed since the last one (so a timer redraw and a SIGINT can run), else undefined. `await` it.
   */
  pause(): Promise<void> | undefined;
}

/** Lines drawn on the real stderr that a SIGINT must erase: their `clear`. */
const interruptible = new Set<() => void>();

function onSigint(): void {
  for (const clear of interruptible) clear();
  process.exit(130);
}

function watchSigint(clear: () => void): void {
  if (interruptible.size === 0) process.on("SIGINT", onSigint);
  interruptible.add(clear);
}

function unwatchSigint(clear: () => void): void {
  if (!interruptible.delete(clear)) return;
  // the last line gone: back to the default action (the process ends at once)
  if (interruptible.size === 0) process.removeListener("SIGINT", onSigint);
}

const SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";
const WIDTH = 24;
/** erase from the cursor to the end of the line */
const ERASE = "\x1b[K";

const NOOP: Progress = { tick() {}, clear() {}, end() {}, stage() {}, pause: () => undefined };

/** Resolves on the next turn of the event loop (after pending I/O and signals). */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The text of the line at `elapsedMs` (pure, for tests). */
export function progressText(label: string, done: number, total: number | undefined, elapsedMs: number, frame = 0, percent = false): string {
  const secs = `${(elapsedMs / 1000).toFixed(1)} s`;
  if (total === undefined || !(total > 0)) return `${label} ${SPINNER[frame % SPINNER.length]} ${secs}`;
  const f = Math.min(Math.max(done / total, 0), 1);
  const full = Math.round(f * WIDTH);
  const count = percent ? `${Math.floor(100 * f)}%` : `${done}/${total}`;
  return `${label} [${"#".repeat(full)}${"-".repeat(WIDTH - full)}] ${count}  ${secs}`;
}

/** A progress line for `label`; a no-op unless the stream is a TTY and not quiet. */
export function progress(label: string, opts: ProgressOptions = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  if (opts.quiet || stream.isTTY !== true) return NOOP;
  const now = opts.now ?? (() => performance.now());
  const delay = opts.delayMs ?? 1000;
  const interval = opts.intervalMs ?? 200;
  const t0 = now();
  let name = label;
  let total = opts.total;
  let done = 0;
  let frame = 0;
  let drawn = false;
  let ended = false;
  let last = -Infinity;
  const draw = (force: boolean) => {
    if (ended) return;
    const t = now();
    if (t - t0 < delay) return;
    if (!force && t - last < 100) return;
    last = t;
    let text = progressText(name, done, total, t - t0, frame++, opts.percent === true);
    const cols = stream.columns;
    if (cols !== undefined && cols > 1 && text.length >= cols) text = text.slice(0, cols - 1);
    stream.write(`\r${text}${ERASE}`);
    drawn = true;
  };
  const timer = interval > 0 ? setInterval(() => draw(true), interval) : null;
  timer?.unref();
  const erase = () => {
    if (drawn) stream.write(`\r${ERASE}`);
    drawn = false;
  };
  const interrupt = opts.interrupt ?? stream === process.stderr;
  if (interrupt) watchSigint(erase);
  let lastPause = now();
  return {
    tick(d: number) {
      done = d;
      draw(total !== undefined && d >= total);
    },
    clear() {
      if (drawn) stream.write(`\r${ERASE}`);
      drawn = false;
    },
    end() {
      if (ended) return;
      ended = true;
      if (timer) clearInterval(timer);
      erase();
      if (interrupt) unwatchSigint(erase);
    },
    stage(l: string, t?: number) {
      name = l;
      total = t;
      done = 0;
      draw(true);
    },
    pause() {
      const t = now();
      if (ended || t - lastPause < 50) return undefined;
      lastPause = t;
      return nextTurn();
    },
  };
}

/** Steps of a percent bar for one run (a finer bar than whole percents). */
export const BAR_STEPS = 1000;

/** An onProgress(done, total) callback that moves a percent bar of BAR_STEPS steps. */
export function barFeed(bar: Progress): (done: number, total: number) => void {
  return (done, total) => bar.tick(total > 0 ? Math.floor((BAR_STEPS * done) / total) : BAR_STEPS);
}

/** Run f with a progress line, erased when f settles (returns or throws). */
export async function withProgress<T>(label: string, opts: ProgressOptions, f: (p: Progress) => Promise<T> | T): Promise<T> {
  const p = progress(label, opts);
  try {
    return await f(p);
  } finally {
    p.end();
  }
}
