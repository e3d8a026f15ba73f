/** Small helpers shared by the proofs-checks. */
import type { CheckOutcome } from "../src/verify/types.js";

/** Least-squares slope of log|y| against log x. */
export function logLogSlope(x: readonly number[], y: readonly number[]): number {
  const lx = x.map(Math.log);
  const ly = y.map((v) => Math.log(Math.abs(v)));
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let num = 0;
  let den = 0;
  for (let k = 0; k < lx.length; k++) {
    num += (lx[k] - mx) * (ly[k] - my);
    den += (lx[k] - mx) ** 2;
  }
  return num / den;
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
