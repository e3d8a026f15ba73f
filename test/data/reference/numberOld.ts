// Reference copy of the CSV reader before streaming (git show cfa1783:src/data/…), unchanged except the imports:
// csvStream.test.ts checks that the streaming reader gives the same data and the same messages.
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

/** Position just past the characters consumed by the last `scanNumber` call. */
export let scanEnd = 0;

/**
 * Scan a number in `s` starting at `a`, reading no further than `b`. Returns its value, or NaN when
 * the characters at `a` do not start a number (no digit in the mantissa, or "e" without digits).
 * Sets `scanEnd` to where the number ends; the caller checks what follows (a comma, the end…).
 * May return ±Infinity for an overflowing literal such as "1e999".
 *
 * Fast path (Clinger): digits forming an integer m < 2^53 and a decimal exponent |p| ≤ 22 give
 * m·10^p or m/10^−p, one correctly rounded operation on exact doubles, i.e. the same double as
 * `Number(text)`. Everything else goes through `Number()` on the validated slice.
 */
export function scanNumber(s: string, a: number, b: number): number {
  let i = a;
  let neg = false;
  let c = i < b ? s.charCodeAt(i) : 0;
  if (c === 43 /* + */ || c === 45 /* - */) {
    neg = c === 45;
    i++;
  }
  let mant = 0;
  let nDigits = 0;
  let fracDigits = 0;
  while (i < b) {
    c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    mant = mant * 10 + c;
    nDigits++;
    i++;
  }
  if (i < b && s.charCodeAt(i) === 46 /* . */) {
    i++;
    while (i < b) {
      c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      mant = mant * 10 + c;
      nDigits++;
      fracDigits++;
      i++;
    }
  }
  if (nDigits === 0) {
    scanEnd = i;
    return NaN;
  }
  let exp = 0;
  if (i < b && (s.charCodeAt(i) | 32) === 101 /* e or E */) {
    let j = i + 1;
    let eneg = false;
    c = j < b ? s.charCodeAt(j) : 0;
    if (c === 43 || c === 45) {
      eneg = c === 45;
      j++;
    }
    const e0 = j;
    while (j < b) {
      c = s.charCodeAt(j) - 48;
      if (c < 0 || c > 9) break;
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
  if (mant < 9007199254740992) {
    // the digits, read as an integer, are below 2^53, so every partial value was exact
    const p = exp - fracDigits;
    let v: number;
    if (p === 0) v = mant;
    else if (p > 0 && p <= 22) v = mant * POW10[p];
    else if (p < 0 && p >= -22) v = mant / POW10[-p];
    else return Number(s.slice(a, i));
    return neg ? -v : v;
  }
  return Number(s.slice(a, i));
}

/** Why a trimmed token is not an acceptable number: "is not a number" / "is not finite", or null if fine. */
export type NumberProblem = "is not a number" | "is not finite";

const NON_FINITE_WORD = /^[+-]?(nan|inf|infinity)$/i;

/** Parse a whole (already trimmed) token strictly. */
export function parseNumberToken(token: string): { value: number; problem: null } | { value: number; problem: NumberProblem } {
  const v = scanNumber(token, 0, token.length);
  if (scanEnd !== token.length || Number.isNaN(v)) {
    return { value: NaN, problem: NON_FINITE_WORD.test(token) ? "is not finite" : "is not a number" };
  }
  if (!Number.isFinite(v)) return { value: NaN, problem: "is not finite" };
  return { value: v, problem: null };
}

/** A value for a one-line message: JSON-quoted (escapes control characters), long values shortened. */
export function quoteValue(s: string, max = 40): string {
  return JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);
}
