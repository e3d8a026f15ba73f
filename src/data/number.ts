/**
 * Strict decimal number syntax shared by the CSV reader and the CLI option parsers.
 *
 * Accepted: an optional sign, digits with an optional decimal point (at least one digit in all),
 * an optional exponent: "1", "-0", "+2", ".5", "5.", "1e-3", "2.5E+10".
 * Rejected as "not a number": "", "abc", "1.2.3", "0x10", "1_000", "1e", " 1" (callers trim first).
 * Rejected as "not finite": "NaN", "Inf", "Infinity", "-inf" (any case) and overflows like "1e999".
 */

/** 10^0 … 10^22: every one is an exact double. */
const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
  1e20, 1e21, 1e22,
];

/** Position just past the bytes consumed by the last `scanNumberBytes` call. */
export let scanEnd = 0;

/** 2^-90: the slack around a double-double result (its error is below 2^-100 relative). */
const SLACK = 8.077935669463161e-28;
/** Dekker's splitter 2^27 + 1. */
const SPLIT = 134217729;

/**
 * Scan a number in the bytes `s` starting at `a`, reading no further than `b`. Returns its value,
 * or NaN when the bytes at `a` do not start a number (no digit in the mantissa, or "e" without
 * digits). Sets `scanEnd` to where the number ends; the caller checks what follows (a comma, the
 * end…). May return ±Infinity for an overflowing literal such as "1e999".
 *
 * Always the same double as `Number(text)`:
 * - digits forming an integer below 9e15 and a decimal exponent |p| ≤ 22 (Clinger): m·10^p or m/10^−p, one
 *   correctly rounded operation on exact doubles;
 * - up to about 21 significant digits (every shortest round-trip form of a double, e.g. `String(x)`)
 *   and |p| ≤ 22: the digits as an exact double-double, times or divided by 10^|p| in double-double
 *   arithmetic (error < 2^−100 relative); the rounded sum is returned when both ends of a 2^−90
 *   interval around it round to the same double, which proves it is the correctly rounded value
 *   (the other case, about 2^−37 of inputs, and everything else goes through `Number()`).
 */
export function scanNumberBytes(s: Buffer, a: number, b: number): number {
  let i = a;
  let neg = false;
  let c = i < b ? s[i] : 0;
  if (c === 43 /* + */ || c === 45 /* - */) {
    neg = c === 45;
    i++;
  }
  // the digits go to hi while it stays below 9e14 (so hi·10 + 9 < 2^53: exact), the rest to lo
  // (nlo digits); leading zeros leave hi at 0
  let hi = 0;
  let lo = 0;
  let nlo = 0;
  const i0 = i;
  while (i < b) {
    c = s[i] - 48;
    if (c >>> 0 > 9) break;
    if (hi < 9e14) hi = hi * 10 + c;
    else {
      lo = lo * 10 + c;
      nlo++;
    }
    i++;
  }
  let nDigits = i - i0;
  let fracDigits = 0;
  if (i < b && s[i] === 46 /* . */) {
    i++;
    const f0 = i;
    while (i < b) {
      c = s[i] - 48;
      if (c >>> 0 > 9) break;
      if (hi < 9e14) hi = hi * 10 + c;
      else {
        lo = lo * 10 + c;
        nlo++;
      }
      i++;
    }
    fracDigits = i - f0;
    nDigits += fracDigits;
  }
  if (nDigits === 0) {
    scanEnd = i;
    return NaN;
  }
  let exp = 0;
  if (i < b && (s[i] | 32) === 101 /* e or E */) {
    let j = i + 1;
    let eneg = false;
    c = j < b ? s[j] : 0;
    if (c === 43 || c === 45) {
      eneg = c === 45;
      j++;
    }
    const e0 = j;
    while (j < b) {
      c = s[j] - 48;
      if (c >>> 0 > 9) break;
      if (exp < 100000) exp = exp * 10 + c;
      j++;
    }
    if (j === e0) {
      scanEnd = j;
      return NaN; // "1e", "1e+"
    }
    if (eneg) exp = -exp;
    i = j;
  }
  scanEnd = i;
  const p = exp - fracDigits;
  let v: number;
  if (nlo === 0) {
    // hi < 2^53 holds every digit exactly (Clinger)
    if (p === 0) v = hi;
    else if (p > 0 && p <= 22) v = hi * POW10[p];
    else if (p < 0 && p >= -22) v = hi / POW10[-p];
    else return Number(s.toString("latin1", a, i));
  } else if (nlo <= 6 && p >= -22 && p <= 22) {
    v = doubleDouble(hi, lo, nlo, p);
    if (v !== v) return Number(s.toString("latin1", a, i));
  } else return Number(s.toString("latin1", a, i));
  return neg ? -v : v;
}

