import type { Rng } from "../core/rng.js";

/** The tags of docs/theory.md §1.1: exact results are tested as identities/inequalities; reconstructed ones as written there. */
export type Tag = "exact" | "reconstructed" | "beyond";

export interface CheckOptions {
  /** the CI-sized run (fewer instances, smaller n) */
  quick: boolean;
  /** where a running check reports its steps (verify's progress line); absent: nothing is reported */
  progress?: CheckProgress;
}

/**
 * How a check reports while it runs: `tick(what, done, total)` after each step of its loops (an instance,
 * a node sum, a block of rows), at least every ~0.1 s of work. `what` names the stage ("instances",
 * "node sums n = 20000"), `done`/`total` the steps when known. Checks `await` the result: the caller may
 * use it to let the event loop run (a redraw, Ctrl-C). It never changes a number.
 */
export interface CheckProgress {
  tick(what: string, done?: number, total?: number): Promise<void> | void;
}

/** What one run of a check (or of its negative control) found. */
export interface CheckOutcome {
  /** instances tried */
  instances: number;
  /** the smallest margin over the instances; ≥ 0 means the claim held on every instance */
  worstMargin: number;
  passed: boolean;
  /** the numbers behind the verdict, for report.json (finite numbers, strings, arrays, objects) */
  details: Record<string, unknown>;
  /** findings: what the numbers say about the claim itself, stated with the numbers */
  findings?: string[];
}

/**
 * One lemma or theorem of the paper as an executable check (design.md, "the contract of a
 * proofs-check"). `negativeControl` runs the same check where it must fail (an assumption dropped,
 * or a deliberately wrong bound); a control that passes makes the check FAIL: it could not fail.
 */
export interface Check {
  id: string;
  tag: Tag;
  /** the claim, one sentence, in our notation */
  statement: string;
  /** what the negative control changes */
  control: string;
  run(rng: Rng, opts: CheckOptions): CheckOutcome | Promise<CheckOutcome>;
  negativeControl(rng: Rng, opts: CheckOptions): CheckOutcome | Promise<CheckOutcome>;
}
