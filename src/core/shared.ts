/**
 * Float64Arrays on shared memory. The worker pool (workerPool.ts) posts a problem's arrays to its workers;
 * an array on a SharedArrayBuffer reaches every worker without a copy (they only read it), any other is
 * copied. The data readers put X and y there from the start, so a loaded data set is never copied for
 * the workers; for arrays built elsewhere, shareArray makes the one copy.
 */

/** A zero-filled Float64Array of `length` on a new SharedArrayBuffer. */
export function sharedFloat64Array(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(8 * length));
}

/** `a` itself when it is on shared memory, else a copy of it there. */
export function shareArray(a: Float64Array): Float64Array {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const s = sharedFloat64Array(a.length);
  s.set(a);
  return s;
}

/** The first `length` values of `a` in a new shared array of exactly that length (drops spare capacity). */
export function sharedPrefix(a: Float64Array, length: number): Float64Array {
  const s = sharedFloat64Array(length);
  s.set(a.subarray(0, length));
  return s;
}
