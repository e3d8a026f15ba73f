/**
 * The power of two 2^e ≥ max |v[off..off+len)| (1 when all are 0), e in [−1022, 1023]: dividing by it is
 * exact, so a vector of huge or tiny entries can be scaled into [−1, 1] and its norms, sums of squares and
 * rotations taken without overflow or underflow (robustness/assumptions.ts, linalg/dataSvd.ts).
 */
export function pow2Above(v: ArrayLike<number>, off: number, len: number): number {
  let big = 0;
  for (let k = 0; k < len; k++) big = Math.max(big, Math.abs(v[off + k]));
  if (!(big > 0)) return 1;
  const e = Math.min(1023, Math.max(-1022, Math.ceil(Math.log2(big))));
  let s = 2 ** e;
  while (s < big && s < 2 ** 1023) s *= 2;
  return s;
}
