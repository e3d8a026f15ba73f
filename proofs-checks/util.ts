/** Small helpers shared by the proofs-checks. */
import type { CheckOptions, CheckOutcome } from "../src/verify/types.js";
export { logLogSlope } from "../src/core/fit.js";

/**
 * Report a step of a check to verify's progress line (nothing when there is none); `await` it, so the
 * line can be redrawn and Ctrl-C seen during a long check.
 */
export function step(opts: CheckOptions, what: string, done?: number, total?: number): Promise<void> | void {
  return opts.progress?.tick(what, done, total);
}

/** Outcome from per-instance margins (≥ 0 = claim held). */
export function outcome(margins: number[], details: Record<string, unknown>, findings?: string[]): CheckOutcome {
  const worst = margins.length ? Math.min(...margins) : -Infinity;
  return { instances: margins.length, worstMargin: worst, passed: margins.length > 0 && worst >= 0, details, findings };
}

/** Round for reports (keeps report.json short and stable). */
export function r6(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(6)) : x;
}

/**
 * Two negative controls as one outcome: the control "passes" (so the check could not fail) if either
 * wrong variant survives the test; each variant's details are kept under its name.
 */
export function bothControls(a: CheckOutcome, b: CheckOutcome, nameA: string, nameB: string): CheckOutcome {
  return {
    instances: a.instances + b.instances,
    worstMargin: Math.max(a.worstMargin, b.worstMargin),
    passed: a.passed || b.passed,
    details: { [nameA]: a.details, [nameB]: b.details },
  };
}
