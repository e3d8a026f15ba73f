import type { AdversarialSummary } from "../robustness/summary.js";
import { finiteOrReason, fmt } from "./json.js";

/**
 * The `adversarial` block of `loss --json` (docs/theory.md §3) with the contract's field names; a non-finite
 * number (an overflowing loss at the ball's edge) becomes null with `<field>Reason`, never NaN.
 */
export function adversarialJson(s: AdversarialSummary): Record<string, unknown> {
  const nf = (f: string, x: number | null) => `${f} is ${x === null ? "undefined" : String(x)} (not finite)`;
  const out: Record<string, unknown> = {
    ...finiteOrReason({ R: s.R, cx: s.cx, m1: s.m1, epsMix: s.epsMix }, nf),
    radius: { ...finiteOrReason({ l2: s.radius.l2, linf: s.radius.linf }, nf), norm: "2", note: "ε_mix is the paper's ε: the ℓ2 radius is ε_mix·√d, the ℓ∞ radius ε_mix" },
    inTheta: s.inTheta,
    ...(s.inThetaReason ? { inThetaReason: s.inThetaReason } : {}),
    centered: s.centered,
    ...finiteOrReason({ secondOrder: s.secondOrder }, nf),
  };
  Object.assign(out, pass("exact", s.exact, s.exactReason));
  if (s.upper !== undefined) Object.assign(out, pass("upper", s.upper, s.upperReason), pass("lower", s.lower ?? null, s.lowerReason));
  Object.assign(out, finiteOrReason({ regularizer: s.regularizer }, nf));
  Object.assign(out, pass("tightestEps", s.tightestEps, s.tightestEpsReason), pass("ratio", s.ratio, s.ratioReason));
  out.warnings = s.warnings;
  return out;
}

function pass(field: string, v: number | null, reason?: string): Record<string, unknown> {
  if (v !== null && Number.isFinite(v)) return { [field]: v };
  return { [field]: null, [`${field}Reason`]: reason ?? `${field} is ${String(v)} (not finite)` };
}

/** Table lines for the block. */
export function adversarialLines(a: Record<string, unknown> | null, reason?: string): string[] {
  if (a === null) return ["", `  Section 3 (adversarial): ${reason}`];
  const n = (k: string) => a[k] as number | null;
  const lines = [
    "",
    `  Section 3 at ε_mix = R·c_x·m1 = ${fmt(n("epsMix"))}   (R = ${fmt(n("R"))}, c_x = ${fmt(n("cx"))}; ℓ2 radius ${fmt((a.radius as { l2: number | null }).l2)})`,
    `  L̃_adv(ε_mix)         ${fmt(n("secondOrder"), 12)}   (second order)`,
  ];
  if (a.exact !== null) lines.push(`  L_adv(ε_mix)         ${fmt(n("exact"), 12)}   (exact, ℓ2)`);
  else if ("upper" in a) lines.push(`  L_adv(ε_mix) ∈       [${fmt(n("lower"), 8)}, ${fmt(n("upper"), 8)}]   (PGD lower, certified upper)`);
  lines.push(`  L_reg                ${fmt(n("regularizer"), 12)}`);
  lines.push(`  ε* (tightest)        ${fmt(n("tightestEps"))}   ε_mix/ε* = ${fmt(n("ratio"))}`);
  for (const w of a.warnings as string[]) lines.push(`  warning: ${w}`);
  return lines;
}