/**
 * hi·10^nlo + lo (hi < 9e15, lo < 10^nlo, nlo ≤ 6: an integer below 2^73) times 10^p, 0 < |p| ≤ 22 or p = 0, correctly rounded; NaN
 * when the double-double result is too close to a rounding boundary to decide.
 */
function doubleDouble(hi: number, lo: number, nlo: number, p: number): number {
  // M = hi·P + lo exactly as mh + ml: TwoProduct (Dekker) and TwoSum on integers below 2^64
  const P = POW10[nlo];
  let ph = hi * P;
  let t = SPLIT * hi;
  let ah = t - (t - hi);
  let al = hi - ah;
  t = SPLIT * P;
  let bh = t - (t - P);
  let bl = P - bh;
  const pl = ah * bh - ph + ah * bl + al * bh + al * bl;
  let s = ph + lo;
  let bb = s - ph;
  const e = ph - (s - bb) + (lo - bb);
  ph = s;
  const ml0 = e + pl; // an integer below 2^21: exact
  const mh = ph + ml0;
  const ml = ml0 - (mh - ph);
  if (p === 0) return mh; // fl(M): Fast2Sum's sum is correctly rounded
  let h: number;
  let l: number;
  if (p > 0) {
    const Q = POW10[p];
    t = SPLIT * Q;
    bh = t - (t - Q);
    bl = Q - bh;
    const a1 = mh * Q;
    t = SPLIT * mh;
    ah = t - (t - mh);
    al = mh - ah;
    const a2 = ah * bh - a1 + ah * bl + al * bh + al * bl;
    const b1 = ml * Q;
    t = SPLIT * ml;
    ah = t - (t - ml);
    al = ml - ah;
    const b2 = ah * bh - b1 + ah * bl + al * bh + al * bl;
    s = a1 + b1;
    bb = s - a1;
    const e2 = a1 - (s - bb) + (b1 - bb);
    const tail = e2 + a2 + b2;
    h = s + tail;
    l = tail - (h - s);
  } else {
    const D = POW10[-p];
    const q1 = mh / D;
    const r1 = q1 * D;
    t = SPLIT * q1;
    ah = t - (t - q1);
    al = q1 - ah;
    t = SPLIT * D;
    bh = t - (t - D);
    bl = D - bh;
    const r2 = ah * bh - r1 + ah * bl + al * bh + al * bl;
    const q2 = (mh - r1 - r2 + ml) / D; // mh − r1 is exact (Sterbenz)
    h = q1 + q2;
    l = q2 - (h - q1);
  }
  const slack = Math.abs(h) * SLACK;
  if (h + (l + slack) !== h || h + (l - slack) !== h) return NaN;
  return h;
}

/** Why a trimmed token is not an acceptable number: "is not a number" / "is not finite", or null if fine. */
export type NumberProblem = "is not a number" | "is not finite";

const NON_FINITE_WORD = /^[+-]?(nan|inf|infinity)$/i;

/** Parse a whole (already trimmed) token strictly. */
export function parseNumberToken(token: string): { value: number; problem: null } | { value: number; problem: NumberProblem } {
  const bytes = Buffer.from(token, "utf8"); // a non-ASCII character is bytes ≥ 0x80, never a digit
  const v = scanNumberBytes(bytes, 0, bytes.length);
  if (scanEnd !== bytes.length || Number.isNaN(v)) {
    return { value: NaN, problem: NON_FINITE_WORD.test(token) ? "is not finite" : "is not a number" };
  }
  if (!Number.isFinite(v)) return { value: NaN, problem: "is not finite" };
  return { value: v, problem: null };
}

/** A value for a one-line message: JSON-quoted (escapes control characters), long values shortened. */
export function quoteValue(s: string, max = 40): string {
  return JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);
}
