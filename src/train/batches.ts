import type { Rng } from "../core/rng.js";
import { randomPermutation } from "../core/shuffle.js";

/**
 * Minibatches of B of n rows: each epoch is a fresh uniformly random order of the rows (Fisher–Yates from
 * `rng`), cut into ⌊n/B⌋ batches of B; the n mod B rows left at the end of an epoch are skipped
 * (PyTorch's drop_last = True), so every batch is a uniformly random B-subset and every step mixes B rows.
 * With B = n every batch is all rows in order and nothing is drawn.
 */
export class BatchSampler {
  readonly n: number;
  readonly B: number;
  private readonly rng: Rng;
  private readonly order: Int32Array;
  private pos: number;

  constructor(n: number, B: number, rng: Rng) {
    if (!(Number.isInteger(B) && B >= 1 && B <= n)) throw new RangeError(`BatchSampler: batch ${B} not in [1, ${n}]`);
    this.n = n;
    this.B = B;
    this.rng = rng;
    this.order = new Int32Array(n);
    for (let i = 0; i < n; i++) this.order[i] = i;
    this.pos = B === n ? 0 : n; // a full batch never shuffles; otherwise the first call starts an epoch
  }

  /** The next batch's row indices (a view, valid until the next call). */
  next(): Int32Array {
    if (this.B === this.n) return this.order;
    if (this.pos + this.B > this.n) {
      randomPermutation(this.rng, this.order, this.n);
      this.pos = 0;
    }
    const batch = this.order.subarray(this.pos, this.pos + this.B);
    this.pos += this.B;
    return batch;
  }
}
