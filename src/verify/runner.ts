import { Rng } from "../core/rng.js";
import type { Check, CheckOptions, CheckOutcome, Tag } from "./types.js";

export interface CheckReport {
  id: string;
  tag: Tag;
  statement: string;
  status: "PASS" | "FAIL";
  run: CheckOutcome;
  control: { description: string; caught: boolean } & CheckOutcome;
  /** wall time, for the console only (never in report.json, which must be byte-identical per seed) */
  seconds: number;
}

/** A stable 32-bit id of a check's name, so each check's stream does not depend on which others run. */
export function streamId(id: string): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < id.length; k++) {
    h ^= id.charCodeAt(k);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Runs one check and its negative control from `seed`; a control that passes fails the check. */
export async function runCheck(check: Check, seed: number, opts: CheckOptions): Promise<CheckReport> {
  const t0 = performance.now();
  const base = new Rng(seed).fork(streamId(check.id));
  // the stage ("run", "negative control") prefixes what the check reports
  const within = (stage: string): CheckOptions => {
    const p = opts.progress;
    return p === undefined ? opts : { ...opts, progress: { tick: (what, done, total) => p.tick(`${stage}: ${what}`, done, total) } };
  };
  await opts.progress?.tick("run: starting");
  const run = await check.run(base.fork(1), within("run"));
  await opts.progress?.tick("negative control: starting");
  const ctl = await check.negativeControl(base.fork(2), within("negative control"));
  const caught = !ctl.passed;
  return {
    id: check.id,
    tag: check.tag,
    statement: check.statement,
    status: run.passed && caught ? "PASS" : "FAIL",
    run,
    control: { description: check.control, caught, ...ctl },
    seconds: (performance.now() - t0) / 1000,
  };
}
