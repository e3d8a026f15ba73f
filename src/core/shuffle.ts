import type { Rng } from "./rng.js";

/**
 * Fisher–Yates from the end: for i = len−1 … 1, swap a[i] with a[j], j = rng.int(i + 1). Every order of
 * a[0..len) is equally likely. The one shuffle of the data sets' splits and the training batches.
 */
export function shuffleInPlace<T>(rng: Rng, a: { length: number; [i: number]: T }, len = a.length): void {
  for (let i = len - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

/** perm[0..len) = a uniformly random permutation of 0..len−1 (as torch.randperm: fixed points allowed); returns perm. */
export function randomPermutation(rng: Rng, perm: Int32Array, len: number): Int32Array {
  for (let k = 0; k < len; k++) perm[k] = k;
  shuffleInPlace(rng, perm, len);
  return perm;
}
